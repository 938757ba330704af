#pragma once

#include <arrow/result.h>

#include "quiver/common/config.h"
#include "quiver/logical/logical_plan.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::planner {

/// Plans a logical kJoin over its already planned inputs (`left` for inputs[0], `right` for
/// inputs[1]), as DataFusion does:
///   - equi-join keys -> HashJoinExec, which builds its hash table on its left input. The
///     build side is the input with fewer estimated rows (optimizer::estimate_rows): when that is
///     the right one, the inputs and the join type are swapped (Left <-> Right, LeftSemi <->
///     RightSemi, LeftAnti <-> RightAnti) and a ProjectionExec restores the column order of
///     joins that output both sides; null-aware (NOT IN) joins are never swapped. Mode
///     CollectLeft when target_partitions is 1, when the join is null-aware, or when the build
///     side's rows are known (optimizer::estimate_known_rows) to be at most
///     `optimizer.hash_join_single_partition_threshold`; otherwise Partitioned, with a
///     RepartitionExec hashing each side on its keys into target_partitions partitions;
///   - no keys -> NestedLoopJoinExec with the residual filter, or CrossJoinExec for a cross
///     join (or an inner join without condition).
/// A collected build side is probed by the other side's partitions, so a probe side with fewer
/// than target_partitions partitions is spread round-robin first. The residual filter is bound
/// to the build side's fields followed by the probe side's; output columns are in the logical
/// order.
arrow::Result<physical::ExecutionPlanPtr> plan_join(const logical::LogicalPlan& node,
                                                    physical::ExecutionPlanPtr left,
                                                    physical::ExecutionPlanPtr right,
                                                    const common::ConfigOptions& options);

}  // namespace quiver::planner
