#include "quiver/distributed/codec/join_codec.h"

#include <optional>

#include "quiver/distributed/codec/expr_codec.h"
#include "quiver/distributed/codec/network_boundary_codec.h"
#include "quiver/distributed/network/network_broadcast_exec.h"
#include "quiver/exec/exchange/broadcast_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/join/nested_loop_join_exec.h"

namespace quiver::distributed::codec {

namespace {

using physical::ExecutionPlan;
using physical::ExecutionPlanPtr;

template <typename T>
const T* exactly(const ExecutionPlan& node) {
  return typeid(node) == typeid(T) ? static_cast<const T*>(&node) : nullptr;
}

proto::JoinTypeNode encode_join_type(exec::JoinType type) {
  switch (type) {
    case exec::JoinType::kInner:
      return proto::JOIN_INNER;
    case exec::JoinType::kLeft:
      return proto::JOIN_LEFT;
    case exec::JoinType::kRight:
      return proto::JOIN_RIGHT;
    case exec::JoinType::kFull:
      return proto::JOIN_FULL;
    case exec::JoinType::kLeftSemi:
      return proto::JOIN_LEFT_SEMI;
    case exec::JoinType::kLeftAnti:
      return proto::JOIN_LEFT_ANTI;
    case exec::JoinType::kRightSemi:
      return proto::JOIN_RIGHT_SEMI;
    case exec::JoinType::kRightAnti:
      return proto::JOIN_RIGHT_ANTI;
  }
  return proto::JOIN_INNER;
}

arrow::Result<exec::JoinType> decode_join_type(int type) {
  switch (type) {
    case proto::JOIN_INNER:
      return exec::JoinType::kInner;
    case proto::JOIN_LEFT:
      return exec::JoinType::kLeft;
    case proto::JOIN_RIGHT:
      return exec::JoinType::kRight;
    case proto::JOIN_FULL:
      return exec::JoinType::kFull;
    case proto::JOIN_LEFT_SEMI:
      return exec::JoinType::kLeftSemi;
    case proto::JOIN_LEFT_ANTI:
      return exec::JoinType::kLeftAnti;
    case proto::JOIN_RIGHT_SEMI:
      return exec::JoinType::kRightSemi;
    case proto::JOIN_RIGHT_ANTI:
      return exec::JoinType::kRightAnti;
    default:
      break;
  }
  return arrow::Status::Invalid("plan codec: unknown join type ", type);
}

arrow::Result<std::optional<exec::JoinFilter>> decode_filter(bool present,
                                                             const proto::PhysicalExprNode& node) {
  if (!present) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(auto expr, decode_physical_expr(node));
  return exec::JoinFilter{std::move(expr)};
}

arrow::Status two_inputs(const std::vector<ExecutionPlanPtr>& inputs, const char* what) {
  if (inputs.size() != 2) {
    return arrow::Status::Invalid("plan codec: ", what, " with ", inputs.size(),
                                  " inputs (expected 2)");
  }
  return arrow::Status::OK();
}

arrow::Status one_input(const std::vector<ExecutionPlanPtr>& inputs, const char* what) {
  if (inputs.size() != 1) {
    return arrow::Status::Invalid("plan codec: ", what, " with ", inputs.size(),
                                  " inputs (expected 1)");
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Status encode_join_node(const ExecutionPlan& node, proto::PlanNode* out, bool* handled) {
  if (const auto* n = exactly<exec::HashJoinExec>(node)) {
    auto* m = out->mutable_hash_join();
    for (const auto& on : n->on()) {
      auto* pair = m->add_on();
      ARROW_RETURN_NOT_OK(encode_physical_expr(*on.left, pair->mutable_left()));
      ARROW_RETURN_NOT_OK(encode_physical_expr(*on.right, pair->mutable_right()));
    }
    if (n->filter()) {
      ARROW_RETURN_NOT_OK(encode_physical_expr(*n->filter()->expr, m->mutable_filter()));
    }
    m->set_join_type(encode_join_type(n->join_type()));
    m->set_collect_left(n->mode() == exec::PartitionMode::kCollectLeft);
    m->set_null_equals_null(n->null_equals_null());
    m->set_null_aware(n->null_aware());
  } else if (const auto* n = exactly<exec::NestedLoopJoinExec>(node)) {
    auto* m = out->mutable_nested_loop_join();
    if (n->filter()) {
      ARROW_RETURN_NOT_OK(encode_physical_expr(*n->filter()->expr, m->mutable_filter()));
    }
    m->set_join_type(encode_join_type(n->join_type()));
  } else if (exactly<exec::CrossJoinExec>(node) != nullptr) {
    out->mutable_cross_join();
  } else if (const auto* n = exactly<exec::BroadcastExec>(node)) {
    out->mutable_broadcast()->set_consumers(n->consumers());
  } else if (const auto* n = exactly<NetworkBroadcastExec>(node)) {
    encode_boundary(*n, out->mutable_network_broadcast());
  } else {
    return arrow::Status::OK();
  }
  *handled = true;
  return arrow::Status::OK();
}

arrow::Result<ExecutionPlanPtr> decode_join_node(const proto::PlanNode& node,
                                                 std::vector<ExecutionPlanPtr> inputs) {
  switch (node.kind_case()) {
    case proto::PlanNode::kHashJoin: {
      ARROW_RETURN_NOT_OK(two_inputs(inputs, "HashJoinExec"));
      const auto& m = node.hash_join();
      std::vector<exec::JoinOn> on;
      for (const auto& pair : m.on()) {
        ARROW_ASSIGN_OR_RAISE(auto left, decode_physical_expr(pair.left()));
        ARROW_ASSIGN_OR_RAISE(auto right, decode_physical_expr(pair.right()));
        on.push_back({std::move(left), std::move(right)});
      }
      ARROW_ASSIGN_OR_RAISE(auto filter, decode_filter(m.has_filter(), m.filter()));
      ARROW_ASSIGN_OR_RAISE(auto type, decode_join_type(m.join_type()));
      const auto mode =
          m.collect_left() ? exec::PartitionMode::kCollectLeft : exec::PartitionMode::kPartitioned;
      ARROW_ASSIGN_OR_RAISE(
          auto out, exec::HashJoinExec::Make(inputs[0], inputs[1], std::move(on), std::move(filter),
                                             type, mode, m.null_equals_null(), m.null_aware()));
      return ExecutionPlanPtr(std::move(out));
    }
    case proto::PlanNode::kNestedLoopJoin: {
      ARROW_RETURN_NOT_OK(two_inputs(inputs, "NestedLoopJoinExec"));
      const auto& m = node.nested_loop_join();
      ARROW_ASSIGN_OR_RAISE(auto filter, decode_filter(m.has_filter(), m.filter()));
      ARROW_ASSIGN_OR_RAISE(auto type, decode_join_type(m.join_type()));
      ARROW_ASSIGN_OR_RAISE(
          auto out, exec::NestedLoopJoinExec::Make(inputs[0], inputs[1], std::move(filter), type));
      return ExecutionPlanPtr(std::move(out));
    }
    case proto::PlanNode::kCrossJoin: {
      ARROW_RETURN_NOT_OK(two_inputs(inputs, "CrossJoinExec"));
      ARROW_ASSIGN_OR_RAISE(auto out, exec::CrossJoinExec::Make(inputs[0], inputs[1]));
      return ExecutionPlanPtr(std::move(out));
    }
    case proto::PlanNode::kBroadcast: {
      ARROW_RETURN_NOT_OK(one_input(inputs, "BroadcastExec"));
      ARROW_ASSIGN_OR_RAISE(auto out,
                            exec::BroadcastExec::Make(inputs[0], node.broadcast().consumers()));
      return ExecutionPlanPtr(std::move(out));
    }
    case proto::PlanNode::kNetworkBroadcast: {
      ARROW_RETURN_NOT_OK(one_input(inputs, "NetworkBroadcastExec"));
      return decode_network_broadcast(node.network_broadcast(), std::move(inputs[0]));
    }
    default:
      break;
  }
  return ExecutionPlanPtr();
}

}  // namespace quiver::distributed::codec
