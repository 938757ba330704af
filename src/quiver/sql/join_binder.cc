// Joins in FROM (see query_binder.h): `a [INNER|LEFT|RIGHT|FULL] JOIN b ON/USING`, NATURAL,
// CROSS JOIN and comma lists. ON conditions are split into equi-join key pairs (`l = r` with l
// over the left side only and r over the right side only) and a residual filter.

#include <pg_query/pg_query.pb.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/sql/ast_location.h"
#include "quiver/sql/query_binder.h"

namespace quiver::sql {

namespace {

using logical::ExprKind;
using logical::ExprPtr;
using logical::JoinType;
using logical::LogicalPlanPtr;
using logical::PlanSchema;

using KeyPairs = std::vector<std::pair<ExprPtr, ExprPtr>>;

void split_and(const ExprPtr& e, std::vector<ExprPtr>* out) {
  if (e->kind == ExprKind::kBinary && e->op == logical::BinaryOp::kAnd) {
    split_and(e->args[0], out);
    split_and(e->args[1], out);
    return;
  }
  out->push_back(e);
}

ExprPtr conjoin(const std::vector<ExprPtr>& conjuncts) {
  ExprPtr out;
  for (const auto& c : conjuncts) out = out ? logical::binary(out, logical::BinaryOp::kAnd, c) : c;
  return out;
}

// Returns true when `e` references at least one column and every one resolves in `schema`.
bool only_over(const logical::Expr& e, const PlanSchema& schema) {
  const auto columns = logical::referenced_columns(e);
  if (columns.empty()) return false;
  for (const auto& c : columns) {
    if (schema.find(c) < 0) return false;
  }
  return true;
}

// Splits a bound ON condition into equi-join keys and the AND of the remaining conjuncts.
void split_condition(const ExprPtr& condition, const PlanSchema& left, const PlanSchema& right,
                     KeyPairs* keys, ExprPtr* filter) {
  std::vector<ExprPtr> conjuncts;
  split_and(condition, &conjuncts);
  std::vector<ExprPtr> rest;
  for (const auto& c : conjuncts) {
    if (c->kind == ExprKind::kBinary && c->op == logical::BinaryOp::kEq &&
        !logical::contains_aggregate(*c)) {
      const ExprPtr& a = c->args[0];
      const ExprPtr& b = c->args[1];
      if (only_over(*a, left) && only_over(*b, right) && !only_over(*a, right) &&
          !only_over(*b, left)) {
        keys->emplace_back(a, b);
        continue;
      }
      if (only_over(*b, left) && only_over(*a, right) && !only_over(*b, right) &&
          !only_over(*a, left)) {
        keys->emplace_back(b, a);
        continue;
      }
    }
    rest.push_back(c);
  }
  *filter = conjoin(rest);
}

JoinType join_type_of(pg_query::JoinType type) {
  switch (type) {
    case pg_query::JOIN_LEFT:
      return JoinType::kLeft;
    case pg_query::JOIN_RIGHT:
      return JoinType::kRight;
    case pg_query::JOIN_FULL:
      return JoinType::kFull;
    default:
      return JoinType::kInner;
  }
}

// Returns the expression the unqualified `name` stands for in `scope`: its merged USING column,
// or its only field of that name.
arrow::Result<ExprPtr> resolve_in(const FromScope& scope, const std::string& name,
                                  const char* side) {
  for (const auto& [n, e] : scope.using_columns) {
    if (n == name) return e;
  }
  logical::Column column;
  column.name = name;
  auto index = scope.plan->schema.index_of(column);
  if (!index.ok()) {
    if (index.status().message().find("ambiguous") != std::string::npos) {
      return arrow::Status::Invalid("common column name \"", name, "\" appears more than once in ",
                                    side, " table");
    }
    return arrow::Status::Invalid(
        "column \"", name, "\" specified in USING clause does not exist in ", side, " table");
  }
  const auto& f = scope.plan->schema.field(*index);
  return logical::col(f.qualifier, f.field->name());
}

// Qualifiers of a scope's fields, for the "specified more than once" check.
std::set<std::string> qualifiers_of(const PlanSchema& schema) {
  std::set<std::string> out;
  for (const auto& f : schema.fields()) {
    if (f.qualifier) out.insert(*f.qualifier);
  }
  return out;
}

}  // namespace

arrow::Result<FromScope> QueryBinder::cross_join(FromScope left, FromScope right, int location) {
  const auto left_names = qualifiers_of(left.plan->schema);
  for (const auto& q : qualifiers_of(right.plan->schema)) {
    if (left_names.count(q) > 0) {
      return context_.at(arrow::Status::Invalid("table name \"", q,
                                                "\" specified more than once (give one an alias)"),
                         location);
    }
  }
  FromScope out;
  ARROW_ASSIGN_OR_RAISE(out.plan,
                        logical::make_join(left.plan, right.plan, JoinType::kCross, {}, nullptr));
  out.using_columns = std::move(left.using_columns);
  out.using_columns.insert(out.using_columns.end(), right.using_columns.begin(),
                           right.using_columns.end());
  out.star = std::move(left.star);
  out.star.insert(out.star.end(), right.star.begin(), right.star.end());
  return out;
}

arrow::Result<FromScope> QueryBinder::bind_join(const pg_query::JoinExpr& join) {
  ARROW_ASSIGN_OR_RAISE(FromScope left, bind_from_item(join.larg()));
  ARROW_ASSIGN_OR_RAISE(FromScope right, bind_from_item(join.rarg()));
  const int location = node_location(join.rarg());
  if (join.jointype() != pg_query::JOIN_INNER && join.jointype() != pg_query::JOIN_LEFT &&
      join.jointype() != pg_query::JOIN_RIGHT && join.jointype() != pg_query::JOIN_FULL) {
    return context_.at(arrow::Status::NotImplemented("this join type is not supported"), location);
  }
  const JoinType type = join_type_of(join.jointype());
  const bool has_condition = join.has_quals() || join.using_clause_size() > 0 || join.is_natural();
  ARROW_ASSIGN_OR_RAISE(FromScope scope, cross_join(left, right, location));
  if (!has_condition && type != JoinType::kInner) {
    return context_.at(arrow::Status::Invalid("an outer join needs an ON or USING condition"),
                       location);
  }

  // USING / NATURAL: the column names joined on, each once.
  std::vector<std::string> using_names;
  if (join.is_natural()) {
    std::set<std::string> right_names;
    for (const auto& s : right.star) right_names.insert(s.name);
    for (const auto& s : left.star) {
      if (right_names.count(s.name) > 0 &&
          std::find(using_names.begin(), using_names.end(), s.name) == using_names.end()) {
        using_names.push_back(s.name);
      }
    }
  }
  for (const auto& n : join.using_clause()) {
    const std::string& name = n.string().sval();
    if (std::find(using_names.begin(), using_names.end(), name) != using_names.end()) {
      return context_.at(
          arrow::Status::Invalid("column name \"", name, "\" appears more than once in USING"),
          location);
    }
    using_names.push_back(name);
  }

  KeyPairs keys;
  ExprPtr filter;
  std::vector<std::pair<std::string, ExprPtr>> merged;
  for (const auto& name : using_names) {
    auto l = resolve_in(left, name, "left");
    if (!l.ok()) return context_.at(l.status(), location);
    auto r = resolve_in(right, name, "right");
    if (!r.ok()) return context_.at(r.status(), location);
    keys.emplace_back(*l, *r);
    ExprPtr m = *l;
    if (type == JoinType::kRight) m = *r;
    if (type == JoinType::kFull) {
      auto coerced =
          logical::coerce_expr(logical::scalar_function("coalesce", {*l, *r}), scope.plan->schema);
      if (!coerced.ok()) return context_.at(coerced.status(), location);
      m = *coerced;
    }
    merged.emplace_back(name, m);
  }
  if (join.has_quals()) {
    const PlanSchema& both = scope.plan->schema;
    ExprBinder binder(context_, both);
    binder.forbid_aggregates("JOIN conditions");
    binder.set_alias_fallback(&scope.using_columns);
    ARROW_ASSIGN_OR_RAISE(auto condition, binder.bind(join.quals()));
    auto coerced = logical::coerce_expr(condition, both);
    if (!coerced.ok()) return context_.at(coerced.status(), node_location(join.quals()));
    split_condition(*coerced, left.plan->schema, right.plan->schema, &keys, &filter);
  }

  const JoinType logical_type =
      type == JoinType::kInner && keys.empty() && !filter ? JoinType::kCross : type;
  if (logical_type != JoinType::kCross) {
    auto plan = logical::make_join(left.plan, right.plan, logical_type, keys, filter);
    if (!plan.ok()) {
      return context_.at(plan.status(), join.has_quals() ? node_location(join.quals()) : location);
    }
    scope.plan = *plan;
  }

  // Merged USING columns come first in `*` and hide both sides' columns of that name.
  if (!using_names.empty()) {
    std::vector<StarColumn> star;
    for (const auto& [name, e] : merged) star.push_back(StarColumn{e, name});
    for (const auto* side : {&left, &right}) {
      for (const auto& s : side->star) {
        if (std::find(using_names.begin(), using_names.end(), s.name) == using_names.end()) {
          star.push_back(s);
        }
      }
    }
    scope.star = std::move(star);
    merged.insert(merged.end(), scope.using_columns.begin(), scope.using_columns.end());
    scope.using_columns = std::move(merged);
  }

  // `(a JOIN b USING (x)) AS j`: the alias hides the inner names; j's columns are `*`'s.
  if (join.has_alias()) {
    std::vector<ExprPtr> exprs;
    for (const auto& s : scope.star) {
      const bool same = s.expr->kind == ExprKind::kColumn && s.expr->column.name == s.name;
      exprs.push_back(same ? s.expr : logical::alias(s.expr, s.name));
    }
    ARROW_ASSIGN_OR_RAISE(auto projected, logical::make_projection(scope.plan, std::move(exprs)));
    ARROW_ASSIGN_OR_RAISE(auto aliased, apply_alias(projected, join.alias()));
    return plain_scope(std::move(aliased));
  }
  return scope;
}

}  // namespace quiver::sql
