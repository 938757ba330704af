# Finds Arrow C++ (arrow, arrow_compute, parquet, arrow_dataset, arrow_flight) and defines the
# imported target quiver::arrow_all. A system installation found by find_package wins; otherwise
# the libraries and headers bundled in the pinned pyarrow wheel of the project's .venv are used,
# with an rpath so that binaries run without environment variables.

find_package(Arrow CONFIG QUIET)
if(Arrow_FOUND)
  find_package(Parquet CONFIG REQUIRED)
  find_package(ArrowDataset CONFIG REQUIRED)
  find_package(ArrowFlight CONFIG REQUIRED)
  find_package(ArrowCompute CONFIG QUIET)
  add_library(quiver_arrow_all INTERFACE)
  target_link_libraries(quiver_arrow_all INTERFACE Arrow::arrow_shared Parquet::parquet_shared
                        ArrowDataset::arrow_dataset_shared ArrowFlight::arrow_flight_shared)
  if(ArrowCompute_FOUND)
    target_link_libraries(quiver_arrow_all INTERFACE ArrowCompute::arrow_compute_shared)
  endif()
  add_library(quiver::arrow_all ALIAS quiver_arrow_all)
  message(STATUS "Arrow ${Arrow_VERSION} from the system")
  return()
endif()

set(QUIVER_PYTHON "${CMAKE_SOURCE_DIR}/.venv/bin/python" CACHE FILEPATH
    "Python of the virtual environment that holds the pinned pyarrow wheel")
if(NOT EXISTS "${QUIVER_PYTHON}")
  message(FATAL_ERROR "Arrow C++ not found: no system Arrow and no ${QUIVER_PYTHON}. "
                      "Run scripts/setup.sh (or make build) first.")
endif()
execute_process(
  COMMAND "${QUIVER_PYTHON}" -c "import pyarrow, os; print(os.path.dirname(pyarrow.__file__))"
  OUTPUT_VARIABLE PYARROW_DIR OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pyarrow is not importable from ${QUIVER_PYTHON}; run scripts/setup.sh")
endif()

add_library(quiver_arrow_all INTERFACE)
target_include_directories(quiver_arrow_all SYSTEM INTERFACE "${PYARROW_DIR}/include")
foreach(lib arrow arrow_compute parquet arrow_dataset arrow_acero arrow_flight)
  file(GLOB candidates "${PYARROW_DIR}/lib${lib}.so.[0-9]*")
  list(SORT candidates)
  list(LENGTH candidates n)
  if(n EQUAL 0)
    message(FATAL_ERROR "lib${lib}.so.* not found in ${PYARROW_DIR}")
  endif()
  list(GET candidates 0 path)
  add_library(quiver::${lib} SHARED IMPORTED)
  set_target_properties(quiver::${lib} PROPERTIES IMPORTED_LOCATION "${path}"
                                                  IMPORTED_NO_SONAME FALSE)
  target_link_libraries(quiver_arrow_all INTERFACE quiver::${lib})
endforeach()
add_library(quiver::arrow_all ALIAS quiver_arrow_all)
set(CMAKE_BUILD_RPATH "${PYARROW_DIR}")
set(CMAKE_INSTALL_RPATH "${PYARROW_DIR}")
message(STATUS "Arrow C++ from the pyarrow wheel in ${PYARROW_DIR}")
