#!/usr/bin/env bash
# The quiver command with --sources against the loopback HTTP server of tests/http (routes_sql.py):
# TOML and YAML source files, queries over paginated APIs, errors naming file, table and key.
# Usage: tests/cli/http_sources_test.sh [path/to/quiver]
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
QUIVER="${1:-$ROOT/build/quiver}"
QUIVER="$(cd "$(dirname "$QUIVER")" && pwd)/$(basename "$QUIVER")"
PYTHON="$ROOT/.venv/bin/python"
[[ -x "$PYTHON" ]] || PYTHON=python3
WORK="$(mktemp -d)"
# shellcheck source=checks.sh
source "$ROOT/tests/cli/checks.sh"

# The server prints its port first and exits when its stdin closes.
coproc SERVER { "$PYTHON" "$ROOT/tests/http/http_test_server.py"; }
SERVER_PID_SAVED=$SERVER_PID
SERVER_OUT=${SERVER[0]}
SERVER_IN=${SERVER[1]}
stop_server() {
  eval "exec ${SERVER_IN}>&-"
  wait "$SERVER_PID_SAVED" 2>/dev/null
  rm -rf "$WORK"
}
trap stop_server EXIT
read -r -t 30 PORT <&"$SERVER_OUT" || { echo "the test server did not start" >&2; exit 2; }
BASE="http://127.0.0.1:$PORT"
export QUIVER_TEST_API_KEY=k-123 QUIVER_TEST_TOKEN=t-456

cat >"$WORK/apis.toml" <<TOML
[tables.products]
url = "$BASE/sql/products"
data_path = "/data"
pagination = "page"
size_param = "per_page"
page_size = 10
columns = "id BIGINT, name VARCHAR, category VARCHAR, price DECIMAL(10,2), created TIMESTAMP, active BOOLEAN"

[tables.products.headers]
X-Api-Key = "\${QUIVER_TEST_API_KEY}"
TOML

cat >"$WORK/apis.yaml" <<YAML
tables:
  categories:
    url: $BASE/sql/categories
    token: \${QUIVER_TEST_TOKEN}
YAML

check "toml and yaml sources, join over two APIs" \
'label,n,total
FOOD,6,87.75
TOOLS,7,33.25
TOYS,7,76.50' \
"$("$QUIVER" --sources "$WORK/apis.toml" --sources "$WORK/apis.yaml" --format csv -c \
  "SELECT c.label, count(*) AS n, sum(p.price) AS total FROM products p
   JOIN categories c ON p.category = c.code WHERE p.active GROUP BY c.label ORDER BY c.label")"

check_contains "explain shows the URL" "JsonStreamExec: source=$BASE/sql/products, partitions=1" \
  "$("$QUIVER" --sources "$WORK/apis.toml" --format csv -c "EXPLAIN SELECT id FROM products")"

check "read_http_json in -c" "25" \
  "$("$QUIVER" --format csv -c "SELECT count(*) AS n FROM read_http_json('$BASE/sql/products',
     data_path => '/data', pagination => 'page', size_param => 'per_page', page_size => 10,
     \"headers.X-Api-Key\" => '\${QUIVER_TEST_API_KEY}')" | tail -n 1)"

printf '[tables.bad]\nurl = "%s/sql/products"\npage_size = "ten"\npagination = "offset"\n' "$BASE" \
  >"$WORK/bad.toml"
output="$("$QUIVER" --sources "$WORK/bad.toml" -c "SELECT 1" 2>&1)"
status=$?
check "bad source file exits 1" "1" "$status"
check_contains "bad source file names file, table, key and line" \
  "--sources: source file '$WORK/bad.toml': table 'bad' (line 1): option 'page_size' (line 3): expected an integer, got 'ten'" \
  "$output"

echo "$checks checks, $failures failures"
[[ $failures -eq 0 ]]
