#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// Stands for the plan of a lower stage in the plan a task is sent: a network boundary never
/// executes its input (it fetches the producer tasks' partitions), so the input only has to say
/// what the boundary reads from it: the schema, the partitioning (the hash keys of a shuffle's
/// RepartitionExec, the partition count of a BroadcastExec or of a coalesced stage), the ordering
/// and the emission. It also names the stage and the operator it replaces. It is a leaf that is
/// never executed: execute() is an internal error naming the stage. Displays as
/// `StageInputExec: stage=2, producer=RepartitionExec, partitioning=Hash([k@0], 8)`.
class StageInputExec final : public physical::ExecutionPlan {
 public:
  /// Creates the placeholder for the root `producer` (an operator name) of stage `stage`, with
  /// that root's properties; `stage` must be positive and the properties must have a schema.
  static arrow::Result<std::shared_ptr<StageInputExec>> Make(int stage, std::string producer,
                                                             physical::PlanProperties properties);
  /// Creates the placeholder for `input`, the plan of stage `stage` (keeps its properties).
  static arrow::Result<std::shared_ptr<StageInputExec>> Of(int stage,
                                                           const physical::ExecutionPlan& input);

  /// Returns the number of the stage it stands for.
  int stage() const { return stage_; }
  /// Returns the name of the operator at the root of that stage (e.g. "RepartitionExec").
  const std::string& producer() const { return producer_; }

  /// Returns "StageInputExec".
  std::string_view name() const override { return "StageInputExec"; }
  /// Returns the properties of the stage plan it stands for.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns no children.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  /// Returns this node (a leaf takes no children).
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Fails: the stage runs on its own tasks and is read over the network by its boundary.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `StageInputExec: stage=N, producer=Name, partitioning=..., ordering=[...]` (the
  /// ordering only when there is one).
  std::string display() const override;

  /// Creates the node without checks; use Make().
  StageInputExec(int stage, std::string producer, physical::PlanProperties properties)
      : stage_(stage), producer_(std::move(producer)), properties_(std::move(properties)) {}

 private:
  int stage_;
  std::string producer_;
  physical::PlanProperties properties_;
};

/// Returns the plan of one stage as a task is sent it: every network boundary of the stage (not
/// looking below boundaries) reads a StageInputExec instead of the lower stage's plan, so the
/// task carries its own operators only. Nodes that have no boundary below them are kept as they
/// are (the same objects); the boundaries keep their plan and routing.
arrow::Result<physical::ExecutionPlanPtr> without_lower_stages(
    const physical::ExecutionPlanPtr& stage_plan);

}  // namespace quiver::distributed
