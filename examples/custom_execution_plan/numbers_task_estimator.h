#pragma once

#include "quiver/distributed/task_estimator.h"

namespace quiver::examples {

/// Distributes NumbersExec: asks for ceil(count / numbers.numbers_per_task) tasks, and splits the
/// range into that many near-equal per-task ranges (the first tasks get one more number when
/// the count does not divide evenly: numbers(0, 11) on 2 tasks is t0:[0-6), t1:[6-11)).
class NumbersTaskEstimator final : public distributed::TaskEstimator {
 public:
  std::optional<distributed::TaskEstimation> task_estimation(
      const physical::ExecutionPlan& leaf, const common::ConfigOptions& options) const override;
  arrow::Result<physical::ExecutionPlanPtr> scale_up_leaf_node(
      const physical::ExecutionPlanPtr& leaf, int task_count,
      const common::ConfigOptions& options) const override;
};

}  // namespace quiver::examples
