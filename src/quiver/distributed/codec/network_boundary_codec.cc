#include "quiver/distributed/codec/network_boundary_codec.h"

#include <optional>

#include "quiver/distributed/network/network_broadcast_exec.h"
#include "quiver/distributed/network/network_coalesce_exec.h"
#include "quiver/distributed/network/network_shuffle_exec.h"

namespace quiver::distributed::codec {

namespace {

struct DecodedBoundary {
  BoundaryPlan plan;
  std::optional<StageRouting> routing;
};

arrow::Result<DecodedBoundary> decode_boundary(const proto::NetworkBoundaryNode& node,
                                               const char* name) {
  DecodedBoundary out;
  out.plan = BoundaryPlan{node.stage(), node.input_tasks(), node.consumer_tasks()};
  if (node.stage() < 0 ||
      (node.stage() > 0 && (node.input_tasks() < 1 || node.consumer_tasks() < 1))) {
    return arrow::Status::Invalid("plan codec: ", name, " with stage ", node.stage(), " and ",
                                  node.input_tasks(), " -> ", node.consumer_tasks(), " tasks");
  }
  if (node.has_routing()) {
    const auto& r = node.routing();
    StageRouting routing{
        r.query_id(), r.stage(), {r.task_workers().begin(), r.task_workers().end()}};
    if (routing.stage != out.plan.stage ||
        static_cast<int>(routing.task_workers.size()) != out.plan.input_tasks) {
      return arrow::Status::Invalid("plan codec: ", name, " reading stage ", out.plan.stage,
                                    " with ", out.plan.input_tasks, " tasks is routed to stage ",
                                    routing.stage, " with ", routing.task_workers.size(),
                                    " workers");
    }
    out.routing = std::move(routing);
  }
  return out;
}

// Rebuilds a boundary of type `Boundary` (unplanned when the stage is 0).
template <typename Boundary>
arrow::Result<physical::ExecutionPlanPtr> rebuild(const proto::NetworkBoundaryNode& node,
                                                  physical::ExecutionPlanPtr input,
                                                  const char* name) {
  ARROW_ASSIGN_OR_RAISE(auto decoded, decode_boundary(node, name));
  if (decoded.plan.stage == 0) {
    ARROW_ASSIGN_OR_RAISE(auto out, Boundary::Make(std::move(input)));
    return physical::ExecutionPlanPtr(std::move(out));
  }
  ARROW_ASSIGN_OR_RAISE(auto out,
                        Boundary::Make(std::move(input), decoded.plan, std::move(decoded.routing)));
  return physical::ExecutionPlanPtr(std::move(out));
}

}  // namespace

void encode_boundary(const NetworkBoundary& boundary, proto::NetworkBoundaryNode* out) {
  out->set_stage(boundary.plan().stage);
  out->set_input_tasks(boundary.plan().input_tasks);
  out->set_consumer_tasks(boundary.plan().consumer_tasks);
  if (const auto& routing = boundary.routing()) {
    auto* r = out->mutable_routing();
    r->set_query_id(routing->query_id);
    r->set_stage(routing->stage);
    for (const auto& worker : routing->task_workers) r->add_task_workers(worker);
  }
}

arrow::Result<physical::ExecutionPlanPtr> decode_network_shuffle(
    const proto::NetworkBoundaryNode& node, physical::ExecutionPlanPtr input) {
  return rebuild<NetworkShuffleExec>(node, std::move(input), "NetworkShuffleExec");
}

arrow::Result<physical::ExecutionPlanPtr> decode_network_coalesce(
    const proto::NetworkBoundaryNode& node, physical::ExecutionPlanPtr input) {
  return rebuild<NetworkCoalesceExec>(node, std::move(input), "NetworkCoalesceExec");
}

arrow::Result<physical::ExecutionPlanPtr> decode_network_broadcast(
    const proto::NetworkBoundaryNode& node, physical::ExecutionPlanPtr input) {
  return rebuild<NetworkBroadcastExec>(node, std::move(input), "NetworkBroadcastExec");
}

}  // namespace quiver::distributed::codec
