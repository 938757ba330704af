#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/distributed/network/network_boundary.h"
#include "quiver/physical/execution_plan.h"
#include "quiver_plan/quiver_plan.pb.h"

namespace quiver::distributed::codec {

/// Encodes what a network boundary carries besides its input: the planned stage numbers and task
/// counts and, once DistributedExec routed it, the query id and each producer task's worker.
void encode_boundary(const NetworkBoundary& boundary, proto::NetworkBoundaryNode* out);

/// Rebuilds a NetworkShuffleExec over its decoded producer plan `input`.
arrow::Result<physical::ExecutionPlanPtr> decode_network_shuffle(
    const proto::NetworkBoundaryNode& node, physical::ExecutionPlanPtr input);

/// Rebuilds a NetworkCoalesceExec over its decoded producer plan `input`.
arrow::Result<physical::ExecutionPlanPtr> decode_network_coalesce(
    const proto::NetworkBoundaryNode& node, physical::ExecutionPlanPtr input);

/// Rebuilds a NetworkBroadcastExec over its decoded producer plan `input`.
arrow::Result<physical::ExecutionPlanPtr> decode_network_broadcast(
    const proto::NetworkBoundaryNode& node, physical::ExecutionPlanPtr input);

}  // namespace quiver::distributed::codec
