#!/usr/bin/env bash
# TPC-H benchmark in one command: builds quiver and quiver_tpch, installs the peers (DuckDB,
# DataFusion) into .venv, generates the data once and runs benchmarks/tpch/tpch_bench.py.
#
#   benchmarks/tpch/run.sh [--sf 1] [--runs 3] [--modes single,cluster:4,workers:4]
#                          [--queries q01,q06] [--baseline FILE] [--out FILE]
#
# Environment: BUILD (default build). Every other flag goes to tpch_bench.py (see its --help).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${BUILD:-build}"
bash scripts/setup.sh --bench >/dev/null
[[ -f "$build/build.ninja" ]] || cmake -S . -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target quiver_cli quiver_tpch -j "$(nproc)" >/dev/null
exec .venv/bin/python benchmarks/tpch/tpch_bench.py --build "$build" "$@"
