#include "quiver/planner/join_planner.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/hash_partitioned.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/join/nested_loop_join_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/optimizer/cardinality.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/planner/expr_planner.h"
#include "quiver/planner/round_robin_spread.h"

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

// Binds the residual filter to `first`'s fields followed by `second`'s.
arrow::Result<std::optional<exec::JoinFilter>> bind_filter(const logical::LogicalPlan& node,
                                                           const logical::PlanSchema& first,
                                                           const logical::PlanSchema& second) {
  if (node.join_filter == nullptr) return std::nullopt;
  const auto both = logical::PlanSchema::concat(first, second);
  ARROW_ASSIGN_OR_RAISE(auto expr, create_physical_expr(*node.join_filter, both));
  return exec::JoinFilter{std::move(expr)};
}

// Returns true when the hash join should build on its right input: when that input is estimated
// to produce fewer rows than the left one. Null-aware anti joins keep their build side (their
// NULL handling needs the subquery's rows there).
bool build_on_right(const logical::LogicalPlan& node) {
  if (node.null_aware) return false;
  return optimizer::estimate_rows(*node.inputs[1]) < optimizer::estimate_rows(*node.inputs[0]);
}

// Puts a swapped join's columns (right side first) back in the logical order (left side first).
arrow::Result<ExecutionPlanPtr> restore_column_order(ExecutionPlanPtr join, int left_fields,
                                                     int right_fields) {
  const auto& schema = *join->schema();
  std::vector<exec::ProjectionExpr> exprs;
  exprs.reserve(static_cast<size_t>(left_fields + right_fields));
  for (int i = 0; i < left_fields + right_fields; ++i) {
    const int from = i < left_fields ? right_fields + i : i - left_fields;
    const std::string& name = schema.field(from)->name();
    exprs.push_back(exec::ProjectionExpr{physical::make_column(name, from), name});
  }
  return exec::ProjectionExec::Make(std::move(exprs), std::move(join));
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

  if (node.join_on.empty()) {
    if (node.null_aware) {
      return arrow::Status::UnknownError("a null-aware join needs an equi-join key");
    }
    ARROW_ASSIGN_OR_RAISE(right, spread_round_robin(std::move(right), partitions));
    ARROW_ASSIGN_OR_RAISE(auto filter, bind_filter(node, left_schema, right_schema));
    if (!filter && type == exec::JoinType::kInner) {
      return exec::CrossJoinExec::Make(std::move(left), std::move(right));
    }
    return exec::NestedLoopJoinExec::Make(std::move(left), std::move(right), std::move(filter),
                                          type);
  }

  // Hash joins build on their left input: build on the smaller side, swapping the inputs and
  // the join type (LeftSemi becomes RightSemi, Left becomes Right, ...) when that is the right.
  const bool swap = build_on_right(node);
  const auto& build_schema = swap ? right_schema : left_schema;
  const auto& probe_schema = swap ? left_schema : right_schema;
  if (swap) {
    std::swap(left, right);
    type = exec::swap_join_type(type);
  }
  ARROW_ASSIGN_OR_RAISE(auto filter, bind_filter(node, build_schema, probe_schema));
  std::vector<exec::JoinOn> on;
  std::vector<physical::PhysicalExprPtr> build_keys;
  std::vector<physical::PhysicalExprPtr> probe_keys;
  for (const auto& [l, r] : node.join_on) {
    ARROW_ASSIGN_OR_RAISE(auto bk, create_physical_expr(swap ? *r : *l, build_schema));
    ARROW_ASSIGN_OR_RAISE(auto pk, create_physical_expr(swap ? *l : *r, probe_schema));
    build_keys.push_back(bk);
    probe_keys.push_back(pk);
    on.push_back(exec::JoinOn{std::move(bk), std::move(pk)});
  }

  const auto build_rows = optimizer::estimate_known_rows(*node.inputs[swap ? 1 : 0]);
  const int64_t threshold = options.get_int("optimizer.hash_join_single_partition_threshold");
  const bool collect_left =
      partitions == 1 || node.null_aware ||
      (build_rows.has_value() && *build_rows <= static_cast<double>(threshold));
  ExecutionPlanPtr join;
  if (collect_left) {
    // The build side's partitions are drained concurrently (one thread each) rather than one
    // after the other by the single collecting thread.
    if (left->output_partitions() > 1) {
      ARROW_ASSIGN_OR_RAISE(left, exec::CoalescePartitionsExec::Make(std::move(left)));
    }
    ARROW_ASSIGN_OR_RAISE(right, spread_round_robin(std::move(right), partitions));
    ARROW_ASSIGN_OR_RAISE(
        join, exec::HashJoinExec::Make(std::move(left), std::move(right), std::move(on),
                                       std::move(filter), type, exec::PartitionMode::kCollectLeft,
                                       /*null_equals_null=*/false, node.null_aware));
  } else {
    // A side already hash-partitioned on its keys (an aggregate on them, a join on them below)
    // is not hashed again.
    ARROW_ASSIGN_OR_RAISE(left, exec::hash_repartition(std::move(left), build_keys, partitions));
    ARROW_ASSIGN_OR_RAISE(right, exec::hash_repartition(std::move(right), probe_keys, partitions));
    ARROW_ASSIGN_OR_RAISE(
        join, exec::HashJoinExec::Make(std::move(left), std::move(right), std::move(on),
                                       std::move(filter), type, exec::PartitionMode::kPartitioned,
                                       /*null_equals_null=*/false, /*null_aware=*/false));
  }
  const bool both_sides_out = type == exec::JoinType::kInner || type == exec::JoinType::kLeft ||
                              type == exec::JoinType::kRight || type == exec::JoinType::kFull;
  if (!swap || !both_sides_out) return join;
  return restore_column_order(std::move(join), left_schema.num_fields(), right_schema.num_fields());
}

}  // namespace quiver::planner
