#!/usr/bin/env bash
# `make bench`: generates the benchmark table once, runs quiver_bench (Google Benchmark, rows/s)
# and the same queries on DuckDB and DataFusion, then prints medians and ratios from this one run.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
rows="${QUIVER_BENCH_ROWS:-4000000}"
data="$build/benchdata"
.venv/bin/python benchmarks/gen_benchdata.py "$data" "$rows"
"$build/quiver_bench" --data "$data" --benchmark_repetitions="${QUIVER_BENCH_RUNS:-5}" \
  --benchmark_report_aggregates_only=true --benchmark_out="$build/quiver_bench.json" \
  --benchmark_out_format=json
# Use the medians of the repetitions.
.venv/bin/python - "$build/quiver_bench.json" <<'PY'
import json, sys
path = sys.argv[1]
doc = json.load(open(path))
doc["benchmarks"] = [dict(b, name=b["run_name"]) for b in doc["benchmarks"]
                     if b.get("aggregate_name") == "median"]
for b in doc["benchmarks"]:
    b["run_type"] = "iteration"
json.dump(doc, open(path, "w"))
PY
.venv/bin/python benchmarks/peers.py "$data" "$build/quiver_bench.json" --runs "${QUIVER_BENCH_RUNS:-5}"
