#include "quiver/distributed/join_distribution.h"

#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/join/nested_loop_join_exec.h"

namespace quiver::distributed {

bool needs_whole_left(const physical::ExecutionPlan& plan) {
  if (const auto* join = dynamic_cast<const exec::HashJoinExec*>(&plan)) {
    return join->mode() == exec::PartitionMode::kCollectLeft;
  }
  return dynamic_cast<const exec::NestedLoopJoinExec*>(&plan) != nullptr ||
         dynamic_cast<const exec::CrossJoinExec*>(&plan) != nullptr;
}

bool needs_single_task(const physical::ExecutionPlan& plan, bool broadcast_joins) {
  if (!needs_whole_left(plan)) return false;
  if (!broadcast_joins) return true;
  if (const auto* join = dynamic_cast<const exec::HashJoinExec*>(&plan)) {
    return exec::emits_unmatched_left(join->join_type()) || join->null_aware();
  }
  if (const auto* join = dynamic_cast<const exec::NestedLoopJoinExec*>(&plan)) {
    return exec::emits_unmatched_left(join->join_type());
  }
  return false;  // CrossJoinExec
}

}  // namespace quiver::distributed
