#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::examples {

/// A half-open range of numbers [start, end).
struct NumberRange {
  int64_t start = 0;
  int64_t end = 0;
  bool operator==(const NumberRange&) const = default;
};

/// A leaf node that generates the column `number` (Int64). It holds one range per distributed
/// task; a task reads its `DistributedTaskContext::task_index` from the TaskContext and generates
/// only its own range. Single-node execution is task 0 of 1 with one range.
/// Displays as `NumbersExec: t0:[0-6), t1:[6-11)`.
class NumbersExec final : public physical::ExecutionPlan {
 public:
  /// Creates the node; `ranges_per_task` must not be empty. `with_column` false gives batches
  /// with no columns (only row counts), for queries that read no column (count(*)).
  static arrow::Result<std::shared_ptr<NumbersExec>> Make(std::vector<NumberRange> ranges_per_task,
                                                          bool with_column = true);

  /// Returns the schema of the full table: `number` Int64, not null.
  static std::shared_ptr<arrow::Schema> table_schema();

  /// Returns the ranges, one per task.
  const std::vector<NumberRange>& ranges_per_task() const { return ranges_; }
  /// Returns whether the `number` column is produced.
  bool with_column() const { return with_column_; }

  std::string_view name() const override { return "NumbersExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override;

  NumbersExec(std::vector<NumberRange> ranges, bool with_column);

 private:
  std::vector<NumberRange> ranges_;
  bool with_column_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::examples
