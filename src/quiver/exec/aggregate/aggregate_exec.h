#pragma once

#include <arrow/result.h>

#include <memory>
#include <string_view>
#include <vector>

#include "quiver/exec/aggregate/aggregate_expr.h"
#include "quiver/exec/aggregate/aggregate_mode.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Hash aggregation: GROUP BY keys through GroupTable (arrow::compute::Grouper), aggregates
/// through functions::GroupsAccumulator, in one of the AggregateModes. Displays as
/// `AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[count(Int64(1))]`.
///
/// Schemas: the output is the group columns (named by GroupExpr::name) followed by, in
/// Partial/PartialReduce modes, every aggregate's state fields, otherwise one final value per
/// aggregate (named AggregateExpr::name). In PartialReduce/Final/FinalPartitioned modes the
/// input is a Partial aggregate's output: the group expressions are columns of it, and the
/// state columns follow them in order. Aggregate arguments always refer to the raw input
/// (`raw_input_schema`), which fixes the accumulators' types.
///
/// Each output partition aggregates its input partition and emits after the input ends, in
/// batches of batch_size rows, groups in first-seen order. Without GROUP BY there is always one
/// output row (count 0, sum NULL over empty input). Groups and states are reserved in the
/// query's memory pool; a breach fails with an OutOfMemory error naming AggregateExec.
class AggregateExec : public physical::ExecutionPlan {
 public:
  /// Creates the node. `raw_input_schema` is required for modes that read partial states (the
  /// Partial aggregate's input schema) and defaults to the input's schema otherwise. Single and
  /// Final need one input partition.
  static arrow::Result<std::shared_ptr<AggregateExec>> Make(
      AggregateMode mode, std::vector<GroupExpr> group_exprs, std::vector<AggregateExpr> aggr_exprs,
      physical::ExecutionPlanPtr input, std::shared_ptr<arrow::Schema> raw_input_schema = nullptr);

  /// Returns "AggregateExec".
  std::string_view name() const override { return "AggregateExec"; }
  /// Returns the properties computed at construction.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns the input.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another input.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Aggregates one input partition.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `AggregateExec: mode=..., gby=[...], aggr=[...]`.
  std::string display() const override;

  /// Returns the mode.
  AggregateMode mode() const { return mode_; }
  /// Returns the group keys.
  const std::vector<GroupExpr>& group_exprs() const { return group_exprs_; }
  /// Returns the aggregates, resolved.
  const std::vector<BoundAggregate>& aggregates() const { return aggregates_; }
  /// Returns the aggregates as given.
  std::vector<AggregateExpr> aggr_exprs() const;
  /// Returns the schema the aggregate arguments refer to.
  const std::shared_ptr<arrow::Schema>& raw_input_schema() const { return raw_input_schema_; }
  /// Returns the input plan.
  const physical::ExecutionPlanPtr& input() const { return input_; }

 private:
  AggregateExec(AggregateMode mode, std::vector<GroupExpr> group_exprs,
                std::vector<BoundAggregate> aggregates, physical::ExecutionPlanPtr input,
                std::shared_ptr<arrow::Schema> raw_input_schema,
                std::shared_ptr<arrow::Schema> schema);

  AggregateMode mode_;
  std::vector<GroupExpr> group_exprs_;
  std::vector<BoundAggregate> aggregates_;
  physical::ExecutionPlanPtr input_;
  std::shared_ptr<arrow::Schema> raw_input_schema_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
