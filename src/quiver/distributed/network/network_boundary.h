#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/distributed/stage.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// How a network boundary was planned: the number of the stage it reads (its input), that
/// stage's task count, and the task count of the stage the boundary runs in. A boundary a user
/// placed and the planner has not seen yet has `stage == 0`.
struct BoundaryPlan {
  int stage = 0;
  int input_tasks = 1;
  int consumer_tasks = 1;
};

/// The common part of the nodes where one stage reads another over the network
/// (NetworkShuffleExec, NetworkCoalesceExec, NetworkBroadcastExec). The input is the producer
/// stage's plan: it is a child for plan walks and display, but it is never executed in the
/// consumer's process; the boundary fetches the producer tasks' partitions through the query's
/// Transport instead. In the plan a task is sent, the input is a StageInputExec standing for
/// that plan (see without_lower_stages).
class NetworkBoundary : public physical::ExecutionPlan {
 public:
  /// Returns the producer stage's plan.
  const physical::ExecutionPlanPtr& input() const { return input_; }
  /// Returns the planned stage numbers and task counts.
  const BoundaryPlan& plan() const { return plan_; }
  /// Returns whether the distributed planner has finalised this boundary.
  bool planned() const { return plan_.stage > 0; }
  /// Returns where the producer tasks run, once DistributedExec specialised the plan.
  const std::optional<StageRouting>& routing() const { return routing_; }
  /// Returns the input's children list.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {input_}; }
  /// Returns a copy over another producer plan and with `routing` (copies the rest).
  virtual arrow::Result<physical::ExecutionPlanPtr> with_input_and_routing(
      physical::ExecutionPlanPtr input, std::optional<StageRouting> routing) const = 0;
  /// Returns a copy over another producer plan.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;

 protected:
  NetworkBoundary(physical::ExecutionPlanPtr input, BoundaryPlan plan,
                  std::optional<StageRouting> routing)
      : input_(std::move(input)), plan_(plan), routing_(std::move(routing)) {}

  /// Starts fetching output partition `partition` of producer task `task`.
  arrow::Result<physical::RecordBatchStreamPtr> fetch(int task, int partition,
                                                      const physical::TaskContext& context) const;

  physical::ExecutionPlanPtr input_;
  BoundaryPlan plan_;
  std::optional<StageRouting> routing_;
};

/// Returns a stream that yields the batches of all `streams`, read concurrently (one thread per
/// stream, at most two batches buffered per stream: a slow consumer slows the readers), in
/// arrival order, counting its rows in `metrics`. The first error ends it; destroying it stops
/// and joins the readers, destroying (and so cancelling) the streams. One stream is read in
/// place.
physical::RecordBatchStreamPtr merge_streams(std::shared_ptr<arrow::Schema> schema,
                                             std::vector<physical::RecordBatchStreamPtr> streams,
                                             physical::MetricsSet& metrics);

/// Returns a stream that yields every batch of `streams` in turn, counting its rows in `metrics`.
physical::RecordBatchStreamPtr concat_streams(std::shared_ptr<arrow::Schema> schema,
                                              std::vector<physical::RecordBatchStreamPtr> streams,
                                              physical::MetricsSet& metrics);

}  // namespace quiver::distributed
