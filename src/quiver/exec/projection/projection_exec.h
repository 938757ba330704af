#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"
#include "quiver/physical/physical_expr.h"

namespace quiver::exec {

/// One output column of a projection: an expression and the name it is given.
struct ProjectionExpr {
  physical::PhysicalExprPtr expr;
  std::string name;
};

/// Evaluates one expression per output column over each input batch. Displays as
/// `ProjectionExec: expr=[a@0 as a, count(Int64(1))@1 as count(*)]`. The output keeps the input's
/// partition count; its partitioning and ordering are reported as unknown (expressions move
/// columns, and this node does not rewrite the input's keys).
class ProjectionExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; expressions are typed against the input schema.
  static arrow::Result<std::shared_ptr<ProjectionExec>> Make(std::vector<ProjectionExpr> exprs,
                                                             physical::ExecutionPlanPtr input);

  /// Returns "ProjectionExec".
  std::string_view name() const override { return "ProjectionExec"; }
  /// Returns the properties computed at construction.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Projects one partition of the input.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `ProjectionExec: expr=[...]`.
  std::string display() const override;

  /// Returns the output expressions.
  const std::vector<ProjectionExpr>& exprs() const { return exprs_; }

 private:
  ProjectionExec(std::vector<ProjectionExpr> exprs, physical::ExecutionPlanPtr input,
                 std::shared_ptr<arrow::Schema> schema);

  std::vector<ProjectionExpr> exprs_;
  physical::ExecutionPlanPtr input_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
