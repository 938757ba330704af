#pragma once

#include <arrow/result.h>

#include <optional>
#include <string>

#include "quiver/common/config.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// How many tasks a leaf of a distributed stage asks for: a desired count (the planner may give
/// more when other leaves of the stage want more) or a maximum (the leaf cannot use more).
/// Counts merge up the plan: desired+desired = max of both, a maximum wins over a desired,
/// maximum+maximum = the smaller; every count is then capped by the number of workers.
struct TaskEstimation {
  enum class Kind { kDesired, kMaximum };
  Kind kind = Kind::kDesired;
  int count = 1;

  /// Returns a desired count.
  static TaskEstimation desired(int n) { return {Kind::kDesired, n}; }
  /// Returns a maximum count.
  static TaskEstimation maximum(int n) { return {Kind::kMaximum, n}; }
  /// Renders as "desired(3)" or "maximum(2)".
  std::string to_string() const {
    return (kind == Kind::kDesired ? "desired(" : "maximum(") + std::to_string(count) + ")";
  }
};

/// Decides how a leaf node of a plan is distributed. The distributed planner asks every
/// registered estimator about each leaf; the first that answers wins, and a leaf no estimator
/// answers for gets one task. Estimators are stateless and may be called from any thread.
class TaskEstimator {
 public:
  virtual ~TaskEstimator() = default;

  /// Returns how many tasks `leaf` should run as, or nullopt when this estimator does not know
  /// the node.
  virtual std::optional<TaskEstimation> task_estimation(
      const physical::ExecutionPlan& leaf, const common::ConfigOptions& options) const = 0;

  /// Returns `leaf` split into `task_count` per-task variants (each task executes the same node
  /// and reads DistributedTaskContext to pick its share), or null when this estimator does not
  /// know the node.
  virtual arrow::Result<physical::ExecutionPlanPtr> scale_up_leaf_node(
      const physical::ExecutionPlanPtr& leaf, int task_count,
      const common::ConfigOptions& options) const = 0;
};

}  // namespace quiver::distributed
