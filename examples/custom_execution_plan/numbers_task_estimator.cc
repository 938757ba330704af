#include "custom_execution_plan/numbers_task_estimator.h"

#include <algorithm>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec.h"

namespace quiver::examples {

namespace {

NumberRange total_range(const NumbersExec& exec) {
  const auto& ranges = exec.ranges_per_task();
  return {ranges.front().start, ranges.back().end};
}

}  // namespace

std::optional<distributed::TaskEstimation> NumbersTaskEstimator::task_estimation(
    const physical::ExecutionPlan& leaf, const common::ConfigOptions& options) const {
  const auto* numbers = dynamic_cast<const NumbersExec*>(&leaf);
  if (numbers == nullptr) return std::nullopt;
  const NumberRange range = total_range(*numbers);
  const int64_t per_task = std::max<int64_t>(1, NumbersConfig::numbers_per_task(options));
  const int64_t count = range.end - range.start;
  const int64_t tasks = std::max<int64_t>(1, (count + per_task - 1) / per_task);
  return distributed::TaskEstimation::desired(static_cast<int>(tasks));
}

arrow::Result<physical::ExecutionPlanPtr> NumbersTaskEstimator::scale_up_leaf_node(
    const physical::ExecutionPlanPtr& leaf, int task_count,
    const common::ConfigOptions& options) const {
  const auto* numbers = dynamic_cast<const NumbersExec*>(leaf.get());
  if (numbers == nullptr) return nullptr;
  if (task_count < 1) return arrow::Status::Invalid("task count must be positive");
  const NumberRange range = total_range(*numbers);
  const int64_t count = range.end - range.start;
  const int64_t base = count / task_count;
  const int64_t extra = count % task_count;
  std::vector<NumberRange> ranges;
  int64_t next = range.start;
  for (int t = 0; t < task_count; ++t) {
    const int64_t size = base + (t < extra ? 1 : 0);
    ranges.push_back({next, next + size});
    next += size;
  }
  ARROW_ASSIGN_OR_RAISE(auto exec, NumbersExec::Make(std::move(ranges), numbers->with_column()));
  return exec;
}

}  // namespace quiver::examples
