#pragma once

#include <arrow/result.h>

#include "quiver/common/config.h"
#include "quiver/logical/logical_plan.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::planner {

/// Plans a logical kJoin over its already planned inputs (`left` for inputs[0], `right` for
/// inputs[1]), as DataFusion does:
///   - equi-join keys -> HashJoinExec; mode CollectLeft when target_partitions is 1, when the
///     join is null-aware, or when the left side is estimated (estimate_rows) at most
///     `optimizer.hash_join_single_partition_threshold` rows; otherwise Partitioned, with a
///     RepartitionExec hashing each side on its keys into target_partitions partitions;
///   - no keys -> NestedLoopJoinExec with the residual filter, or CrossJoinExec for a cross
///     join (or an inner join without condition).
/// A collected left side is probed by the right side's partitions, so a right side with fewer
/// than target_partitions partitions is spread round-robin first. The residual filter is bound
/// to the left fields followed by the right fields; output columns are in the logical order.
arrow::Result<physical::ExecutionPlanPtr> plan_join(const logical::LogicalPlan& node,
                                                    physical::ExecutionPlanPtr left,
                                                    physical::ExecutionPlanPtr right,
                                                    const common::ConfigOptions& options);

}  // namespace quiver::planner
