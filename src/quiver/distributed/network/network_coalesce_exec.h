#pragma once

#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "quiver/distributed/network/network_boundary.h"

namespace quiver::distributed {

/// Gathers the tasks of a producer stage into fewer consumer tasks: the N producer tasks are
/// split into M contiguous groups (the first N mod M groups one task larger), and consumer task
/// g reads its group. With P partitions per producer task, output partition p is partition
/// p mod P of the group's (p / P)-th task (empty when the group is smaller). Each output
/// partition keeps its producer partition's order. Displays as
/// `NetworkCoalesceExec: output_partitions=32, input_tasks=2`.
class NetworkCoalesceExec final : public NetworkBoundary {
 public:
  /// Creates an unplanned boundary over `input` (a user may place it; the distributed planner
  /// finalises it).
  static arrow::Result<std::shared_ptr<NetworkCoalesceExec>> Make(physical::ExecutionPlanPtr input);
  /// Creates a planned boundary.
  static arrow::Result<std::shared_ptr<NetworkCoalesceExec>> Make(
      physical::ExecutionPlanPtr input, BoundaryPlan plan,
      std::optional<StageRouting> routing = std::nullopt);

  /// Returns the producer tasks [first, end) of consumer task `task`.
  std::pair<int, int> group_of(int task) const;

  /// Returns "NetworkCoalesceExec".
  std::string_view name() const override { return "NetworkCoalesceExec"; }
  /// Returns the properties: unknown partitioning, the input's ordering.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns a copy over another producer plan and with other routing.
  arrow::Result<physical::ExecutionPlanPtr> with_input_and_routing(
      physical::ExecutionPlanPtr input, std::optional<StageRouting> routing) const override;
  /// Streams one producer partition of this consumer task's group.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns `NetworkCoalesceExec: output_partitions=N, input_tasks=M`.
  std::string display() const override;

  /// Creates the node without checks; use Make().
  NetworkCoalesceExec(physical::ExecutionPlanPtr input, BoundaryPlan plan,
                      std::optional<StageRouting> routing);

 private:
  physical::PlanProperties properties_;
};

}  // namespace quiver::distributed
