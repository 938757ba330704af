#pragma once

#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// Returns true for joins whose left (build) input must be whole in every task that runs them:
/// HashJoinExec in CollectLeft mode, NestedLoopJoinExec and CrossJoinExec. The distributed planner
/// puts a NetworkBroadcastExec above such a left input (`distributed.broadcast_joins`).
bool needs_whole_left(const physical::ExecutionPlan& plan);

/// Returns true when a join that needs its whole left input must also see its whole right input,
/// i.e. its stage may run only one task: joins that emit unmatched left rows (Left, Full,
/// LeftSemi, LeftAnti, null-aware anti joins) would emit them once per task, and without
/// broadcasting the left input would be split over the tasks.
bool needs_single_task(const physical::ExecutionPlan& plan, bool broadcast_joins);

}  // namespace quiver::distributed
