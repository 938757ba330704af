#pragma once

#include "quiver/physical/execution_plan.h"

/// Which operators constrain how a stage may be split into tasks. A stage with several tasks runs
/// the same plan on a share of the rows in each task, which is right only for operators that work
/// row by row or per hash partition; the rules here name the others.
namespace quiver::distributed {

/// Returns true for joins whose left (build) input must be whole in every task that runs them:
/// HashJoinExec in CollectLeft mode, NestedLoopJoinExec and CrossJoinExec. The distributed planner
/// puts a NetworkBroadcastExec above such a left input (`distributed.broadcast_joins`).
bool needs_whole_left(const physical::ExecutionPlan& plan);

/// Returns true when the stage holding `plan` may run only one task:
/// - operators that combine all their input rows: AggregateExec in Single or Final mode,
///   GlobalLimitExec, SortExec merging its partitions, and (unless `user_placed`, where a user's
///   rule chose the boundaries and task counts) CoalescePartitionsExec and
///   SortPreservingMergeExec;
/// - joins that need their whole left input and emit unmatched left rows (Left, Full, LeftSemi,
///   LeftAnti, null-aware anti joins), which several tasks would emit once each, and every such
///   join whose left input is not a NetworkBroadcastExec (it would be split over the tasks).
bool needs_single_task(const physical::ExecutionPlan& plan, bool user_placed);

}  // namespace quiver::distributed
