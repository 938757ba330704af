#pragma once

#include <arrow/status.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/distributed_planner.h"
#include "quiver/physical/physical_optimizer_rule.h"

namespace quiver::distributed {

/// The physical optimizer rule that runs the DistributedPlanner on every query of a session.
class DistributedPlannerRule final : public physical::PhysicalOptimizerRule {
 public:
  /// Creates the rule around a planner.
  explicit DistributedPlannerRule(std::shared_ptr<const DistributedPlanner> planner)
      : planner_(std::move(planner)) {}
  /// Returns "distributed_planner".
  std::string name() const override { return "distributed_planner"; }
  /// Returns the planner.
  const std::shared_ptr<const DistributedPlanner>& planner() const { return planner_; }
  /// Returns the distributed plan (or `plan` when it needs no boundary).
  arrow::Result<physical::ExecutionPlanPtr> optimize(
      physical::ExecutionPlanPtr plan, const common::ConfigOptions& options) const override;

 private:
  std::shared_ptr<const DistributedPlanner> planner_;
};

/// Makes a session distributed: registers the `distributed.*` options (unless already there)
/// and adds a DistributedPlannerRule with `estimators` followed by the default
/// FileScanTaskEstimator. Rules the user adds afterwards run after the planner; add
/// boundary-placing rules (such as a partial-reduction tree) before calling this.
arrow::Status enable_distributed(catalog::SessionContext& session,
                                 std::shared_ptr<WorkerResolver> resolver,
                                 std::shared_ptr<Transport> transport,
                                 std::vector<std::shared_ptr<const TaskEstimator>> estimators = {});

/// Returns `count` in-process worker URLs: "in-process://worker-0", ...
std::vector<std::string> in_process_worker_urls(int count);

}  // namespace quiver::distributed
