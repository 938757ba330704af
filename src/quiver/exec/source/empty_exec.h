#pragma once

#include <arrow/result.h>

#include <memory>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// A leaf producing no rows, or exactly one row of nulls with `produce_one_row` (SELECT without
/// FROM). Displays as `EmptyExec`, or `PlaceholderRowExec` when it produces one row.
class EmptyExec : public physical::ExecutionPlan {
 public:
  /// Creates the node with one partition.
  static arrow::Result<std::shared_ptr<EmptyExec>> Make(std::shared_ptr<arrow::Schema> schema,
                                                        bool produce_one_row);

  /// Returns "EmptyExec" or "PlaceholderRowExec".
  std::string_view name() const override;
  /// Returns the properties: one partition, bounded.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns no children.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  /// Returns this node (a leaf takes no children).
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Streams nothing, or the single row.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns the name.
  std::string display() const override { return std::string(name()); }

  /// Returns whether the node produces one row.
  bool produce_one_row() const { return produce_one_row_; }

 private:
  EmptyExec(std::shared_ptr<arrow::Schema> schema, bool produce_one_row);

  bool produce_one_row_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::exec
