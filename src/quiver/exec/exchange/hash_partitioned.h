#pragma once

#include <arrow/result.h>

#include <functional>
#include <vector>

#include "quiver/physical/execution_plan.h"

/// What is known about how a plan's rows are spread by hash over its partitions
/// (PlanProperties::hash_keys), so that a planner does not re-hash rows that already sit in the
/// partition their keys hash to. Each operator states how it passes its inputs' hash keys on:
/// a hash RepartitionExec on plain columns sets them; projections of plain columns rename them;
/// filters and partition-preserving sorts keep them; FinalPartitioned and SinglePartitioned
/// aggregates keep those on group columns; a hash join's output partition p holds rows of its
/// inputs' partition p only (the left side's for a partitioned Inner, Left, LeftSemi or LeftAnti
/// join, the right side's for Inner, Right, RightSemi and RightAnti joins in either mode). An
/// operator of one's own leaves them empty unless it sets them too.
namespace quiver::exec {

/// Hash key lists of a plan's output (PlanProperties::hash_keys).
using HashKeys = std::vector<std::vector<int>>;

/// Returns `keys` with every column c renamed `output_of(c)`; a list with a column that maps to
/// -1 is dropped.
HashKeys map_hash_keys(const HashKeys& keys, const std::function<int(int)>& output_of);

/// Returns the index of `expr` when it is a plain column, else -1.
int plain_column_index(const physical::PhysicalExprPtr& expr);

/// Returns the hash key lists of `node`'s output (its PlanProperties::hash_keys).
const HashKeys& hash_partition_keys(const physical::ExecutionPlan& node);

/// Returns true when `node` has `count` output partitions and is hash-partitioned on exactly
/// `columns`.
bool hash_partitioned_on(const physical::ExecutionPlan& node, const std::vector<int>& columns,
                         int count);

/// Returns true when `node` is hash-partitioned on columns that are all plain-column entries of
/// `exprs` (any of them, in any order): rows equal in every one of `exprs` then lie in one
/// partition, so an aggregation grouping by `exprs` can run in each partition on its own.
bool hash_partitioned_within(const physical::ExecutionPlan& node,
                             const std::vector<physical::PhysicalExprPtr>& exprs);

/// Returns a hash RepartitionExec of `input` on `keys` into `count` partitions, or `input`
/// itself when it is already partitioned that way (plain column keys only).
arrow::Result<physical::ExecutionPlanPtr> hash_repartition(
    physical::ExecutionPlanPtr input, std::vector<physical::PhysicalExprPtr> keys, int count);

}  // namespace quiver::exec
