#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "quiver/distributed/network/network_boundary.h"

namespace quiver::distributed {

/// The consumer side of a broadcast: every consumer task reads ALL the rows of the producer
/// stage (the build side of a collect-left join, which each task needs whole). Planned, its input
/// ends in an exec::BroadcastExec serving each of its P input partitions to `consumer_tasks`
/// consumers; consumer task t, output partition q reads partition `t*P + q%P` of producer task
/// `q/P`, so it has input_tasks * P partitions and each producer partition is fetched once per
/// consumer task. Unplanned (as the planner first places it), its input is the build side itself.
/// Displays as `NetworkBroadcastExec: output_partitions=8, input_tasks=2`.
class NetworkBroadcastExec final : public NetworkBoundary {
 public:
  /// Creates an unplanned boundary above `input` (the planner finalises it).
  static arrow::Result<std::shared_ptr<NetworkBroadcastExec>> Make(
      physical::ExecutionPlanPtr input);
  /// Creates a planned boundary; `input` must be a BroadcastExec with `plan.consumer_tasks`
  /// consumers, or the StageInputExec standing for one in a task's plan (an internal error
  /// otherwise).
  static arrow::Result<std::shared_ptr<NetworkBroadcastExec>> Make(
      physical::ExecutionPlanPtr input, BoundaryPlan plan,
      std::optional<StageRouting> routing = std::nullopt);

  std::string_view name() const override { return "NetworkBroadcastExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  arrow::Result<physical::ExecutionPlanPtr> with_input_and_routing(
      physical::ExecutionPlanPtr input, std::optional<StageRouting> routing) const override;
  /// Streams partition `partition` of this consumer task's full copy of the producer's rows.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `NetworkBroadcastExec: output_partitions=Q, input_tasks=N`.
  std::string display() const override;

  /// Creates the node without checks; use Make().
  NetworkBroadcastExec(physical::ExecutionPlanPtr input, BoundaryPlan plan,
                       std::optional<StageRouting> routing, int producer_partitions);

 private:
  int producer_partitions_;  // P: partitions of the build side per producer task
  physical::PlanProperties properties_;
};

}  // namespace quiver::distributed
