#include "quiver/distributed/network/network_broadcast_exec.h"

#include <algorithm>

#include "quiver/distributed/network/stage_input_exec.h"
#include "quiver/exec/exchange/broadcast_exec.h"

namespace quiver::distributed {

NetworkBroadcastExec::NetworkBroadcastExec(physical::ExecutionPlanPtr input, BoundaryPlan plan,
                                           std::optional<StageRouting> routing,
                                           int producer_partitions)
    : NetworkBoundary(std::move(input), plan, std::move(routing)),
      producer_partitions_(std::max(1, producer_partitions)) {
  properties_.schema = input_->schema();
  const int tasks = planned() ? plan_.input_tasks : 1;
  properties_.partitioning = physical::Partitioning::unknown(tasks * producer_partitions_);
  properties_.emission = input_->properties().emission;
}

arrow::Result<std::shared_ptr<NetworkBroadcastExec>> NetworkBroadcastExec::Make(
    physical::ExecutionPlanPtr input) {
  const int partitions = input->output_partitions();
  return std::make_shared<NetworkBroadcastExec>(std::move(input), BoundaryPlan{}, std::nullopt,
                                                partitions);
}

arrow::Result<std::shared_ptr<NetworkBroadcastExec>> NetworkBroadcastExec::Make(
    physical::ExecutionPlanPtr input, BoundaryPlan plan, std::optional<StageRouting> routing) {
  // In a task's plan, a StageInputExec stands for the BroadcastExec: its P * consumers
  // partitions give P.
  const auto* stage_input = dynamic_cast<const StageInputExec*>(input.get());
  if (stage_input != nullptr && stage_input->producer() == "BroadcastExec" &&
      plan.input_tasks >= 1 && plan.consumer_tasks >= 1 &&
      input->output_partitions() % plan.consumer_tasks == 0) {
    const int partitions = input->output_partitions() / plan.consumer_tasks;
    return std::make_shared<NetworkBroadcastExec>(std::move(input), plan, std::move(routing),
                                                  partitions);
  }
  const auto* broadcast = dynamic_cast<const exec::BroadcastExec*>(input.get());
  if (broadcast == nullptr || plan.input_tasks < 1 ||
      broadcast->consumers() != plan.consumer_tasks) {
    return arrow::Status::UnknownError(
        "NetworkBroadcastExec must sit on a BroadcastExec serving its ", plan.consumer_tasks,
        " consumer tasks, not on ", input->display());
  }
  const int partitions = broadcast->children()[0]->output_partitions();
  return std::make_shared<NetworkBroadcastExec>(std::move(input), plan, std::move(routing),
                                                partitions);
}

arrow::Result<physical::ExecutionPlanPtr> NetworkBroadcastExec::with_input_and_routing(
    physical::ExecutionPlanPtr input, std::optional<StageRouting> routing) const {
  if (!planned()) return Make(std::move(input));
  return Make(std::move(input), plan_, std::move(routing));
}

arrow::Result<physical::RecordBatchStreamPtr> NetworkBroadcastExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  if (!planned()) {
    return arrow::Status::UnknownError("NetworkBroadcastExec executed before planning");
  }
  const int task = context->distributed().task_index;
  if (task < 0 || task >= plan_.consumer_tasks) {
    return arrow::Status::UnknownError("NetworkBroadcastExec runs as task ", task, " of ",
                                       plan_.consumer_tasks);
  }
  const int producer = partition / producer_partitions_;
  const int producer_partition = task * producer_partitions_ + partition % producer_partitions_;
  ARROW_ASSIGN_OR_RAISE(auto stream, fetch(producer, producer_partition, *context));
  std::vector<physical::RecordBatchStreamPtr> streams;
  streams.push_back(std::move(stream));
  return concat_streams(schema(), std::move(streams), metrics());
}

std::string NetworkBroadcastExec::display() const {
  return "NetworkBroadcastExec: output_partitions=" + std::to_string(output_partitions()) +
         ", input_tasks=" + (planned() ? std::to_string(plan_.input_tasks) : std::string("?"));
}

}  // namespace quiver::distributed
