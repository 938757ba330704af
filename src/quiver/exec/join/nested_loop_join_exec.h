#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "quiver/exec/join/join_type.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Joins on an arbitrary condition (or none): the left input is collected once from all its
/// partitions and shared; each right partition is streamed and every right batch is compared
/// with every left row through the filter. Output partitions are the right input's. Every join
/// type is supported; unmatched left rows (Left, Full, LeftSemi, LeftAnti) are emitted once,
/// after the last right partition ends. The collected left side is reserved in the query's
/// memory pool. Displays as `NestedLoopJoinExec: join_type=Left, filter=a@0 < b@3` (no
/// `, filter=` part without a filter).
class NestedLoopJoinExec : public physical::ExecutionPlan {
 public:
  /// Creates the node; a filter that is not boolean is an error.
  static arrow::Result<std::shared_ptr<NestedLoopJoinExec>> Make(physical::ExecutionPlanPtr left,
                                                                 physical::ExecutionPlanPtr right,
                                                                 std::optional<JoinFilter> filter,
                                                                 JoinType join_type);

  std::string_view name() const override { return "NestedLoopJoinExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {left_, right_}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override;

  const physical::ExecutionPlanPtr& left() const { return left_; }
  const physical::ExecutionPlanPtr& right() const { return right_; }
  const std::optional<JoinFilter>& filter() const { return filter_; }
  JoinType join_type() const { return join_type_; }

 private:
  struct Shared;
  NestedLoopJoinExec(physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right,
                     std::optional<JoinFilter> filter, JoinType join_type);

  physical::ExecutionPlanPtr left_;
  physical::ExecutionPlanPtr right_;
  std::optional<JoinFilter> filter_;
  JoinType join_type_;
  physical::PlanProperties properties_;
  std::shared_ptr<Shared> shared_;
};

/// Cartesian product: the left input is collected once and shared; each right partition is
/// streamed and every right batch is paired with all left rows (output in batch_size slices).
/// Output: left fields then right fields; partitions are the right input's. Displays as
/// `CrossJoinExec`.
class CrossJoinExec : public physical::ExecutionPlan {
 public:
  static arrow::Result<std::shared_ptr<CrossJoinExec>> Make(physical::ExecutionPlanPtr left,
                                                            physical::ExecutionPlanPtr right);

  std::string_view name() const override { return "CrossJoinExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {left_, right_}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override { return "CrossJoinExec"; }

  const physical::ExecutionPlanPtr& left() const { return left_; }
  const physical::ExecutionPlanPtr& right() const { return right_; }

 private:
  struct Shared;
  CrossJoinExec(physical::ExecutionPlanPtr left, physical::ExecutionPlanPtr right);

  physical::ExecutionPlanPtr left_;
  physical::ExecutionPlanPtr right_;
  physical::PlanProperties properties_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace quiver::exec
