#pragma once

#include <arrow/result.h>

#include <functional>
#include <vector>

#include "quiver/physical/execution_plan.h"

/// What is known about how a plan's rows are spread by hash over its partitions, so that a
/// planner does not re-hash rows that already sit in the partition their keys hash to.
namespace quiver::exec {

/// For a node the exec layer does not know (a distributed network boundary, say): the node
/// whose output partitions hold the same rows in the same columns, or nullptr.
using PartitionPassThrough =
    std::function<const physical::ExecutionPlan*(const physical::ExecutionPlan&)>;

/// Returns the lists of output columns of `node` (in hashing order) such that output partition
/// p holds only rows whose hash of those columns modulo `node.output_partitions()` is p (the
/// hash of hash_partitioner.h). Several lists when they are equivalent: a partitioned inner join
/// on `o_orderkey = l_orderkey` is partitioned on both keys.
///
/// Known through: a hash RepartitionExec on plain columns; projections of plain columns;
/// filters; sorts that keep their partitions; FinalPartitioned and SinglePartitioned
/// aggregates (on their group columns); hash joins (output partition p holds rows of its
/// inputs' partition p only: the left side's for a partitioned Inner, Left, LeftSemi or
/// LeftAnti join, the right side's for Inner, Right, RightSemi and RightAnti joins in either
/// mode, a collect-left join passing its right partitions through); and whatever
/// `pass_through` names.
std::vector<std::vector<int>> hash_partition_keys(
    const physical::ExecutionPlan& node, const PartitionPassThrough& pass_through = nullptr);

/// Returns true when `node` has `count` output partitions and is hash-partitioned on exactly
/// `columns` (see hash_partition_keys).
bool hash_partitioned_on(const physical::ExecutionPlan& node, const std::vector<int>& columns,
                         int count, const PartitionPassThrough& pass_through = nullptr);

/// Returns true when `node` is hash-partitioned on columns that are all plain-column entries of
/// `exprs` (any of them, in any order): rows equal in every one of `exprs` then lie in one
/// partition, so an aggregation grouping by `exprs` can run in each partition on its own.
bool hash_partitioned_within(const physical::ExecutionPlan& node,
                             const std::vector<physical::PhysicalExprPtr>& exprs,
                             const PartitionPassThrough& pass_through = nullptr);

/// Returns a hash RepartitionExec of `input` on `keys` into `count` partitions, or `input`
/// itself when it is already partitioned that way (plain column keys only).
arrow::Result<physical::ExecutionPlanPtr> hash_repartition(
    physical::ExecutionPlanPtr input, std::vector<physical::PhysicalExprPtr> keys, int count);

}  // namespace quiver::exec
