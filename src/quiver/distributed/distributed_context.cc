#include "quiver/distributed/distributed_context.h"

#include "quiver/distributed/distributed_config.h"
#include "quiver/distributed/file_scan_task_estimator.h"

namespace quiver::distributed {

arrow::Result<physical::ExecutionPlanPtr> DistributedPlannerRule::optimize(
    physical::ExecutionPlanPtr plan, const common::ConfigOptions& options) const {
  return planner_->plan(plan, options);
}

arrow::Status enable_distributed(catalog::SessionContext& session,
                                 std::shared_ptr<WorkerResolver> resolver,
                                 std::shared_ptr<Transport> transport,
                                 std::vector<std::shared_ptr<const TaskEstimator>> estimators) {
  if (resolver == nullptr || transport == nullptr) {
    return arrow::Status::Invalid("enable_distributed needs a worker resolver and a transport");
  }
  if (!session.options_snapshot().get("distributed.bytes_per_partition").ok()) {
    ARROW_RETURN_NOT_OK(session.register_config_extension(DistributedConfig{}));
  }
  estimators.push_back(std::make_shared<FileScanTaskEstimator>());
  auto planner = std::make_shared<DistributedPlanner>(std::move(estimators), std::move(resolver),
                                                      std::move(transport));
  session.add_physical_optimizer_rule(std::make_shared<DistributedPlannerRule>(std::move(planner)));
  return arrow::Status::OK();
}

std::vector<std::string> in_process_worker_urls(int count) {
  std::vector<std::string> urls;
  for (int i = 0; i < count; ++i) urls.push_back("in-process://worker-" + std::to_string(i));
  return urls;
}

}  // namespace quiver::distributed
