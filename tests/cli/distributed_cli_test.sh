#!/usr/bin/env bash
# End-to-end checks of the distributed quiver command: two `quiver worker` processes on loopback,
# a GROUP BY through --workers-url and --workers-file compared with the single-node answer, the
# distributed plan display, the token rule for non-loopback workers, and an unreachable worker.
# Usage: tests/cli/distributed_cli_test.sh [path/to/quiver]   (run from anywhere)
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
QUIVER="${1:-$ROOT/build/quiver}"
QUIVER="$(cd "$(dirname "$QUIVER")" && pwd)/$(basename "$QUIVER")"
WEATHER="$ROOT/testdata/weather"
WORK="$(mktemp -d)"
WORKER_PIDS=()

cleanup() {
  for pid in "${WORKER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${WORKER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
cd "$WORK" || exit 2

# shellcheck source=checks.sh
source "$ROOT/tests/cli/checks.sh"

# check_status NAME EXPECTED ACTUAL
check_status() {
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    failures=$((failures + 1))
    echo "FAIL: $1: exit status $3, expected $2"
  fi
}

if [[ ! -x "$QUIVER" ]]; then
  echo "quiver binary not found at $QUIVER" >&2
  exit 2
fi

# start_worker LOG: starts `quiver worker --port 0` (a free port), waits until it prints the URL
# it listens on, and sets WORKER_URL.
start_worker() {
  local log="$1"
  "$QUIVER" worker --port 0 2>"$log" &
  WORKER_PIDS+=("$!")
  WORKER_URL=""
  for _ in $(seq 1 100); do
    WORKER_URL="$(sed -n 's/^quiver worker listening on \(grpc:\/\/.*\)$/\1/p' "$log")"
    [[ -n "$WORKER_URL" ]] && return 0
    sleep 0.1
  done
  echo "worker did not start; its log:" >&2
  cat "$log" >&2
  exit 1
}

start_worker "$WORK/worker1.log"
url1="$WORKER_URL"
start_worker "$WORK/worker2.log"
url2="$WORKER_URL"
check_contains "worker 1 listens on loopback" "grpc://127.0.0.1:" "$url1"

SQL='SELECT "RainToday", count(*) AS days, round(avg("MaxTemp"), 2) AS avg_max, max("WindGustSpeed") AS gust FROM weather GROUP BY "RainToday" ORDER BY "RainToday"'
single="$("$QUIVER" --table weather="$WEATHER" --format csv -c "$SQL" 2>&1)"
check_contains "single-node answer" "RainToday,days,avg_max,gust" "$single"

# The same query through both workers, with partitions small enough to need several tasks.
plan="$("$QUIVER" --workers-url "$url1,$url2" --set distributed.bytes_per_partition=1KB \
  --table weather="$WEATHER" --show-distributed-plan -c "$SQL" 2>&1)"
check_contains "the plan is distributed" "┌───── DistributedExec ── Tasks: t0:[p0]" "$plan"
check_contains "the plan has a shuffle over 2 tasks" "NetworkShuffleExec" "$plan"
check_contains "stage 1 runs as 2 tasks" "Stage 1 ── Tasks: t0:" "$plan"

# A SET before the query is run (not shown), and it reaches the planner.
plan="$("$QUIVER" --workers-url "$url1,$url2" --table weather="$WEATHER" --show-distributed-plan \
  -c "SET distributed.bytes_per_partition = '1KB'" -c "$SQL" 2>&1)"
check_contains "SET, then the distributed plan" "NetworkShuffleExec" "$plan"
plan="$("$QUIVER" --workers-url "$url1,$url2" --table weather="$WEATHER" --show-distributed-plan \
  -c "$SQL" 2>&1)"
check_contains "16MB partitions: the small table runs single-node" "AggregateExec: mode=Final" \
  "$plan"
checks=$((checks + 1))
if [[ "$plan" == *"DistributedExec"* ]]; then
  failures=$((failures + 1))
  echo "FAIL: the default bytes_per_partition distributed a 3-file table"
fi

distributed="$("$QUIVER" --workers-url "$url1,$url2" --set distributed.bytes_per_partition=1KB \
  --table weather="$WEATHER" --format csv -c "$SQL" 2>&1)"
status=$?
check_status "distributed query" 0 "$status"
check "distributed answer equals single-node answer" "$single" "$distributed"

# URLs without a scheme get grpc://.
bare="$("$QUIVER" --workers-url "${url1#grpc://},${url2#grpc://}" \
  --set distributed.bytes_per_partition=1KB --table weather="$WEATHER" --format csv \
  -c "$SQL" 2>&1)"
check "host:port URLs" "$single" "$bare"

# A workers file, re-read when it changes: first one good and one unreachable worker (the query
# fails naming it), then the two good workers.
unreachable="grpc://127.0.0.1:1"
printf '# workers\n%s\n%s\n' "$url1" "$unreachable" >"$WORK/workers.txt"
script="$WORK/query.sql"
printf '%s;\n' "$SQL" >"$script"
out="$("$QUIVER" --workers-file "$WORK/workers.txt" --set distributed.bytes_per_partition=1KB \
  --table weather="$WEATHER" --format csv -f "$script" 2>&1)"
status=$?
check_status "workers file with an unreachable worker" 1 "$status"
check_contains "the error names the unreachable worker" "$unreachable" "$out"
printf '%s\n  %s  \n\n' "$url1" "$url2" >"$WORK/workers.txt"
out="$("$QUIVER" --workers-file "$WORK/workers.txt" --set distributed.bytes_per_partition=1KB \
  --table weather="$WEATHER" --format csv -f "$script" 2>&1)"
check "workers file answer" "$single" "$out"

# One quiver process sees the file change between two statements: the first fails on the
# unreachable worker, then the file is fixed (once the failure is printed) and the second runs.
printf '%s\n%s\n' "$url1" "$unreachable" >"$WORK/workers2.txt"
{
  printf '%s;\n' "$SQL"
  for _ in $(seq 1 200); do
    grep -q "Error" "$WORK/reread.err" 2>/dev/null && break
    sleep 0.05
  done
  printf '%s\n%s\n' "$url1" "$url2" >"$WORK/workers2.txt"
  printf '%s;\n' "$SQL"
} | "$QUIVER" --workers-file "$WORK/workers2.txt" --set distributed.bytes_per_partition=1KB \
  --table weather="$WEATHER" --format csv --continue-on-error >"$WORK/reread.out" \
  2>"$WORK/reread.err"
check_contains "first statement names the unreachable worker" "$unreachable" \
  "$(cat "$WORK/reread.err")"
check "second statement uses the changed file" "$single" "$(cat "$WORK/reread.out")"

out="$("$QUIVER" --workers-file "$WORK/missing.txt" -c "SELECT 1" 2>&1)"
status=$?
check_status "missing workers file" 1 "$status"
check_contains "missing workers file is named" "missing.txt" "$out"

# An unreachable URL fails and the error names it.
out="$("$QUIVER" --workers-url "$url1,$unreachable" --set distributed.bytes_per_partition=1KB \
  --table weather="$WEATHER" -c "$SQL" 2>&1)"
status=$?
check_status "unreachable worker" 1 "$status"
check_contains "the error names the unreachable URL" "$unreachable" "$out"

# In-process workers give the same answer.
out="$("$QUIVER" --workers 3 --set distributed.bytes_per_partition=1KB --table weather="$WEATHER" \
  --format csv -c "$SQL" 2>&1)"
check "in-process workers answer" "$single" "$out"

# A worker on a non-loopback address refuses to start without a token.
out="$(env -u QUIVER_TOKEN timeout 10 "$QUIVER" worker --host 0.0.0.0 --port 0 2>&1)"
status=$?
check_status "worker on 0.0.0.0 without a token" 1 "$status"
check_contains "the refusal says why" "needs a shared token" "$out"

# Workers with a token: calls without it are refused, calls with it succeed.
QUIVER_TOKEN=s3cret "$QUIVER" worker --port 0 2>"$WORK/worker3.log" &
WORKER_PIDS+=("$!")
for _ in $(seq 1 100); do
  url3="$(sed -n 's/^quiver worker listening on \(grpc:\/\/.*\)$/\1/p' "$WORK/worker3.log")"
  [[ -n "$url3" ]] && break
  sleep 0.1
done
out="$(env -u QUIVER_TOKEN "$QUIVER" --workers-url "$url3,$url3" \
  --set distributed.bytes_per_partition=1KB --table weather="$WEATHER" --format csv -c "$SQL" 2>&1)"
status=$?
check_status "token worker without a token" 1 "$status"
check_contains "the refusal names the token" "token" "$out"
out="$("$QUIVER" --workers-url "$url3,$url3" --token s3cret \
  --set distributed.bytes_per_partition=1KB --table weather="$WEATHER" --format csv -c "$SQL" 2>&1)"
check "token worker with the token" "$single" "$out"

# Option conflicts are rejected by the parser.
"$QUIVER" --workers 2 --workers-url "$url1" -c "SELECT 1" >/dev/null 2>&1
status=$?
checks=$((checks + 1))
if [[ "$status" == 0 ]]; then
  failures=$((failures + 1))
  echo "FAIL: --workers with --workers-url was accepted"
fi

echo "$((checks - failures))/$checks distributed CLI checks passed"
[[ "$failures" == 0 ]]
