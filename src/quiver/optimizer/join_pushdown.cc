#include "quiver/optimizer/join_pushdown.h"

#include <string>

#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/extract_equijoin.h"
#include "quiver/optimizer/implied_side_predicates.h"

namespace quiver::optimizer {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::JoinType;
using logical::PlanSchema;

namespace {

// Returns true when `e` is NULL whenever every column of `side` is NULL (strict operators over
// such a column).
bool null_if_side_null(const Expr& e, const PlanSchema& side) {
  switch (e.kind) {
    case ExprKind::kColumn:
      return side.find(e.column) >= 0;
    case ExprKind::kAlias:
    case ExprKind::kNegative:
    case ExprKind::kNot:
    case ExprKind::kCast:
      return null_if_side_null(*e.args[0], side);
    case ExprKind::kBinary:
      if (e.op == BinaryOp::kAnd || e.op == BinaryOp::kOr || e.op == BinaryOp::kIsDistinctFrom ||
          e.op == BinaryOp::kIsNotDistinctFrom) {
        return false;
      }
      return null_if_side_null(*e.args[0], side) || null_if_side_null(*e.args[1], side);
    case ExprKind::kLike:
      return null_if_side_null(*e.args[0], side) || null_if_side_null(*e.args[1], side);
    case ExprKind::kBetween:
    case ExprKind::kInList:
      return null_if_side_null(*e.args[0], side);
    default:
      return false;
  }
}

void append_unique(std::vector<ExprPtr>* list, const ExprPtr& e) {
  const std::string text = e->to_string();
  for (const auto& existing : *list) {
    if (existing->to_string() == text) return;
  }
  list->push_back(e);
}

bool is_outer(JoinType t) {
  return t == JoinType::kLeft || t == JoinType::kRight || t == JoinType::kFull;
}

// Returns the join type once a filter above removed the NULL-padded rows of the given sides.
JoinType simplify_outer(JoinType t, bool left_rejected, bool right_rejected) {
  switch (t) {
    case JoinType::kLeft:
      return right_rejected ? JoinType::kInner : t;
    case JoinType::kRight:
      return left_rejected ? JoinType::kInner : t;
    case JoinType::kFull:
      if (left_rejected && right_rejected) return JoinType::kInner;
      if (left_rejected) return JoinType::kLeft;  // rows padding the left side are gone
      if (right_rejected) return JoinType::kRight;
      return t;
    default:
      return t;
  }
}

}  // namespace

bool rejects_nulls(const Expr& e, const PlanSchema& side) {
  switch (e.kind) {
    case ExprKind::kAlias:
      return rejects_nulls(*e.args[0], side);
    case ExprKind::kBinary:
      if (e.op == BinaryOp::kAnd)
        return rejects_nulls(*e.args[0], side) || rejects_nulls(*e.args[1], side);
      if (e.op == BinaryOp::kOr)
        return rejects_nulls(*e.args[0], side) && rejects_nulls(*e.args[1], side);
      return null_if_side_null(e, side);
    case ExprKind::kIsNull:
      // x IS NOT NULL is false when x is NULL; x IS NULL is true then.
      return e.negated && null_if_side_null(*e.args[0], side);
    case ExprKind::kIsTrue:
      return !e.negated && rejects_nulls(*e.args[0], side);
    case ExprKind::kIsFalse:
      return !e.negated && null_if_side_null(*e.args[0], side);
    case ExprKind::kNot:
    case ExprKind::kLike:
    case ExprKind::kBetween:
    case ExprKind::kInList:
    case ExprKind::kColumn:
    case ExprKind::kCast:
      return null_if_side_null(e, side);
    default:
      return false;
  }
}

JoinPushdown plan_join_pushdown(const logical::LogicalPlan& join, const std::vector<ExprPtr>& above,
                                bool (*movable)(const Expr&)) {
  const PlanSchema& left = join.inputs[0]->schema;
  const PlanSchema& right = join.inputs[1]->schema;
  JoinPushdown out;
  out.join_type = join.join_type;
  out.keys = join.join_on;
  const bool semi = join.join_type == JoinType::kLeftSemi || join.join_type == JoinType::kLeftAnti;

  // 1. A filter above an outer join that rejects the padded side's NULLs makes it stricter.
  if (is_outer(join.join_type)) {
    bool left_rejected = false;
    bool right_rejected = false;
    for (const auto& p : above) {
      if (expr_side(*p, left, right) == JoinSide::kUnknown) continue;
      left_rejected = left_rejected || rejects_nulls(*p, left);
      right_rejected = right_rejected || rejects_nulls(*p, right);
    }
    out.join_type = simplify_outer(join.join_type, left_rejected, right_rejected);
  }
  const JoinType type = out.join_type;

  // 2. Conjuncts of the filter above.
  std::vector<ExprPtr> on_both;  // new join conditions over both inputs
  const PlanSchema none;
  for (const auto& p : above) {
    if (!movable(*p)) {
      append_unique(&out.above, p);
      continue;
    }
    const JoinSide side = semi ? expr_side(*p, left, none) : expr_side(*p, left, right);
    const bool inner = type == JoinType::kInner || type == JoinType::kCross;
    if (side == JoinSide::kLeft && (inner || semi || type == JoinType::kLeft)) {
      append_unique(&out.to_left, p);
    } else if (side == JoinSide::kRight && (inner || type == JoinType::kRight)) {
      append_unique(&out.to_right, p);
    } else if (side == JoinSide::kBoth && inner) {
      append_unique(&on_both, p);
    } else {
      append_unique(&out.above, p);
    }
  }

  // 3. Conjuncts of the ON clause.
  if (join.null_aware) {
    if (join.join_filter) out.filter.push_back(join.join_filter);
    return out;
  }
  for (const auto& c : split_conjunction(join.join_filter)) {
    const JoinSide side = movable(*c) ? expr_side(*c, left, right) : JoinSide::kUnknown;
    const bool to_left =
        side == JoinSide::kLeft &&
        (type == JoinType::kInner || type == JoinType::kLeftSemi || type == JoinType::kRight);
    const bool to_right =
        side == JoinSide::kRight && (type == JoinType::kInner || type == JoinType::kLeftSemi ||
                                     type == JoinType::kLeftAnti || type == JoinType::kLeft);
    if (to_left) {
      append_unique(&out.to_left, c);
    } else if (to_right) {
      append_unique(&out.to_right, c);
    } else {
      append_unique(&on_both, c);
    }
  }

  // 4. Equalities between the inputs become keys; a cross join with a condition is inner.
  EquijoinSplit split = split_equijoin(on_both, left, right);
  for (auto& k : split.keys) out.keys.push_back(std::move(k));
  out.filter = std::move(split.residual);
  const bool has_condition = !out.keys.empty() || !out.filter.empty();
  if (type == JoinType::kCross && has_condition) out.join_type = JoinType::kInner;
  if (type == JoinType::kInner && !has_condition) out.join_type = JoinType::kCross;

  // 5. An OR over both inputs in the residual implies a filter on each input (see
  // implied_side_predicate), which may go where an ON conjunct over that input may go.
  const JoinType now = out.join_type;
  const bool filter_left =
      now == JoinType::kInner || now == JoinType::kLeftSemi || now == JoinType::kRight;
  const bool filter_right = now == JoinType::kInner || now == JoinType::kLeftSemi ||
                            now == JoinType::kLeftAnti || now == JoinType::kLeft;
  for (const auto& c : out.filter) {
    if (!movable(*c)) continue;
    if (filter_left) {
      if (auto implied = implied_side_predicate(c, left, right))
        append_unique(&out.to_left, implied);
    }
    if (filter_right) {
      if (auto implied = implied_side_predicate(c, right, left)) {
        append_unique(&out.to_right, implied);
      }
    }
  }
  return out;
}

}  // namespace quiver::optimizer
