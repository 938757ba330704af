# Quiver: every target does its own set-up (scripts/setup.sh is idempotent and quick when done).
BUILD ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: all setup configure build run test bench bench-tpch format clean

all: build

setup:
	@bash scripts/setup.sh

configure: setup
	@if [ ! -f $(BUILD)/build.ninja ]; then \
	  cmake -S . -B $(BUILD) -G Ninja $(CMAKE_FLAGS); fi

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

## run: build, then run the example queries over the bundled data.
run: build
	@bash scripts/run_examples.sh $(BUILD)

## test: build, then every test (GoogleTest and the .slt corpus) through ctest.
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

## bench: micro-benchmarks and peer comparison (installs the peers into .venv on first use).
bench: build
	@bash scripts/setup.sh --bench
	@bash benchmarks/run.sh $(BUILD)

## bench-tpch: TPC-H on quiver, DuckDB and DataFusion (SF=1 RUNS=3, MODES, QUERIES, BASELINE=file).
SF ?= 1
RUNS ?= 3
MODES ?= single,cluster:4,workers:4
bench-tpch: build
	@BUILD=$(BUILD) bash benchmarks/tpch/run.sh --sf $(SF) --runs $(RUNS) --modes $(MODES) \
	  $(if $(QUERIES),--queries $(QUERIES)) $(if $(BASELINE),--baseline $(BASELINE))

format:
	@git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	@rm -rf $(BUILD)
