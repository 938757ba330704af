#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Skips `skip` rows then keeps at most `fetch` rows (all rows when fetch is unset) of a
/// single-partition input, and stops pulling its input once done. Displays as
/// `GlobalLimitExec: skip=0, fetch=10` (`fetch=None` when unset).
class GlobalLimitExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; the input must have one partition (an internal error otherwise).
  static arrow::Result<std::shared_ptr<GlobalLimitExec>> Make(physical::ExecutionPlanPtr input,
                                                              int64_t skip,
                                                              std::optional<int64_t> fetch);

  /// Returns "GlobalLimitExec".
  std::string_view name() const override { return "GlobalLimitExec"; }
  /// Returns the input's properties.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Limits the single partition.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `GlobalLimitExec: skip=S, fetch=N`.
  std::string display() const override;

  /// Returns the rows skipped.
  int64_t skip() const { return skip_; }
  /// Returns the rows kept at most.
  std::optional<int64_t> fetch() const { return fetch_; }

 private:
  GlobalLimitExec(physical::ExecutionPlanPtr input, int64_t skip, std::optional<int64_t> fetch);

  physical::ExecutionPlanPtr input_;
  int64_t skip_;
  std::optional<int64_t> fetch_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
