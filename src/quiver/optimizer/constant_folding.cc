#include "quiver/optimizer/constant_folding.h"

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>

#include "quiver/logical/expr_type.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/plan_rewrite.h"
#include "quiver/planner/expr_planner.h"

namespace quiver::optimizer {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::LogicalPlanPtr;

namespace {

// Returns true for the kinds that compute a value from their operands alone.
bool is_evaluable_kind(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kBinary:
    case ExprKind::kNot:
    case ExprKind::kNegative:
    case ExprKind::kIsNull:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
    case ExprKind::kBetween:
    case ExprKind::kLike:
    case ExprKind::kInList:
    case ExprKind::kCase:
    case ExprKind::kCast:
    case ExprKind::kScalarFunction:
      return true;
    default:
      return false;
  }
}

// Returns true when `e` can be evaluated now: an evaluable kind, every operand already a
// literal (children are folded first), and nothing volatile.
bool is_foldable(const Expr& e) {
  if (!is_evaluable_kind(e)) return false;
  if (e.kind == ExprKind::kScalarFunction && contains_volatile(e)) return false;
  for (const auto& child : logical::expr_children(e)) {
    if (child->kind != ExprKind::kLiteral) return false;
  }
  return true;
}

// Evaluates a constant expression on a one-row batch without columns; null on any failure.
ExprPtr evaluate(const ExprPtr& e) {
  auto physical = planner::create_physical_expr(*e, logical::PlanSchema());
  if (!physical.ok()) return nullptr;
  auto batch =
      arrow::RecordBatch::Make(arrow::schema({}), 1, std::vector<std::shared_ptr<arrow::Array>>{});
  auto datum = (*physical)->evaluate(*batch);
  if (!datum.ok()) return nullptr;
  std::shared_ptr<arrow::Scalar> value;
  if (datum->is_scalar()) {
    value = datum->scalar();
  } else if (datum->is_array() && datum->length() == 1) {
    auto scalar = datum->make_array()->GetScalar(0);
    if (!scalar.ok()) return nullptr;
    value = *scalar;
  } else {
    return nullptr;
  }
  // The literal must keep the type the plan was typed with, or the nodes above would change.
  auto expected = logical::expr_type(*e, logical::PlanSchema());
  if (!expected.ok() || !(*expected)->Equals(*value->type)) return nullptr;
  return logical::lit(std::move(value));
}

// Applies the boolean identities to one node whose operands are already simplified.
ExprPtr simplify(const ExprPtr& e) {
  if (e->kind == ExprKind::kBinary && e->op == BinaryOp::kAnd) {
    const ExprPtr& l = e->args[0];
    const ExprPtr& r = e->args[1];
    if (is_bool_literal(*r, true)) return l;
    if (is_bool_literal(*l, true)) return r;
    // FALSE AND anything is FALSE, NULL included.
    if (is_bool_literal(*r, false)) return r;
    if (is_bool_literal(*l, false)) return l;
  }
  if (e->kind == ExprKind::kBinary && e->op == BinaryOp::kOr) {
    const ExprPtr& l = e->args[0];
    const ExprPtr& r = e->args[1];
    if (is_bool_literal(*r, false)) return l;
    if (is_bool_literal(*l, false)) return r;
    // TRUE OR anything is TRUE, NULL included.
    if (is_bool_literal(*r, true)) return r;
    if (is_bool_literal(*l, true)) return l;
  }
  if (e->kind == ExprKind::kNot && e->args[0]->kind == ExprKind::kNot) {
    return e->args[0]->args[0];
  }
  return e;
}

ExprPtr fold_node(const ExprPtr& e) {
  if (is_foldable(*e)) {
    if (ExprPtr folded = evaluate(e)) return folded;
    return e;
  }
  return simplify(e);
}

}  // namespace

std::string ConstantFolding::name() const { return "constant_folding"; }

ExprPtr fold_constants(const ExprPtr& expr) { return transform_up(expr, fold_node); }

arrow::Result<LogicalPlanPtr> ConstantFolding::rewrite(const LogicalPlanPtr& plan,
                                                       const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.constant_folding")) return plan;
  return transform_plan_up(plan, [](const LogicalPlanPtr& node) -> arrow::Result<LogicalPlanPtr> {
    ARROW_ASSIGN_OR_RAISE(auto folded, map_node_exprs(node, fold_constants));
    if (folded->kind == logical::PlanKind::kFilter && is_bool_literal(*folded->predicate, true)) {
      return folded->inputs[0];
    }
    return folded;
  });
}

}  // namespace quiver::optimizer
