#pragma once

#include "quiver/distributed/task_estimator.h"

namespace quiver::distributed {

/// The default estimator for file scans (DataSourceExec over files): asks for
/// ceil(ceil(total bytes / distributed.bytes_per_partition) / execution.target_partitions) tasks
/// (at least one, at most one per file group), and splits the scan by file groups, group i to
/// task i mod T, through DistributedLeafExec. Other leaves are not its business.
class FileScanTaskEstimator final : public TaskEstimator {
 public:
  /// Returns the desired task count of a file scan, or nullopt for other nodes.
  std::optional<TaskEstimation> task_estimation(
      const physical::ExecutionPlan& leaf, const common::ConfigOptions& options) const override;
  /// Returns the scan wrapped in a DistributedLeafExec, or null for other nodes.
  arrow::Result<physical::ExecutionPlanPtr> scale_up_leaf_node(
      const physical::ExecutionPlanPtr& leaf, int task_count,
      const common::ConfigOptions& options) const override;
};

}  // namespace quiver::distributed
