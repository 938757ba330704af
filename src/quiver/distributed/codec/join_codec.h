#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <vector>

#include "quiver/physical/execution_plan.h"
#include "quiver_plan/quiver_plan.pb.h"

/// The join nodes (HashJoinExec, NestedLoopJoinExec, CrossJoinExec) and the broadcast pair
/// (BroadcastExec, NetworkBroadcastExec) to and from their quiver_plan.proto messages. Internal
/// to the plan codec.
namespace quiver::distributed::codec {

/// Fills `out` when `node` is one of this file's nodes and sets `*handled`; leaves both alone
/// otherwise.
arrow::Status encode_join_node(const physical::ExecutionPlan& node, proto::PlanNode* out,
                               bool* handled);

/// Rebuilds one of this file's nodes over its decoded `inputs`, or returns null when `node` is
/// of another kind.
arrow::Result<physical::ExecutionPlanPtr> decode_join_node(
    const proto::PlanNode& node, std::vector<physical::ExecutionPlanPtr> inputs);

}  // namespace quiver::distributed::codec
