#pragma once

#include <arrow/result.h>

#include <memory>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// UNION ALL: the partitions of every input side by side (output partition count = the sum of
/// the inputs'); batches are relabelled with the output schema. Displays as `UnionExec`.
class UnionExec : public physical::ExecutionPlan {
 public:
  /// Creates the node over at least one input. The output schema is `schema` when given, else the
  /// first input's; every input must have the same column count and types (a user error naming
  /// the input and column otherwise).
  static arrow::Result<std::shared_ptr<UnionExec>> Make(
      std::vector<physical::ExecutionPlanPtr> inputs,
      std::shared_ptr<arrow::Schema> schema = nullptr);

  /// Returns "UnionExec".
  std::string_view name() const override { return "UnionExec"; }
  /// Returns the properties computed at construction.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the inputs.
  std::vector<physical::ExecutionPlanPtr> children() const override { return inputs_; }
  /// Returns a copy over other inputs.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Streams the input partition that output `partition` maps to.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns "UnionExec".
  std::string display() const override { return "UnionExec"; }

 private:
  UnionExec(std::vector<physical::ExecutionPlanPtr> inputs, std::shared_ptr<arrow::Schema> schema);

  std::vector<physical::ExecutionPlanPtr> inputs_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
