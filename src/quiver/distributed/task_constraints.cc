#include "quiver/distributed/task_constraints.h"

#include "quiver/distributed/network/network_broadcast_exec.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/join/nested_loop_join_exec.h"
#include "quiver/exec/limit/global_limit_exec.h"
#include "quiver/exec/sort/sort_exec.h"
#include "quiver/exec/sort/sort_preserving_merge_exec.h"

namespace quiver::distributed {

namespace {

// A CoalescePartitionsExec over a NetworkBroadcastExec: each task gathers every row.
bool gathers_broadcast(const physical::ExecutionPlan& plan) {
  if (dynamic_cast<const exec::CoalescePartitionsExec*>(&plan) == nullptr) return false;
  const auto children = plan.children();
  return children.size() == 1 &&
         dynamic_cast<const NetworkBroadcastExec*>(children[0].get()) != nullptr;
}

bool combines_all_rows(const physical::ExecutionPlan& plan, bool user_placed) {
  if (const auto* aggregate = dynamic_cast<const exec::AggregateExec*>(&plan)) {
    return aggregate->mode() == exec::AggregateMode::kSingle ||
           aggregate->mode() == exec::AggregateMode::kFinal;
  }
  if (const auto* sort = dynamic_cast<const exec::SortExec*>(&plan)) {
    return !sort->preserve_partitioning();
  }
  if (dynamic_cast<const exec::GlobalLimitExec*>(&plan) != nullptr) return true;
  if (user_placed) return false;
  if (gathers_broadcast(plan)) return false;  // every task gathers all the rows anyway
  return dynamic_cast<const exec::CoalescePartitionsExec*>(&plan) != nullptr ||
         dynamic_cast<const exec::SortPreservingMergeExec*>(&plan) != nullptr;
}

bool join_needs_single_task(const physical::ExecutionPlan& plan) {
  if (!needs_whole_left(plan)) return false;
  // Without a broadcast below it, the left input would be split over the tasks like the right.
  const auto children = plan.children();
  if (children.empty() ||
      (dynamic_cast<const NetworkBroadcastExec*>(children[0].get()) == nullptr &&
       !gathers_broadcast(*children[0]))) {
    return true;
  }
  if (const auto* join = dynamic_cast<const exec::HashJoinExec*>(&plan)) {
    return exec::emits_unmatched_left(join->join_type()) || join->null_aware();
  }
  if (const auto* join = dynamic_cast<const exec::NestedLoopJoinExec*>(&plan)) {
    return exec::emits_unmatched_left(join->join_type());
  }
  return false;  // CrossJoinExec
}

}  // namespace

bool needs_whole_left(const physical::ExecutionPlan& plan) {
  if (const auto* join = dynamic_cast<const exec::HashJoinExec*>(&plan)) {
    return join->mode() == exec::PartitionMode::kCollectLeft;
  }
  return dynamic_cast<const exec::NestedLoopJoinExec*>(&plan) != nullptr ||
         dynamic_cast<const exec::CrossJoinExec*>(&plan) != nullptr;
}

bool needs_single_task(const physical::ExecutionPlan& plan, bool user_placed) {
  return combines_all_rows(plan, user_placed) || join_needs_single_task(plan);
}

}  // namespace quiver::distributed
