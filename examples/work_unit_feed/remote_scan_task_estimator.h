#pragma once

#include "quiver/distributed/task_estimator.h"

namespace quiver::examples {

/// Distributes RemoteScanExec: asks for the task count given to scan(task_count, ...) and splits
/// the node over the tasks the planner grants (RemoteScanExec::with_tasks).
class RemoteScanTaskEstimator final : public distributed::TaskEstimator {
 public:
  /// Returns desired(task_count) for a RemoteScanExec, nullopt for other nodes.
  std::optional<distributed::TaskEstimation> task_estimation(
      const physical::ExecutionPlan& leaf, const common::ConfigOptions& options) const override;
  /// Returns the RemoteScanExec split over `task_count` tasks; null for other nodes.
  arrow::Result<physical::ExecutionPlanPtr> scale_up_leaf_node(
      const physical::ExecutionPlanPtr& leaf, int task_count,
      const common::ConfigOptions& options) const override;
};

}  // namespace quiver::examples
