#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/scalar.h>

#include <memory>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// A leaf producing literal rows held in memory (SQL `VALUES`), in one partition. Batches are
/// emitted in slices of at most `batch_size` rows. Displays as `ValuesExec`.
class ValuesExec : public physical::ExecutionPlan {
 public:
  /// Creates the node over batches that all have `schema` (an internal error otherwise).
  static arrow::Result<std::shared_ptr<ValuesExec>> Make(
      std::shared_ptr<arrow::Schema> schema,
      std::vector<std::shared_ptr<arrow::RecordBatch>> batches);
  /// Creates the node from rows of scalars, casting each value to its field's type; a row of the
  /// wrong width or a value that does not cast is a user error naming the row and column.
  static arrow::Result<std::shared_ptr<ValuesExec>> from_rows(
      std::shared_ptr<arrow::Schema> schema,
      const std::vector<std::vector<std::shared_ptr<arrow::Scalar>>>& rows);

  /// Returns "ValuesExec".
  std::string_view name() const override { return "ValuesExec"; }
  /// Returns the properties: one partition, bounded.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns no children.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  /// Returns this node (a leaf takes no children).
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Streams the rows of partition 0.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns "ValuesExec".
  std::string display() const override { return "ValuesExec"; }

  /// Returns the batches held.
  const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches() const { return batches_; }

 private:
  ValuesExec(std::shared_ptr<arrow::Schema> schema,
             std::vector<std::shared_ptr<arrow::RecordBatch>> batches);

  std::vector<std::shared_ptr<arrow::RecordBatch>> batches_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
