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

# Seed 001, distributed: numbers(0, 11), numbers(0, 100) on 4 workers and on 10 workers. The
# seed's text is reproduced exactly except for one line: the seed's engine puts a
# `CooperativeExec` between the RoundRobinBatch RepartitionExec and NumbersExec (a cooperative
# scheduling wrapper Quiver does not have), so here NumbersExec sits where CooperativeExec is in
# the seed, one level up (the seed also indents its 100-number NumbersExec lines by two extra
# spaces, an artefact of that wrapper).
expected='┌───── DistributedExec ── Tasks: t0:[p0] 
│ SortPreservingMergeExec: [number@0 ASC NULLS LAST]
│   [Stage 2] => NetworkCoalesceExec: output_partitions=32, input_tasks=2
└──────────────────────────────────────────────────
  ┌───── Stage 2 ── Tasks: t0:[p0..p15] t1:[p0..p15] 
  │ SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]
  │   AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]
  │     [Stage 1] => NetworkShuffleExec: output_partitions=16, input_tasks=2
  └──────────────────────────────────────────────────
    ┌───── Stage 1 ── Tasks: t0:[p0..p31] t1:[p0..p31] 
    │ RepartitionExec: partitioning=Hash([number@0], 32), input_partitions=16
    │   AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]
    │     RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1
    │       NumbersExec: t0:[0-6), t1:[6-11)
    └──────────────────────────────────────────────────'
actual="$("$numbers" "SELECT DISTINCT number FROM numbers(0, 11) ORDER BY number" \
  --show-distributed-plan 2>/dev/null)"
check "numbers(0, 11) distributed plan" "$expected" "$actual"

expected='┌───── DistributedExec ── Tasks: t0:[p0] 
│ SortPreservingMergeExec: [number@0 ASC NULLS LAST]
│   [Stage 2] => NetworkCoalesceExec: output_partitions=48, input_tasks=3
└──────────────────────────────────────────────────
  ┌───── Stage 2 ── Tasks: t0:[p0..p15] t1:[p0..p15] t2:[p0..p15] 
  │ SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]
  │   AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]
  │     [Stage 1] => NetworkShuffleExec: output_partitions=16, input_tasks=4
  └──────────────────────────────────────────────────
    ┌───── Stage 1 ── Tasks: t0:[p0..p47] t1:[p0..p47] t2:[p0..p47] t3:[p0..p47] 
    │ RepartitionExec: partitioning=Hash([number@0], 48), input_partitions=16
    │   AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]
    │     RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1
    │       NumbersExec: t0:[0-25), t1:[25-50), t2:[50-75), t3:[75-100)
    └──────────────────────────────────────────────────'
actual="$("$numbers" "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number" \
  --show-distributed-plan 2>/dev/null)"
check "numbers(0, 100) distributed plan, 4 workers" "$expected" "$actual"

expected='┌───── DistributedExec ── Tasks: t0:[p0] 
│ SortPreservingMergeExec: [number@0 ASC NULLS LAST]
│   [Stage 2] => NetworkCoalesceExec: output_partitions=112, input_tasks=7
└──────────────────────────────────────────────────
  ┌───── Stage 2 ── Tasks: t0:[p0..p15] t1:[p0..p15] t2:[p0..p15] t3:[p0..p15] t4:[p0..p15] t5:[p0..p15] t6:[p0..p15] 
  │ SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]
  │   AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]
  │     [Stage 1] => NetworkShuffleExec: output_partitions=16, input_tasks=10
  └──────────────────────────────────────────────────
    ┌───── Stage 1 ── Tasks: t0:[p0..p111] t1:[p0..p111] t2:[p0..p111] t3:[p0..p111] t4:[p0..p111] t5:[p0..p111] t6:[p0..p111] t7:[p0..p111] t8:[p0..p111] t9:[p0..p111] 
    │ RepartitionExec: partitioning=Hash([number@0], 112), input_partitions=16
    │   AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]
    │     RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1
    │       NumbersExec: t0:[0-10), t1:[10-20), t2:[20-30), t3:[30-40), t4:[40-50), t5:[50-60), t6:[60-70), t7:[70-80), t8:[80-90), t9:[90-100)
    └──────────────────────────────────────────────────'
actual="$("$numbers" "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number" \
  --workers 10 --show-distributed-plan 2>/dev/null)"
check "numbers(0, 100) distributed plan, 10 workers" "$expected" "$actual"

# The distributed runs give the single-node answer.
for w in 4 10; do
  actual="$("$numbers" "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number" --workers "$w" 2>&1 |
    grep -E '^\| *[0-9]+ *\|$' | tr -d '| ' | tr '\n' ' ')"
  check "numbers(0, 100) result on $w workers" "$(seq -s ' ' 0 99) " "$actual"
done

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

# Seed 002: the partial-reduction tree, boundaries placed by a user PhysicalOptimizerRule. Key
# lines of the plan, with the box drawing and indentation removed and the data path shortened as
# the seed does (the seed numbers partitions across tasks, t1:[p3..p5]; Quiver numbers them per
# task, t1:[p0..p2], so the stage headers are compared by task count only).
tree="$build/examples/custom_distributed_partial_reduction_tree"
count_sql='SELECT "RainToday", count(*) FROM weather GROUP BY "RainToday"'
avg_sql='SELECT "RainToday", avg("MaxTemp") FROM weather GROUP BY "RainToday"'
tree_plan="$("$tree" "$count_sql" --show-distributed-plan 2>/dev/null)"
expected='AggregateExec: mode=Final, gby=[RainToday@0 as RainToday], aggr=[count(Int64(1))]
[Stage 2] => NetworkCoalesceExec: output_partitions=2, input_tasks=2
AggregateExec: mode=PartialReduce, gby=[RainToday@0 as RainToday], aggr=[count(Int64(1))]
[Stage 1] => NetworkCoalesceExec: output_partitions=6, input_tasks=3
AggregateExec: mode=Partial, gby=[RainToday@0 as RainToday], aggr=[count(Int64(1))]
DistributedLeafExec: DataSourceExec: file_groups={3 groups: [[.../weather/result-000000.parquet], [.../weather/result-000001.parquet], [.../weather/result-000002.parquet]]}, projection=[RainToday], file_type=parquet'
actual="$(printf '%s\n' "$tree_plan" | sed -E 's/^[[:space:]]*│[[:space:]]*//' |
  grep -E '^(AggregateExec|\[Stage [0-9]+\] => NetworkCoalesceExec|DistributedLeafExec)' |
  sed 's|testdata/weather/|.../weather/|g')"
check "partial reduction tree plan: key lines" "$expected" "$actual"
actual="$(printf '%s\n' "$tree_plan" | grep -E '── Tasks:' |
  sed -E 's/^[[:space:]]*┌───── ([A-Za-z]+( [0-9]+)?) ── Tasks:(.*)$/\1 \3/' |
  awk '{ n = gsub(/t[0-9]+:/, ""); print $1 ($2 ~ /^[0-9]+$/ ? " " $2 : "") ": " n " tasks" }')"
check "partial reduction tree plan: tasks per stage" "DistributedExec: 1 tasks
Stage 2: 2 tasks
Stage 1: 3 tasks" "$actual"
actual="$(printf '%s\n' "$tree_plan" | grep -c 'ProjectionExec: expr=\[RainToday@0 as RainToday, count(Int64(1))@1 as count(\*)\]')"
check "partial reduction tree plan: projection on the root" "1" "$actual"

# Its results equal the single-node answers (rows sorted; floats compared to 10 decimals, since
# merging partial sums in another order may change the last bits of a double).
rows() { grep -E '^\| *(Yes|No) ' | tr -d '|' | awk '{ printf "%s %.10f\n", $1, $2 }' | sort; }
actual="$("$tree" "$count_sql" 2>/dev/null | rows)"
check "partial reduction tree count(*) result" "No 321.0000000000
Yes 45.0000000000" "$actual"
expected="$("$build/quiver" --table weather=testdata/weather -c "$avg_sql" 2>/dev/null | rows)"
actual="$("$tree" "$avg_sql" 2>/dev/null | rows)"
check "partial reduction tree avg result equals single node" "$expected" "$actual"
checks=$((checks + 1))
if [[ "$(printf '%s\n' "$expected" | wc -l)" != 2 ]]; then
  failures=$((failures + 1))
  echo "FAIL: single-node avg result has not two rows: $expected"
fi

# Seed 003: the work unit feed example. The plan is the seed's text except the stage header of
# stage 1: the seed numbers partitions across tasks (t1:[p2..p3]), Quiver per task (t1:[p0..p1]);
# like every Quiver stage header, the task lists end with a space.
feed="$build/examples/work_unit_feed"
expected='┌───── DistributedExec ── Tasks: t0:[p0] 
│ SortPreservingMergeExec: [task@0 ASC NULLS LAST, partition@1 ASC NULLS LAST]
│   [Stage 1] => NetworkCoalesceExec: output_partitions=4, input_tasks=2
└──────────────────────────────────────────────────
  ┌───── Stage 1 ── Tasks: t0:[p0..p1] t1:[p0..p1] 
  │ SortExec: expr=[task@0 ASC NULLS LAST, partition@1 ASC NULLS LAST], preserve_partitioning=[true]
  │   RemoteScanExec: tasks=2, partition_chunks=[[3, 1], [2], [4], [1, 1]]
  └──────────────────────────────────────────────────'
actual="$("$feed" "SELECT * FROM scan(2, '3,1', '2', '4', '1,1') ORDER BY task, partition" \
  --show-distributed-plan 2>/dev/null)"
check "work_unit_feed plan" "$expected" "$actual"

expected='+-----+------+
| cnt | task |
+-----+------+
| 6   | 0    |
| 6   | 1    |
+-----+------+'
count_sql="SELECT count(*) as cnt, task FROM scan(2, '3,1', '2', '4', '1,1') GROUP BY task ORDER BY task"
actual="$("$feed" "$count_sql" 2>&1)"
check "work_unit_feed count per task" "$expected" "$actual"
actual="$("$feed" "$count_sql" --flight 2>&1)"
check "work_unit_feed count per task over Flight workers" "$expected" "$actual"

# Every row of every chunk, tagged with its task and partition (task t owns partitions 2t, 2t+1).
actual="$("$feed" "SELECT task, partition, count(*) AS n FROM scan(2, '3,1', '2', '4', '1,1') GROUP BY task, partition ORDER BY task, partition" 2>&1 |
  grep -E '^\| *[0-9]' | tr -d '|' | tr -s ' ' | sed 's/^ //; s/ $//' | tr '\n' ';')"
check "work_unit_feed rows per partition" "0 0 4;0 1 2;1 2 4;1 3 2;" "$actual"

out="$("$feed" "SELECT * FROM scan(2, '3,1', '2', '4')" 2>&1)"
rc=$?
check "work_unit_feed bad partition count exit code" "1" "$rc"
checks=$((checks + 1))
if [[ "$out" != *"the 3 partition arguments are not a multiple of the task count 2"* ]]; then
  failures=$((failures + 1))
  echo "FAIL: work_unit_feed bad partition count message: $out"
fi

echo "$((checks - failures)) passed, $failures failed"
[[ $failures -eq 0 ]]
