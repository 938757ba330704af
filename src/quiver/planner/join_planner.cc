#include "quiver/planner/join_planner.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/join/nested_loop_join_exec.h"
#include "quiver/planner/expr_planner.h"
#include "quiver/planner/row_estimate.h"

namespace quiver::planner {

namespace {

using logical::JoinType;
using physical::ExecutionPlanPtr;

arrow::Result<exec::JoinType> exec_join_type(JoinType type) {
  switch (type) {
    case JoinType::kInner:
    case JoinType::kCross:
      return exec::JoinType::kInner;
    case JoinType::kLeft:
      return exec::JoinType::kLeft;
    case JoinType::kRight:
      return exec::JoinType::kRight;
    case JoinType::kFull:
      return exec::JoinType::kFull;
    case JoinType::kLeftSemi:
      return exec::JoinType::kLeftSemi;
    case JoinType::kLeftAnti:
      return exec::JoinType::kLeftAnti;
  }
  return arrow::Status::UnknownError("physical planner: unknown logical join type");
}

// Spreads `plan` over `partitions` partitions round-robin when it has fewer.
arrow::Result<ExecutionPlanPtr> spread(ExecutionPlanPtr plan, int partitions) {
  if (partitions <= 1 || plan->output_partitions() >= partitions) return plan;
  return exec::RepartitionExec::Make(std::move(plan),
                                     physical::Partitioning::round_robin(partitions));
}

}  // namespace

arrow::Result<ExecutionPlanPtr> plan_join(const logical::LogicalPlan& node, ExecutionPlanPtr left,
                                          ExecutionPlanPtr right,
                                          const common::ConfigOptions& options) {
  if (node.inputs.size() != 2) {
    return arrow::Status::UnknownError("logical join without two inputs");
  }
  const auto& left_schema = node.inputs[0]->schema;
  const auto& right_schema = node.inputs[1]->schema;
  const int partitions = std::max(1, options.target_partitions());
  ARROW_ASSIGN_OR_RAISE(auto type, exec_join_type(node.join_type));

  std::optional<exec::JoinFilter> filter;
  if (node.join_filter != nullptr) {
    const auto both = logical::PlanSchema::concat(left_schema, right_schema);
    ARROW_ASSIGN_OR_RAISE(auto expr, create_physical_expr(*node.join_filter, both));
    filter = exec::JoinFilter{std::move(expr)};
  }

  if (node.join_on.empty()) {
    if (node.null_aware) {
      return arrow::Status::UnknownError("a null-aware join needs an equi-join key");
    }
    ARROW_ASSIGN_OR_RAISE(right, spread(std::move(right), partitions));
    if (!filter && type == exec::JoinType::kInner) {
      return exec::CrossJoinExec::Make(std::move(left), std::move(right));
    }
    return exec::NestedLoopJoinExec::Make(std::move(left), std::move(right), std::move(filter),
                                          type);
  }

  std::vector<exec::JoinOn> on;
  std::vector<physical::PhysicalExprPtr> left_keys;
  std::vector<physical::PhysicalExprPtr> right_keys;
  for (const auto& [l, r] : node.join_on) {
    ARROW_ASSIGN_OR_RAISE(auto lk, create_physical_expr(*l, left_schema));
    ARROW_ASSIGN_OR_RAISE(auto rk, create_physical_expr(*r, right_schema));
    left_keys.push_back(lk);
    right_keys.push_back(rk);
    on.push_back(exec::JoinOn{std::move(lk), std::move(rk)});
  }

  const auto left_rows = estimate_rows(*node.inputs[0]);
  const int64_t threshold = options.get_int("optimizer.hash_join_single_partition_threshold");
  const bool collect_left =
      partitions == 1 || node.null_aware || (left_rows.has_value() && *left_rows <= threshold);
  if (collect_left) {
    // The build side's partitions are drained concurrently (one thread each) rather than one
    // after the other by the single collecting thread.
    if (left->output_partitions() > 1) {
      ARROW_ASSIGN_OR_RAISE(left, exec::CoalescePartitionsExec::Make(std::move(left)));
    }
    ARROW_ASSIGN_OR_RAISE(right, spread(std::move(right), partitions));
    return exec::HashJoinExec::Make(std::move(left), std::move(right), std::move(on),
                                    std::move(filter), type, exec::PartitionMode::kCollectLeft,
                                    /*null_equals_null=*/false, node.null_aware);
  }
  ARROW_ASSIGN_OR_RAISE(
      left, exec::RepartitionExec::Make(std::move(left),
                                        physical::Partitioning::hash(left_keys, partitions)));
  ARROW_ASSIGN_OR_RAISE(
      right, exec::RepartitionExec::Make(std::move(right),
                                         physical::Partitioning::hash(right_keys, partitions)));
  return exec::HashJoinExec::Make(std::move(left), std::move(right), std::move(on),
                                  std::move(filter), type, exec::PartitionMode::kPartitioned,
                                  /*null_equals_null=*/false, /*null_aware=*/false);
}

}  // namespace quiver::planner
