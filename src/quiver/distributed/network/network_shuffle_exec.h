#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string_view>

#include "quiver/distributed/network/network_boundary.h"

namespace quiver::distributed {

/// The consumer side of a distributed hash shuffle. Its input (the producer stage) ends in a hash
/// RepartitionExec with P * consumer_tasks partitions; consumer task t, output partition p reads
/// global partition t*P+p from every producer task, one after the other. Displays as
/// `NetworkShuffleExec: output_partitions=16, input_tasks=2`.
class NetworkShuffleExec final : public NetworkBoundary {
 public:
  /// Creates an unplanned boundary above a hash RepartitionExec (a user may place it; the
  /// distributed planner finalises it). Any other input is Invalid.
  static arrow::Result<std::shared_ptr<NetworkShuffleExec>> Make(physical::ExecutionPlanPtr input);
  /// Creates a planned boundary: `input` (a hash RepartitionExec, or the StageInputExec standing
  /// for one in a task's plan) must have a partition count that is a multiple of
  /// `plan.consumer_tasks` (an internal error otherwise).
  static arrow::Result<std::shared_ptr<NetworkShuffleExec>> Make(
      physical::ExecutionPlanPtr input, BoundaryPlan plan,
      std::optional<StageRouting> routing = std::nullopt);

  /// Returns "NetworkShuffleExec".
  std::string_view name() const override { return "NetworkShuffleExec"; }
  /// Returns the properties: Hash(keys, P), no ordering.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns a copy over another producer plan and with other routing.
  arrow::Result<physical::ExecutionPlanPtr> with_input_and_routing(
      physical::ExecutionPlanPtr input, std::optional<StageRouting> routing) const override;
  /// Streams partition `partition` of this consumer task from every producer task.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `NetworkShuffleExec: output_partitions=P, input_tasks=N`.
  std::string display() const override;

  /// Creates the node without checks; use Make().
  NetworkShuffleExec(physical::ExecutionPlanPtr input, BoundaryPlan plan,
                     std::optional<StageRouting> routing, physical::PlanProperties properties);

 private:
  physical::PlanProperties properties_;
};

}  // namespace quiver::distributed
