#include "work_unit_feed/remote_scan_task_estimator.h"

#include "work_unit_feed/remote_scan_exec.h"

namespace quiver::examples {

std::optional<distributed::TaskEstimation> RemoteScanTaskEstimator::task_estimation(
    const physical::ExecutionPlan& leaf, const common::ConfigOptions&) const {
  const auto* scan = dynamic_cast<const RemoteScanExec*>(&leaf);
  if (scan == nullptr) return std::nullopt;
  return distributed::TaskEstimation::desired(scan->requested_tasks());
}

arrow::Result<physical::ExecutionPlanPtr> RemoteScanTaskEstimator::scale_up_leaf_node(
    const physical::ExecutionPlanPtr& leaf, int task_count, const common::ConfigOptions&) const {
  const auto* scan = dynamic_cast<const RemoteScanExec*>(leaf.get());
  if (scan == nullptr) return nullptr;
  ARROW_ASSIGN_OR_RAISE(auto split, scan->with_tasks(task_count));
  return physical::ExecutionPlanPtr(std::move(split));
}

}  // namespace quiver::examples
