#pragma once

#include <arrow/result.h>

#include <memory>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Merges every input partition into one output partition, in arrival order: each input
/// partition is pulled on its own thread into one bounded channel (a slow consumer slows the
/// inputs). Dropping the output stream cancels and joins the input threads. Displays as
/// `CoalescePartitionsExec`.
class CoalescePartitionsExec : public physical::ExecutionPlan {
 public:
  /// Creates the node.
  static arrow::Result<std::shared_ptr<CoalescePartitionsExec>> Make(
      physical::ExecutionPlanPtr input);

  /// Returns "CoalescePartitionsExec".
  std::string_view name() const override { return "CoalescePartitionsExec"; }
  /// Returns the properties: one partition, no ordering.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Streams every input partition's rows (partition must be 0).
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns "CoalescePartitionsExec".
  std::string display() const override { return "CoalescePartitionsExec"; }

 private:
  explicit CoalescePartitionsExec(physical::ExecutionPlanPtr input);

  physical::ExecutionPlanPtr input_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
