# Other dependencies, all from Debian packages installed by scripts/setup.sh.
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(CLI11 CONFIG QUIET)
find_package(CURL REQUIRED)
find_package(simdjson CONFIG REQUIRED)
# Source files of HTTP JSON tables (quiver --sources): TOML (toml++ used header-only, in
# catalog/source_file.cc alone) and YAML.
find_package(tomlplusplus CONFIG REQUIRED)
find_package(yaml-cpp CONFIG REQUIRED)

find_path(PG_QUERY_INCLUDE_DIR pg_query.h REQUIRED)
find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query REQUIRED)
set(PG_QUERY_PROTO "${PG_QUERY_INCLUDE_DIR}/pg_query/pg_query.proto")
if(NOT EXISTS "${PG_QUERY_PROTO}")
  message(FATAL_ERROR "pg_query.proto not found next to pg_query.h (package libpg-query-dev)")
endif()
