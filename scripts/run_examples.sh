#!/usr/bin/env bash
# Runs the example queries of the README over the bundled data (called by `make run`).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
quiver="$build/quiver"

section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() {
  printf '$ %s\n' "$*"
  "$@"
}

section "numbers(0, 10): the custom ExecutionPlan example (single-node plan, then its result)"
run "$build/examples/custom_execution_plan" \
  "SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number" --show-distributed-plan
run "$build/examples/custom_execution_plan" \
  "SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number"

section "weather: SQL over the bundled Parquet files"
run "$quiver" --table weather=testdata/weather -c \
  'SELECT "RainToday", count(*) AS days, round(avg("MaxTemp"), 2) AS avg_max FROM weather GROUP BY "RainToday" ORDER BY "RainToday"'
run "$quiver" --table weather=testdata/weather -c \
  'EXPLAIN SELECT "RainToday", count(*) FROM weather GROUP BY "RainToday"'
run "$quiver" --table weather=testdata/weather -c \
  'SELECT "WindGustDir", max("WindGustSpeed") AS gust FROM weather WHERE "WindGustDir" IS NOT NULL GROUP BY "WindGustDir" ORDER BY gust DESC, "WindGustDir" LIMIT 5'

section "CSV and NDJSON files"
run "$quiver" --table people=testdata/csv/people.csv -c \
  "SELECT city, count(*) AS n, min(age) AS youngest FROM people GROUP BY city ORDER BY n DESC, city"
run "$quiver" --table events=testdata/json/events.ndjson -c \
  "SELECT kind, count(*) AS n FROM events GROUP BY kind ORDER BY kind"

section "SQL over a paginated HTTP JSON API (a loopback server serving generated pages; docs/http-json.md)"
python="./.venv/bin/python"
[[ -x "$python" ]] || python=python3
coproc API { "$python" tests/http/http_test_server.py; }
api_pid=$API_PID
api_in=${API[1]}
read -r -t 30 api_port <&"${API[0]}" || { echo "run_examples: the HTTP test server did not start" >&2; exit 1; }
http_sql="SELECT id % 4 AS bucket, count(*) AS n, sum(score) AS score, min(id) AS first_id, max(id) AS last_id
FROM read_http_json('http://127.0.0.1:$api_port/paged/cursor', data_path => '/data',
  pagination => 'cursor', cursor_path => '/paging/next')
GROUP BY 1 ORDER BY 1"
run "$quiver" -c "EXPLAIN $http_sql"
run "$quiver" -c "$http_sql"
# On 4 workers: the coordinator walks the pages and hands them out; the tasks fetch and parse.
run "$quiver" --workers 4 --show-distributed-plan -c "$http_sql"
run "$quiver" --workers 4 -c "$http_sql"
eval "exec ${api_in}>&-"
wait "$api_pid" 2>/dev/null || true

section "numbers(0, 11) and numbers(0, 100): the seed's distributed plans"
run "$build/examples/custom_execution_plan" \
  "SELECT DISTINCT number FROM numbers(0, 11) ORDER BY number" --show-distributed-plan
run "$build/examples/custom_execution_plan" \
  "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number" --workers 10 --show-distributed-plan

section "scan(...): work unit feeds, chunks streamed to the workers while the query runs"
run "$build/examples/work_unit_feed" \
  "SELECT * FROM scan(2, '3,1', '2', '4', '1,1') ORDER BY task, partition" --show-distributed-plan
run "$build/examples/work_unit_feed" \
  "SELECT count(*) as cnt, task FROM scan(2, '3,1', '2', '4', '1,1') GROUP BY task ORDER BY task"

section "weather on 4 Flight workers inside the quiver process (docs/distributed.md)"
run "$quiver" --workers 4 --set distributed.bytes_per_partition=1KB --table weather=testdata/weather \
  --show-distributed-plan -c \
  'SELECT "RainToday", count(*) AS days FROM weather GROUP BY "RainToday" ORDER BY "RainToday"'
run "$quiver" --workers 4 --set distributed.bytes_per_partition=1KB --table weather=testdata/weather \
  -c 'SELECT "RainToday", count(*) AS days FROM weather GROUP BY "RainToday" ORDER BY "RainToday"'
# A join with a derived table and a subquery: the join's inputs are shuffled between stages.
join_sql='SELECT w."WindGustDir", count(*) AS days, max(g.top) AS top_gust
FROM weather w JOIN (SELECT "WindGustDir", max("WindGustSpeed") AS top FROM weather GROUP BY 1) g
  ON w."WindGustDir" = g."WindGustDir" AND w."WindGustSpeed" = g.top
WHERE w."Rainfall" > (SELECT avg("Rainfall") FROM weather) OR w."RainToday" = '"'"'No'"'"'
GROUP BY 1 ORDER BY days DESC, 1 LIMIT 5'
run "$quiver" --workers 4 --set distributed.bytes_per_partition=1KB --table weather=testdata/weather \
  --show-distributed-plan -c "$join_sql"
run "$quiver" --workers 4 --set distributed.bytes_per_partition=1KB --table weather=testdata/weather \
  -c "$join_sql"
run "$build/examples/in_memory_cluster" --workers 4

section "weather on 4 worker processes on localhost"
run "$build/examples/localhost" --workers 4
run "$build/examples/custom_distributed_partial_reduction_tree" 'SELECT "RainToday", count(*) FROM weather GROUP BY "RainToday"' --show-distributed-plan
