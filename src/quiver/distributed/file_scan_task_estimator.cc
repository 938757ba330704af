#include "quiver/distributed/file_scan_task_estimator.h"

#include <algorithm>

#include "quiver/datasource/data_source_exec.h"
#include "quiver/distributed/distributed_config.h"
#include "quiver/distributed/distributed_leaf_exec.h"

namespace quiver::distributed {

namespace {

const datasource::DataSourceExec* file_scan(const physical::ExecutionPlan& leaf) {
  const auto* scan = dynamic_cast<const datasource::DataSourceExec*>(&leaf);
  if (scan == nullptr || scan->file_groups().empty()) return nullptr;
  return scan;
}

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

std::optional<TaskEstimation> FileScanTaskEstimator::task_estimation(
    const physical::ExecutionPlan& leaf, const common::ConfigOptions& options) const {
  const auto* scan = file_scan(leaf);
  if (scan == nullptr) return std::nullopt;
  int64_t bytes = 0;
  for (const auto& group : scan->file_groups()) bytes += datasource::file_group_bytes(group);
  const int64_t partitions = ceil_div(bytes, DistributedConfig::bytes_per_partition(options));
  const int64_t tasks = ceil_div(partitions, std::max(1, options.target_partitions()));
  const int64_t groups = static_cast<int64_t>(scan->file_groups().size());
  return TaskEstimation::desired(static_cast<int>(std::clamp<int64_t>(tasks, 1, groups)));
}

arrow::Result<physical::ExecutionPlanPtr> FileScanTaskEstimator::scale_up_leaf_node(
    const physical::ExecutionPlanPtr& leaf, int task_count,
    const common::ConfigOptions& /*options*/) const {
  if (file_scan(*leaf) == nullptr) return nullptr;
  ARROW_ASSIGN_OR_RAISE(auto split, DistributedLeafExec::Make(leaf, task_count));
  return split;
}

}  // namespace quiver::distributed
