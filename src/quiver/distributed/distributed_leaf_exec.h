#pragma once

#include <arrow/result.h>

#include <memory>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// Splits a partitioned leaf (such as a file scan, one partition per file group) over the tasks of
/// a stage: every task keeps the leaf's partition count, and task t reads partition i only when
/// i mod task_count == t (its other partitions are empty). The inner leaf is not a child: the
/// node displays on one line as `DistributedLeafExec: DataSourceExec: file_groups=...`.
class DistributedLeafExec final : public physical::ExecutionPlan {
 public:
  /// Creates the node; `task_count` must be positive.
  static arrow::Result<std::shared_ptr<DistributedLeafExec>> Make(physical::ExecutionPlanPtr leaf,
                                                                  int task_count);

  /// Returns the wrapped leaf.
  const physical::ExecutionPlanPtr& leaf() const { return leaf_; }
  /// Returns the number of tasks the leaf is split over.
  int task_count() const { return task_count_; }

  /// Returns "DistributedLeafExec".
  std::string_view name() const override { return "DistributedLeafExec"; }
  /// Returns the leaf's properties.
  const physical::PlanProperties& properties() const override { return leaf_->properties(); }
  /// Returns no children.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  /// Returns a copy of this node over the same leaf (with metrics of its own).
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Streams the leaf's partition when it belongs to the running task, else nothing; counts the
  /// rows and the time of the leaf's stream in this node's metrics.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `DistributedLeafExec: <leaf display>`.
  std::string display() const override;

  /// Creates the node without checks; use Make().
  DistributedLeafExec(physical::ExecutionPlanPtr leaf, int task_count)
      : leaf_(std::move(leaf)), task_count_(task_count) {}

 private:
  physical::ExecutionPlanPtr leaf_;
  int task_count_;
};

}  // namespace quiver::distributed
