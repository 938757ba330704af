#!/usr/bin/env bash
# The overhead of distribution: each query of benchmarks/queries.txt run single-node and through
# N `quiver worker` processes on localhost (Flight over loopback), medians of K runs, as a ratio.
# Usage: benchmarks/distributed_overhead.sh [BUILD] (env: QUIVER_WORKERS=4, QUIVER_BENCH_RUNS=5)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
workers="${QUIVER_WORKERS:-4}"
runs="${QUIVER_BENCH_RUNS:-5}"
data="$build/benchdata"
.venv/bin/python benchmarks/gen_benchdata.py "$data" "${QUIVER_BENCH_ROWS:-4000000}"

pids=()
urls=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for i in $(seq 1 "$workers"); do
  log=$(mktemp)
  "$build/quiver" worker --port 0 2>"$log" &
  pids+=($!)
  for _ in $(seq 1 100); do
    url=$(grep -o 'grpc://[0-9.:]*' "$log" || true)
    [[ -n "$url" ]] && break
    sleep 0.1
  done
  [[ -n "$url" ]] || { echo "worker $i did not start: $(cat "$log")"; exit 1; }
  urls+=("$url")
done
list=$(IFS=,; echo "${urls[*]}")

median_seconds() {  # runs the quiver command line "$@" $runs times, prints the median seconds
  local times=()
  for _ in $(seq 1 "$runs"); do
    t=$("$@" --timing 2>&1 >/dev/null | grep -o 'in [0-9.]* s' | awk '{print $2}' | tail -1)
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

printf '%-24s %12s %14s %7s\n' query single_ms "${workers}_workers_ms" ratio
total_single=0
total_dist=0
while IFS='|' read -r name sql; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  s=$(median_seconds "$build/quiver" --table "t=$data" -c "$sql")
  d=$(median_seconds "$build/quiver" --workers-url "$list" --table "t=$data" -c "$sql")
  total_single=$(awk -v a="$total_single" -v b="$s" 'BEGIN {print a + b}')
  total_dist=$(awk -v a="$total_dist" -v b="$d" 'BEGIN {print a + b}')
  awk -v n="$name" -v s="$s" -v d="$d" 'BEGIN {printf "%-24s %12.1f %14.1f %7.2f\n", n, s*1000, d*1000, d/s}'
done < benchmarks/queries.txt
awk -v s="$total_single" -v d="$total_dist" 'BEGIN {printf "%-24s %12.1f %14.1f %7.2f\n", "total", s*1000, d*1000, d/s}'
