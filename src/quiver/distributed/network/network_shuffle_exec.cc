#include "quiver/distributed/network/network_shuffle_exec.h"

#include "quiver/distributed/network/stage_input_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"

namespace quiver::distributed {

namespace {

// The hash partitioning of the producer stage's root: a RepartitionExec, or the StageInputExec
// standing for one in a task's plan.
arrow::Result<physical::Partitioning> producer_partitioning(const physical::ExecutionPlan& input) {
  if (const auto* stage_input = dynamic_cast<const StageInputExec*>(&input)) {
    if (stage_input->producer() == "RepartitionExec" &&
        stage_input->properties().partitioning.kind == physical::Partitioning::Kind::kHash) {
      return stage_input->properties().partitioning;
    }
  }
  const auto* repartition = dynamic_cast<const exec::RepartitionExec*>(&input);
  if (repartition == nullptr ||
      repartition->partitioning().kind != physical::Partitioning::Kind::kHash) {
    return arrow::Status::Invalid("NetworkShuffleExec must sit on a hash RepartitionExec, not on ",
                                  input.display());
  }
  return repartition->partitioning();
}

}  // namespace

NetworkShuffleExec::NetworkShuffleExec(physical::ExecutionPlanPtr input, BoundaryPlan plan,
                                       std::optional<StageRouting> routing,
                                       physical::PlanProperties properties)
    : NetworkBoundary(std::move(input), plan, std::move(routing)),
      properties_(std::move(properties)) {}

arrow::Result<std::shared_ptr<NetworkShuffleExec>> NetworkShuffleExec::Make(
    physical::ExecutionPlanPtr input) {
  ARROW_ASSIGN_OR_RAISE(auto partitioning, producer_partitioning(*input));
  physical::PlanProperties properties;
  properties.schema = input->schema();
  properties.partitioning = partitioning;
  // Not yet cut into a stage boundary, it stands for its RepartitionExec's rows as they are. (Once
  // planned, a task's partitions are a slice of the global ones: no hash keys.)
  properties.hash_keys = input->properties().hash_keys;
  return std::make_shared<NetworkShuffleExec>(std::move(input), BoundaryPlan{}, std::nullopt,
                                              std::move(properties));
}

arrow::Result<std::shared_ptr<NetworkShuffleExec>> NetworkShuffleExec::Make(
    physical::ExecutionPlanPtr input, BoundaryPlan plan, std::optional<StageRouting> routing) {
  ARROW_ASSIGN_OR_RAISE(auto partitioning, producer_partitioning(*input));
  if (plan.consumer_tasks < 1 || plan.input_tasks < 1 ||
      partitioning.count % plan.consumer_tasks != 0) {
    return arrow::Status::UnknownError("NetworkShuffleExec: ", partitioning.count,
                                       " producer partitions do not split over ",
                                       plan.consumer_tasks, " consumer tasks");
  }
  partitioning.count /= plan.consumer_tasks;
  physical::PlanProperties properties;
  properties.schema = input->schema();
  properties.partitioning = partitioning;
  return std::make_shared<NetworkShuffleExec>(std::move(input), plan, std::move(routing),
                                              std::move(properties));
}

arrow::Result<physical::ExecutionPlanPtr> NetworkShuffleExec::with_input_and_routing(
    physical::ExecutionPlanPtr input, std::optional<StageRouting> routing) const {
  if (!planned()) return Make(std::move(input));
  return Make(std::move(input), plan_, std::move(routing));
}

arrow::Result<physical::RecordBatchStreamPtr> NetworkShuffleExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  const int task = context->distributed().task_index;
  const int global = task * output_partitions() + partition;
  std::vector<physical::RecordBatchStreamPtr> streams;
  for (int producer = 0; producer < plan_.input_tasks; ++producer) {
    ARROW_ASSIGN_OR_RAISE(auto stream, fetch(producer, global, *context));
    streams.push_back(std::move(stream));
  }
  return merge_streams(schema(), std::move(streams), metrics());
}

std::string NetworkShuffleExec::display() const {
  return "NetworkShuffleExec: output_partitions=" + std::to_string(output_partitions()) +
         ", input_tasks=" + (planned() ? std::to_string(plan_.input_tasks) : std::string("?"));
}

}  // namespace quiver::distributed
