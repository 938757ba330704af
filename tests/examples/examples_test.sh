#!/usr/bin/env bash
# Runs the seed example programs and compares what they print with the seeds' text.
# Usage: tests/examples/examples_test.sh BUILD_DIR
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
cd "$root" || exit 2
failures=0
checks=0

check() {  # name expected actual
  checks=$((checks + 1))
  if [[ "$2" != "$3" ]]; then
    failures=$((failures + 1))
    echo "FAIL: $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/    /'
  fi
}

numbers="$build/examples/custom_execution_plan"

# Seed 001: the single-node plan for numbers(0, 10).
expected='SortPreservingMergeExec: [number@0 ASC NULLS LAST]
  SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]
    AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]
      RepartitionExec: partitioning=Hash([number@0], 16), input_partitions=16
        AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]
          RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1
            NumbersExec: t0:[0-10)'
actual="$("$numbers" "SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number" \
  --show-distributed-plan 2>/dev/null)"
check "numbers(0, 10) plan" "$expected" "$actual"

# The query's result: the ten numbers in order.
actual="$("$numbers" "SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number" 2>&1 |
  grep -E '^\| *[0-9]+ *\|$' | tr -d '| ' | tr '\n' ' ')"
check "numbers(0, 10) result" "0 1 2 3 4 5 6 7 8 9 " "$actual"

# A larger range gives the right count, sum and distinct count.
actual="$("$numbers" "SELECT count(*) AS c, sum(number) AS s, count(DISTINCT number % 7) AS d FROM numbers(0, 100000)" 2>&1 |
  grep -E '^\| *[0-9]' | tr -s ' ')"
check "numbers(0, 100000) aggregate" "| 100000 | 4999950000 | 7 |" "$actual"

# Bad arguments are a clear error and a non-zero exit.
out="$("$numbers" "SELECT * FROM numbers(5, 1)" 2>&1)"
rc=$?
check "numbers(5, 1) exit code" "1" "$rc"
checks=$((checks + 1))
if [[ "$out" != *"end (1) is before start (5)"* ]]; then
  failures=$((failures + 1))
  echo "FAIL: numbers(5, 1) message: $out"
fi

echo "$((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
