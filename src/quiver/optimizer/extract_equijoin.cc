#include "quiver/optimizer/extract_equijoin.h"

#include <utility>

#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/plan_rewrite.h"

namespace quiver::optimizer {

using logical::Expr;
using logical::ExprPtr;
using logical::LogicalPlanPtr;
using logical::PlanKind;
using logical::PlanSchema;

JoinSide expr_side(const Expr& expr, const PlanSchema& left, const PlanSchema& right) {
  if (contains_subquery(expr)) return JoinSide::kUnknown;
  bool uses_left = false;
  bool uses_right = false;
  for (const auto& c : logical::referenced_columns(expr)) {
    const bool in_left = left.find(c) >= 0;
    const bool in_right = right.find(c) >= 0;
    if (in_left == in_right) return JoinSide::kUnknown;
    uses_left = uses_left || in_left;
    uses_right = uses_right || in_right;
  }
  if (uses_left && uses_right) return JoinSide::kBoth;
  if (uses_left) return JoinSide::kLeft;
  if (uses_right) return JoinSide::kRight;
  return JoinSide::kNone;
}

std::optional<std::pair<ExprPtr, ExprPtr>> as_equijoin_key(const ExprPtr& conjunct,
                                                           const PlanSchema& left,
                                                           const PlanSchema& right) {
  if (conjunct->kind != logical::ExprKind::kBinary || conjunct->op != logical::BinaryOp::kEq) {
    return std::nullopt;
  }
  if (contains_volatile(*conjunct)) return std::nullopt;
  ExprPtr a = conjunct->args[0];
  ExprPtr b = conjunct->args[1];
  const JoinSide sa = expr_side(*a, left, right);
  const JoinSide sb = expr_side(*b, left, right);
  if (sa == JoinSide::kRight && sb == JoinSide::kLeft) {
    std::swap(a, b);
  } else if (!(sa == JoinSide::kLeft && sb == JoinSide::kRight)) {
    return std::nullopt;
  }
  // make_join casts both keys to their common type; keys that cannot be compared stay a filter
  // (whose evaluation then reports the error).
  auto lt = logical::expr_type(*a, left);
  auto rt = logical::expr_type(*b, right);
  if (!lt.ok() || !rt.ok() || !logical::comparison_coercion(*lt, *rt).ok()) return std::nullopt;
  return std::make_pair(std::move(a), std::move(b));
}

EquijoinSplit split_equijoin(const std::vector<ExprPtr>& conjuncts, const PlanSchema& left,
                             const PlanSchema& right) {
  EquijoinSplit out;
  for (const auto& c : conjuncts) {
    if (auto key = as_equijoin_key(c, left, right)) {
      out.keys.push_back(std::move(*key));
    } else {
      out.residual.push_back(c);
    }
  }
  return out;
}

std::string ExtractEquijoin::name() const { return "extract_equijoin"; }

arrow::Result<LogicalPlanPtr> ExtractEquijoin::rewrite(const LogicalPlanPtr& plan,
                                                       const common::ConfigOptions&) const {
  return transform_plan_up(plan, [](const LogicalPlanPtr& node) -> arrow::Result<LogicalPlanPtr> {
    if (node->kind != PlanKind::kJoin || !node->join_filter || node->null_aware ||
        node->join_type == logical::JoinType::kCross) {
      return node;
    }
    const PlanSchema& left = node->inputs[0]->schema;
    const PlanSchema& right = node->inputs[1]->schema;
    EquijoinSplit split = split_equijoin(split_conjunction(node->join_filter), left, right);
    if (split.keys.empty()) return node;
    auto keys = node->join_on;
    for (auto& k : split.keys) keys.push_back(std::move(k));
    return logical::make_join(node->inputs[0], node->inputs[1], node->join_type, std::move(keys),
                              conjoin(split.residual), node->null_aware);
  });
}

}  // namespace quiver::optimizer
