#include "quiver/distributed/network/network_coalesce_exec.h"

#include <algorithm>

namespace quiver::distributed {

NetworkCoalesceExec::NetworkCoalesceExec(physical::ExecutionPlanPtr input, BoundaryPlan plan,
                                         std::optional<StageRouting> routing)
    : NetworkBoundary(std::move(input), plan, std::move(routing)) {
  const int per_task = input_->output_partitions();
  int widest_group = 1;
  if (planned()) {
    widest_group = (plan_.input_tasks + plan_.consumer_tasks - 1) / plan_.consumer_tasks;
  }
  properties_.schema = input_->schema();
  properties_.partitioning = physical::Partitioning::unknown(std::max(1, per_task * widest_group));
  properties_.output_ordering = input_->properties().output_ordering;
  properties_.emission = input_->properties().emission;
}

arrow::Result<std::shared_ptr<NetworkCoalesceExec>> NetworkCoalesceExec::Make(
    physical::ExecutionPlanPtr input) {
  return std::make_shared<NetworkCoalesceExec>(std::move(input), BoundaryPlan{}, std::nullopt);
}

arrow::Result<std::shared_ptr<NetworkCoalesceExec>> NetworkCoalesceExec::Make(
    physical::ExecutionPlanPtr input, BoundaryPlan plan, std::optional<StageRouting> routing) {
  if (plan.input_tasks < 1 || plan.consumer_tasks < 1) {
    return arrow::Status::UnknownError("NetworkCoalesceExec: invalid task counts ",
                                       plan.input_tasks, " -> ", plan.consumer_tasks);
  }
  return std::make_shared<NetworkCoalesceExec>(std::move(input), plan, std::move(routing));
}

std::pair<int, int> NetworkCoalesceExec::group_of(int task) const {
  const int base = plan_.input_tasks / plan_.consumer_tasks;
  const int extra = plan_.input_tasks % plan_.consumer_tasks;
  const int first = task * base + std::min(task, extra);
  return {first, first + base + (task < extra ? 1 : 0)};
}

arrow::Result<physical::ExecutionPlanPtr> NetworkCoalesceExec::with_input_and_routing(
    physical::ExecutionPlanPtr input, std::optional<StageRouting> routing) const {
  if (!planned()) return Make(std::move(input));
  return Make(std::move(input), plan_, std::move(routing));
}

arrow::Result<physical::RecordBatchStreamPtr> NetworkCoalesceExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  const int task = context->distributed().task_index;
  if (task < 0 || task >= plan_.consumer_tasks) {
    return arrow::Status::UnknownError("NetworkCoalesceExec runs as task ", task, " of ",
                                       plan_.consumer_tasks);
  }
  const auto [first, end] = group_of(task);
  const int per_task = std::max(1, input_->output_partitions());
  const int producer = first + partition / per_task;
  if (producer >= end) return physical::make_vector_stream(schema(), {});
  ARROW_ASSIGN_OR_RAISE(auto stream, fetch(producer, partition % per_task, *context));
  std::vector<physical::RecordBatchStreamPtr> streams;
  streams.push_back(std::move(stream));
  return concat_streams(schema(), std::move(streams), metrics());
}

std::string NetworkCoalesceExec::display() const {
  return "NetworkCoalesceExec: output_partitions=" + std::to_string(output_partitions()) +
         ", input_tasks=" + (planned() ? std::to_string(plan_.input_tasks) : std::string("?"));
}

}  // namespace quiver::distributed
