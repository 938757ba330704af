#include "quiver/optimizer/expr_rewrite.h"

#include <arrow/scalar.h>

#include <array>
#include <string_view>

namespace quiver::optimizer {

using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;

namespace {

// Functions whose result is not a function of their arguments alone.
constexpr std::array<std::string_view, 11> kVolatileFunctions = {"random",
                                                                 "now",
                                                                 "current_timestamp",
                                                                 "current_date",
                                                                 "current_time",
                                                                 "localtimestamp",
                                                                 "localtime",
                                                                 "uuid",
                                                                 "gen_random_uuid",
                                                                 "clock_timestamp",
                                                                 "statement_timestamp"};

bool is_volatile_function(const std::string& name) {
  for (const auto& v : kVolatileFunctions) {
    if (name == v) return true;
  }
  return false;
}

}  // namespace

ExprPtr transform_up(const ExprPtr& expr, const ExprTransform& fn) {
  if (!expr) return expr;
  const std::vector<ExprPtr> children = logical::expr_children(*expr);
  std::vector<ExprPtr> rewritten;
  rewritten.reserve(children.size());
  bool changed = false;
  for (const auto& child : children) {
    rewritten.push_back(transform_up(child, fn));
    changed = changed || rewritten.back() != child;
  }
  const ExprPtr node = changed ? logical::with_children(*expr, std::move(rewritten)) : expr;
  return fn(node);
}

ExprPtr replace_columns(const ExprPtr& expr, const ColumnMapping& mapping) {
  return transform_up(expr, [&](const ExprPtr& e) -> ExprPtr {
    if (e->kind != ExprKind::kColumn) return e;
    std::optional<ExprPtr> replacement = mapping(e->column);
    return replacement ? *replacement : e;
  });
}

std::vector<ExprPtr> split_conjunction(const ExprPtr& predicate) {
  std::vector<ExprPtr> out;
  if (!predicate) return out;
  std::vector<ExprPtr> pending = {predicate};
  while (!pending.empty()) {
    ExprPtr e = pending.back();
    pending.pop_back();
    if (e->kind == ExprKind::kBinary && e->op == logical::BinaryOp::kAnd) {
      // Push right first so the left conjunct comes out first.
      pending.push_back(e->args[1]);
      pending.push_back(e->args[0]);
    } else {
      out.push_back(e);
    }
  }
  return out;
}

ExprPtr conjoin(const std::vector<ExprPtr>& conjuncts) {
  ExprPtr out;
  for (const auto& c : conjuncts) {
    out = out ? logical::binary(out, logical::BinaryOp::kAnd, c) : c;
  }
  return out;
}

bool contains_volatile(const Expr& expr) {
  if (expr.kind == ExprKind::kScalarFunction && is_volatile_function(expr.name)) return true;
  for (const auto& child : logical::expr_children(expr)) {
    if (contains_volatile(*child)) return true;
  }
  return false;
}

bool contains_subquery(const Expr& expr) {
  if (expr.kind == ExprKind::kScalarSubquery || expr.kind == ExprKind::kExists ||
      expr.kind == ExprKind::kInSubquery) {
    return true;
  }
  for (const auto& child : logical::expr_children(expr)) {
    if (contains_subquery(*child)) return true;
  }
  return false;
}

bool is_bool_literal(const Expr& expr, bool value) {
  if (expr.kind != ExprKind::kLiteral || !expr.literal) return false;
  if (expr.literal->type->id() != arrow::Type::BOOL || !expr.literal->is_valid) return false;
  return static_cast<const arrow::BooleanScalar&>(*expr.literal).value == value;
}

}  // namespace quiver::optimizer
