#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Keeps at most `fetch` rows of each input partition and stops pulling its input once it has
/// them. Displays as `LocalLimitExec: fetch=10`.
class LocalLimitExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; a negative fetch is an internal error.
  static arrow::Result<std::shared_ptr<LocalLimitExec>> Make(physical::ExecutionPlanPtr input,
                                                             int64_t fetch);

  /// Returns "LocalLimitExec".
  std::string_view name() const override { return "LocalLimitExec"; }
  /// Returns the input's properties.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Limits one partition of the input.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `LocalLimitExec: fetch=N`.
  std::string display() const override;

  /// Returns the row limit per partition.
  int64_t fetch() const { return fetch_; }

 private:
  LocalLimitExec(physical::ExecutionPlanPtr input, int64_t fetch);

  physical::ExecutionPlanPtr input_;
  int64_t fetch_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
