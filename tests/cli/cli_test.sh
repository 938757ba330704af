#!/usr/bin/env bash
# End-to-end checks of the quiver command: flags, output formats, scripts, errors, exit codes.
# Usage: tests/cli/cli_test.sh [path/to/quiver]   (run from anywhere; default build/quiver)
set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
QUIVER="${1:-$ROOT/build/quiver}"
QUIVER="$(cd "$(dirname "$QUIVER")" && pwd)/$(basename "$QUIVER")"
PEOPLE="$ROOT/testdata/csv/people.csv"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || exit 2

# shellcheck source=checks.sh
source "$ROOT/tests/cli/checks.sh"

if [[ ! -x "$QUIVER" ]]; then
  echo "quiver binary not found at $QUIVER" >&2
  exit 2
fi

# --version
check_contains "--version" "quiver " "$("$QUIVER" --version)"

# Table format: a box sized to the content, NULL shown as NULL.
check "table format" \
"+---+------+
| a | b    |
+---+------+
| 1 | NULL |
+---+------+" \
"$("$QUIVER" -c "SELECT 1 AS a, NULL AS b")"

# CSV with RFC 4180 quoting.
check "csv format" \
'a,b
1,"x,""y"""' \
"$("$QUIVER" --format csv -c "SELECT 1 AS a, 'x,\"y\"' AS b")"

# JSON and NDJSON: numbers unquoted, NULL as null, strings escaped.
check "json format" \
'[
{"a":1,"b":null,"c":"q\"uote"}
]' \
"$("$QUIVER" --format json -c "SELECT 1 AS a, NULL AS b, 'q\"uote' AS c")"
check "ndjson format" \
'{"n":1}
{"n":2}' \
"$("$QUIVER" --format ndjson -c "SELECT 1 AS n UNION ALL SELECT 2 AS n ORDER BY n")"

# Several statements in one -c; a semicolon inside a string does not split.
check "statement splitting" \
's
a;b
n
2' \
"$("$QUIVER" --format csv -c "SELECT 'a;b' AS s; SELECT 2 AS n -- trailing comment")"

# -c and -f run in the order given.
printf 'SELECT 2 AS second;\n' > order.sql
check "-c and -f in order" \
'first
1
second
2' \
"$("$QUIVER" --format csv -c "SELECT 1 AS first" -f order.sql)"

# --table registers a file; \d lists it.
check "--table" \
'n
20' \
"$("$QUIVER" --table "people=$PEOPLE" --format csv -c "SELECT count(*) AS n FROM people")"
check_contains "\\d lists tables" "people" \
  "$("$QUIVER" --table "people=$PEOPLE" --format csv -c '\d')"

# --max-rows limits the table format and says so.
out="$("$QUIVER" --table "people=$PEOPLE" --max-rows 2 -c "SELECT id FROM people ORDER BY id")"
check_contains "--max-rows note" "(showing 2 of 20 rows)" "$out"
check "--max-rows rows" "2" "$(printf '%s\n' "$out" | grep -c '^| [0-9]')"

# --timing prints to stderr only.
out="$("$QUIVER" --timing --format csv -c "SELECT 1 AS a" 2>timing.err)"
check "--timing keeps stdout clean" $'a\n1' "$out"
check_contains "--timing" "1 row in " "$(cat timing.err)"
"$QUIVER" --format csv -c "SELECT 1 AS a" 2>no_timing.err >/dev/null
check "timing off by default with -c" "" "$(cat no_timing.err)"

# Statements piped into stdin run without prompts.
check "stdin" \
'v
5
w
6' \
"$(printf 'SELECT 5 AS v;\nSELECT 6\n  AS w;\n' | "$QUIVER" --format csv)"

# -f stops at the first error, names the file and line, and exits 1.
printf 'SELECT 1 AS a;\n\nSELECT no_such_column\n  FROM people;\nSELECT 3 AS c;\n' > broken.sql
out="$("$QUIVER" --table "people=$PEOPLE" --format csv -f broken.sql 2>broken.err)"
status=$?
check "-f exit status" "1" "$status"
check "-f stops at the first error" $'a\n1' "$out"
check_contains "-f error names file and line" "Error: broken.sql:3: " "$(cat broken.err)"
out="$("$QUIVER" --table "people=$PEOPLE" --format csv --continue-on-error -f broken.sql \
  2>/dev/null)"
status=$?
check "--continue-on-error exit status" "1" "$status"
check "--continue-on-error runs the rest" $'a\n1\nc\n3' "$out"

# Errors from -c: message on stderr, exit 1.
"$QUIVER" -c "SELECT FROM WHERE" >/dev/null 2>syntax.err
check "syntax error exit status" "1" "$?"
check_contains "syntax error message" "Error: " "$(cat syntax.err)"

# --set: valid options apply, unknown ones fail.
"$QUIVER" --set execution.batch_size=7 -c "SELECT 1" >/dev/null
check "--set valid" "0" "$?"
"$QUIVER" --set no_such.option=1 -c "SELECT 1" >/dev/null 2>set.err
check "--set unknown exit status" "1" "$?"
check_contains "--set unknown message" "Error: " "$(cat set.err)"

# Meta-commands in scripts.
check "\\format switches format" $'a\n1' "$("$QUIVER" -c '\format csv' -c "SELECT 1 AS a" 2>/dev/null)"
"$QUIVER" -c '\nonsense' >/dev/null 2>meta.err
check "unknown meta-command exit status" "1" "$?"
check_contains "unknown meta-command message" "unknown meta-command" "$(cat meta.err)"

echo "$((checks - failures))/$checks CLI checks passed"
[[ $failures -eq 0 ]]
