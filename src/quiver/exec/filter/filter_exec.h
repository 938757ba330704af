#pragma once

#include <arrow/result.h>

#include <memory>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"
#include "quiver/physical/physical_expr.h"

namespace quiver::exec {

/// Keeps the rows for which a boolean predicate is true (NULL counts as false). Partitioning and
/// ordering are the input's; batches that lose every row are skipped. Displays as
/// `FilterExec: <predicate>`.
class FilterExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; a predicate that is not boolean is a user error.
  static arrow::Result<std::shared_ptr<FilterExec>> Make(physical::PhysicalExprPtr predicate,
                                                         physical::ExecutionPlanPtr input);

  /// Returns "FilterExec".
  std::string_view name() const override { return "FilterExec"; }
  /// Returns the input's properties.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Filters one partition of the input.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `FilterExec: <predicate>`.
  std::string display() const override;

  /// Returns the predicate.
  const physical::PhysicalExprPtr& predicate() const { return predicate_; }

 private:
  FilterExec(physical::PhysicalExprPtr predicate, physical::ExecutionPlanPtr input);

  physical::PhysicalExprPtr predicate_;
  physical::ExecutionPlanPtr input_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
