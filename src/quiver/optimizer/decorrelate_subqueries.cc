#include "quiver/optimizer/decorrelate_subqueries.h"

#include <arrow/scalar.h>

#include <string>
#include <utility>
#include <vector>

#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/plan_rewrite.h"
#include "quiver/optimizer/subquery_pull_up.h"

namespace quiver::optimizer {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::JoinType;
using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

ExprPtr int_lit(int64_t v) { return logical::lit(std::make_shared<arrow::Int64Scalar>(v)); }
ExprPtr bool_lit(bool v) { return logical::lit(std::make_shared<arrow::BooleanScalar>(v)); }
ExprPtr null_bool() { return logical::lit(arrow::MakeNullScalar(arrow::boolean())); }

ExprPtr is_null(ExprPtr e, bool negated = false) {
  auto out = std::make_shared<Expr>();
  out->kind = ExprKind::kIsNull;
  out->args = {std::move(e)};
  out->negated = negated;
  return out;
}

ExprPtr not_(ExprPtr e) {
  auto out = std::make_shared<Expr>();
  out->kind = ExprKind::kNot;
  out->args = {std::move(e)};
  return out;
}

ExprPtr case_when(std::vector<std::pair<ExprPtr, ExprPtr>> branches, ExprPtr otherwise) {
  auto out = std::make_shared<Expr>();
  out->kind = ExprKind::kCase;
  out->when_then = std::move(branches);
  out->case_else = std::move(otherwise);
  return out;
}

ExprPtr or_(ExprPtr a, ExprPtr b) { return logical::binary(std::move(a), BinaryOp::kOr, b); }

ExprPtr first_column(const LogicalPlan& plan) {
  const auto& f = plan.schema.field(0);
  return logical::col(f.qualifier, f.field->name());
}

// True when `plan` always yields exactly one row (an aggregate without GROUP BY, seen through
// projections, aliases and sorts).
bool always_one_row(const LogicalPlan& plan) {
  switch (plan.kind) {
    case PlanKind::kAggregate:
      return plan.group_exprs.empty();
    case PlanKind::kProjection:
    case PlanKind::kSubqueryAlias:
    case PlanKind::kSort:
      return always_one_row(*plan.inputs[0]);
    case PlanKind::kEmptyRelation:
      return plan.produce_one_row;
    case PlanKind::kValues:
      return plan.values.size() == 1;
    default:
      return false;
  }
}

// True when `plan` yields at most one row.
bool at_most_one_row(const LogicalPlan& plan) {
  if (always_one_row(plan)) return true;
  switch (plan.kind) {
    case PlanKind::kLimit:
      return plan.fetch && *plan.fetch <= 1;
    case PlanKind::kProjection:
    case PlanKind::kSubqueryAlias:
    case PlanKind::kSort:
    case PlanKind::kFilter:
      return at_most_one_row(*plan.inputs[0]);
    default:
      return false;
  }
}

/// The subquery as the right side of a join: `__value` (the first column, when wanted),
/// `__present` (when wanted) and `__c<i>` for each column the correlated predicates read,
/// re-qualified by a fresh alias; the predicates are rewritten over it (outer references become
/// plain columns of the left side).
struct JoinSide {
  LogicalPlanPtr plan;
  std::string alias;
  std::vector<std::pair<ExprPtr, ExprPtr>> keys;
  std::vector<ExprPtr> filters;
  ExprPtr value() const { return logical::col(alias, "__value"); }
};

class Decorrelator {
 public:
  arrow::Result<LogicalPlanPtr> rewrite_plan(const LogicalPlanPtr& plan) {
    return transform_plan_up(plan, [&](const LogicalPlanPtr& node) { return rewrite_node(node); });
  }

 private:
  std::string fresh_alias() { return "__sq_" + std::to_string(++next_); }

  arrow::Result<LogicalPlanPtr> rewrite_node(const LogicalPlanPtr& node) {
    // Subqueries inside subqueries first.
    arrow::Status status;
    ExprTransform inner = [&](const ExprPtr& e) -> ExprPtr {
      if (!e->subquery || !status.ok()) return e;
      auto rewritten = rewrite_plan(e->subquery);
      if (!rewritten.ok()) {
        status = rewritten.status();
        return e;
      }
      if (*rewritten == e->subquery) return e;
      auto copy = std::make_shared<Expr>(*e);
      copy->subquery = *rewritten;
      return copy;
    };
    ARROW_ASSIGN_OR_RAISE(
        auto plan, map_node_exprs(node, [&](const ExprPtr& e) { return transform_up(e, inner); }));
    ARROW_RETURN_NOT_OK(status);
    bool any = false;
    for (const auto& e : node_expressions(*plan)) any = any || (e && contains_subquery(*e));
    if (!any) return plan;
    switch (plan->kind) {
      case PlanKind::kFilter:
        return rewrite_filter(*plan);
      case PlanKind::kProjection:
        return rewrite_projection(*plan);
      case PlanKind::kAggregate:
        return arrow::Status::NotImplemented("a subquery inside GROUP BY or an aggregate call");
      case PlanKind::kSort:
        return arrow::Status::NotImplemented("a subquery in ORDER BY");
      case PlanKind::kJoin:
        return arrow::Status::NotImplemented("a subquery in a JOIN condition");
      default:
        return arrow::Status::NotImplemented("a subquery in ", plan->display());
    }
  }

  // Conjuncts without subqueries filter first (so the joins see fewer rows), then EXISTS / IN
  // conjuncts become semi and anti joins, then conjuncts with scalar (or nested) subqueries
  // filter over Left joins; a projection restores the input's columns.
  arrow::Result<LogicalPlanPtr> rewrite_filter(const LogicalPlan& filter) {
    LogicalPlanPtr input = filter.inputs[0];
    const int width = input->schema.num_fields();
    std::vector<ExprPtr> plain;
    std::vector<ExprPtr> semi;
    std::vector<ExprPtr> other;
    for (const auto& c : split_conjunction(filter.predicate)) {
      if (c->kind == ExprKind::kExists || c->kind == ExprKind::kInSubquery) {
        semi.push_back(c);
      } else {
        // Correlated conjuncts stay on top, where an enclosing decorrelation pulls them up.
        const bool late = contains_subquery(*c) || logical::contains_outer_reference(*c);
        (late ? other : plain).push_back(c);
      }
    }
    if (!plain.empty()) {
      ARROW_ASSIGN_OR_RAISE(input, logical::make_filter(input, conjoin(plain)));
    }
    for (const auto& c : semi) {
      ARROW_ASSIGN_OR_RAISE(input, semi_or_anti_join(input, *c));
    }
    std::vector<ExprPtr> remaining;
    for (const auto& c : other) {
      if (!contains_subquery(*c)) {
        remaining.push_back(c);
        continue;
      }
      ARROW_ASSIGN_OR_RAISE(auto rewritten, replace_subqueries(&input, c));
      remaining.push_back(rewritten);
    }
    LogicalPlanPtr plan = input;
    if (!remaining.empty()) {
      ARROW_ASSIGN_OR_RAISE(plan, logical::make_filter(plan, conjoin(remaining)));
    }
    if (plan->schema.num_fields() == width) return plan;
    std::vector<ExprPtr> original;
    for (int i = 0; i < width; ++i) {
      const auto& f = plan->schema.field(i);
      original.push_back(logical::col(f.qualifier, f.field->name()));
    }
    return logical::make_projection(plan, std::move(original));
  }

  arrow::Result<LogicalPlanPtr> rewrite_projection(const LogicalPlan& projection) {
    LogicalPlanPtr input = projection.inputs[0];
    std::vector<ExprPtr> exprs;
    for (const auto& e : projection.exprs) {
      if (!contains_subquery(*e)) {
        exprs.push_back(e);
        continue;
      }
      ARROW_ASSIGN_OR_RAISE(auto rewritten, replace_subqueries(&input, e));
      exprs.push_back(keep_name(rewritten, e->display_name()));
    }
    return logical::make_projection(input, std::move(exprs));
  }

  // Replaces every subquery of `e` by columns of joins added on top of *input.
  arrow::Result<ExprPtr> replace_subqueries(LogicalPlanPtr* input, const ExprPtr& e) {
    arrow::Status status;
    ExprPtr out = transform_up(e, [&](const ExprPtr& node) -> ExprPtr {
      if (!node->subquery || !status.ok()) return node;
      auto replaced = node->kind == ExprKind::kScalarSubquery ? scalar_join(input, *node)
                                                              : mark_join(input, *node);
      if (!replaced.ok()) {
        status = replaced.status();
        return node;
      }
      return *replaced;
    });
    ARROW_RETURN_NOT_OK(status);
    return logical::coerce_expr(out, (*input)->schema);
  }

  arrow::Result<JoinSide> join_side(const PulledSubquery& pulled, bool with_value,
                                    bool with_present) {
    JoinSide side;
    side.alias = fresh_alias();
    std::vector<ExprPtr> exprs;
    if (with_value) exprs.push_back(logical::alias(first_column(*pulled.plan), "__value"));
    if (with_present) exprs.push_back(logical::alias(bool_lit(true), "__present"));
    if (pulled.having) exprs.push_back(logical::alias(pulled.having, "__having"));
    std::vector<std::pair<logical::Column, ExprPtr>> mapping;
    for (const auto& p : pulled.predicates) {
      for (const auto& c : logical::referenced_columns(*p)) {
        bool seen = false;
        for (const auto& [column, _] : mapping) seen = seen || column == c;
        if (seen) continue;
        const std::string name = "__c" + std::to_string(mapping.size());
        exprs.push_back(logical::alias(logical::col(c.relation, c.name), name));
        mapping.emplace_back(c, logical::col(side.alias, name));
      }
    }
    if (exprs.empty()) exprs.push_back(logical::alias(int_lit(1), "__one"));
    ARROW_ASSIGN_OR_RAISE(auto projected, logical::make_projection(pulled.plan, exprs));
    ARROW_ASSIGN_OR_RAISE(side.plan, logical::make_subquery_alias(projected, side.alias));
    auto convert = [&](const ExprPtr& e) {
      return transform_up(e, [&](const ExprPtr& n) -> ExprPtr {
        if (n->kind == ExprKind::kOuterColumn)
          return logical::col(n->column.relation, n->column.name);
        if (n->kind != ExprKind::kColumn) return n;
        for (const auto& [column, replacement] : mapping) {
          if (column == n->column) return replacement;
        }
        return n;
      });
    };
    for (const auto& p : pulled.predicates) {
      if (p->kind == ExprKind::kBinary && p->op == BinaryOp::kEq) {
        const auto& l = p->args[0];
        const auto& r = p->args[1];
        auto outer_only = [](const Expr& x) {
          return logical::contains_outer_reference(x) && logical::referenced_columns(x).empty();
        };
        auto inner_only = [](const Expr& x) {
          return !logical::contains_outer_reference(x) && !logical::referenced_columns(x).empty();
        };
        if (outer_only(*l) && inner_only(*r)) {
          side.keys.emplace_back(convert(l), convert(r));
          continue;
        }
        if (inner_only(*l) && outer_only(*r)) {
          side.keys.emplace_back(convert(r), convert(l));
          continue;
        }
      }
      side.filters.push_back(convert(p));
    }
    return side;
  }

  arrow::Result<LogicalPlanPtr> join(const LogicalPlanPtr& left, const JoinSide& side,
                                     JoinType type, std::vector<std::pair<ExprPtr, ExprPtr>> keys,
                                     std::vector<ExprPtr> filters, bool null_aware = false) {
    ExprPtr filter = conjoin(filters);
    if (filter) {
      const auto both = logical::PlanSchema::concat(left->schema, side.plan->schema);
      ARROW_ASSIGN_OR_RAISE(filter, logical::coerce_expr(filter, both));
    }
    return logical::make_join(left, side.plan, type, std::move(keys), filter, null_aware);
  }

  // A WHERE conjunct [NOT] EXISTS / x [NOT] IN (subquery) as a semi or anti join of `input`.
  arrow::Result<LogicalPlanPtr> semi_or_anti_join(const LogicalPlanPtr& input, const Expr& e) {
    const bool in = e.kind == ExprKind::kInSubquery;
    if (plan_has_outer_reference(*e.subquery) && always_one_row(*e.subquery)) {
      return one_row_semi_or_anti_join(input, e);
    }
    ARROW_ASSIGN_OR_RAISE(auto pulled, pull_up_correlation(e.subquery));
    if (pulled.scalar_aggregate) {
      return arrow::Status::NotImplemented(
          "a correlated aggregate without GROUP BY with HAVING under ", in ? "IN" : "EXISTS");
    }
    ARROW_ASSIGN_OR_RAISE(auto side, join_side(pulled, in, false));
    auto keys = side.keys;
    auto filters = side.filters;
    const JoinType type = e.negated ? JoinType::kLeftAnti : JoinType::kLeftSemi;
    if (!in) return join(input, side, type, std::move(keys), std::move(filters));
    const ExprPtr x = e.args[0];
    const ExprPtr v = side.value();
    if (!e.negated) {
      keys.emplace_back(x, v);
      return join(input, side, type, std::move(keys), std::move(filters));
    }
    if (keys.empty() && filters.empty()) {
      // Without NULLs on either side, NOT IN is NOT EXISTS (x = v): a plain anti join, which
      // the planner may build on either side.
      const auto x_nullable = logical::expr_nullable(*x, input->schema);
      const auto v_nullable = logical::expr_nullable(*v, side.plan->schema);
      const bool no_nulls = x_nullable.ok() && !*x_nullable && v_nullable.ok() && !*v_nullable;
      return join(input, side, type, {{x, v}}, {}, /*null_aware=*/!no_nulls);
    }
    // Correlated NOT IN: a row goes when some correlated value equals x or either is NULL.
    filters.push_back(or_(or_(logical::binary(x, BinaryOp::kEq, v), is_null(x)), is_null(v)));
    return join(input, side, type, std::move(keys), std::move(filters));
  }

  // [NOT] EXISTS / IN over a correlated subquery that always returns one row (an aggregate
  // without GROUP BY or HAVING): EXISTS is TRUE, `x IN (q)` is `x = (q)`, `x NOT IN (q)` is
  // `x <> (q)`.
  arrow::Result<LogicalPlanPtr> one_row_semi_or_anti_join(const LogicalPlanPtr& input,
                                                          const Expr& e) {
    if (e.kind == ExprKind::kExists) {
      if (!e.negated) return input;
      return logical::make_filter(input, bool_lit(false));
    }
    auto scalar = std::make_shared<Expr>();
    scalar->kind = ExprKind::kScalarSubquery;
    scalar->subquery = e.subquery;
    LogicalPlanPtr plan = input;
    ARROW_ASSIGN_OR_RAISE(auto value, scalar_join(&plan, *scalar));
    ExprPtr compare =
        logical::binary(e.args[0], e.negated ? BinaryOp::kNotEq : BinaryOp::kEq, value);
    ARROW_ASSIGN_OR_RAISE(compare, logical::coerce_expr(compare, plan->schema));
    return logical::make_filter(plan, compare);
  }

  // A scalar subquery that may return several rows becomes an aggregate without GROUP BY over
  // it: __subquery_rows gives struct{value, rows} (per correlation group once decorrelated), and
  // the value used is __single_row_value of it, which fails on more than one row. So only a
  // subquery result some row really uses raises the error, as in PostgreSQL.
  static arrow::Result<LogicalPlanPtr> single_row_subquery(const LogicalPlanPtr& subquery) {
    if (at_most_one_row(*subquery)) return subquery;
    const auto& field = subquery->schema.field(0).field;
    ARROW_ASSIGN_OR_RAISE(
        auto aggregate,
        logical::make_aggregate(subquery, {},
                                {logical::alias(logical::aggregate_function(
                                                    "__subquery_rows", {first_column(*subquery)}),
                                                field->name())}));
    // A projection on top keeps the value first once decorrelation adds GROUP BY columns.
    return logical::make_projection(aggregate, {first_column(*aggregate)});
  }

  // A scalar subquery as a Left (or cross) join of *input; returns the value expression.
  arrow::Result<ExprPtr> scalar_join(LogicalPlanPtr* input, const Expr& e) {
    const bool checked = !at_most_one_row(*e.subquery);
    ARROW_ASSIGN_OR_RAISE(auto subquery, single_row_subquery(e.subquery));
    ARROW_ASSIGN_OR_RAISE(auto value, scalar_value(input, subquery));
    if (!checked) return value;
    return logical::scalar_function("__single_row_value", {value});
  }

  // The value of the scalar subquery `subquery` (at most one row) joined to *input.
  arrow::Result<ExprPtr> scalar_value(LogicalPlanPtr* input, const LogicalPlanPtr& subquery) {
    ARROW_ASSIGN_OR_RAISE(auto pulled, pull_up_correlation(subquery));
    const bool correlated = !pulled.predicates.empty();
    if (correlated && !pulled.scalar_aggregate) {
      return arrow::Status::NotImplemented(
          "a correlated scalar subquery that groups (GROUP BY) or limits its rows");
    }
    const bool present = pulled.empty_value != nullptr || pulled.having != nullptr;
    ARROW_ASSIGN_OR_RAISE(auto side, join_side(pulled, true, present));
    if (!side.filters.empty()) {
      return arrow::Status::UnknownError("correlated scalar subquery left a join filter: ",
                                         side.filters[0]->to_string());
    }
    if (!correlated && always_one_row(*pulled.plan)) {
      ARROW_ASSIGN_OR_RAISE(*input,
                            logical::make_join(*input, side.plan, JoinType::kCross, {}, nullptr));
    } else {
      ARROW_ASSIGN_OR_RAISE(*input, join(*input, side, JoinType::kLeft, side.keys, {}));
    }
    if (!present) return side.value();
    // The count bug: no group for this row means the aggregate ran over no rows.
    const ExprPtr null_value =
        logical::lit(arrow::MakeNullScalar(pulled.plan->schema.field(0).field->type()));
    ExprPtr empty = pulled.empty_value ? pulled.empty_value : null_value;
    if (!pulled.having) {
      return case_when({{is_null(logical::col(side.alias, "__present")), empty}}, side.value());
    }
    // HAVING decides whether the aggregate (over the group or over no rows) yields its row.
    empty = case_when({{pulled.having_empty, empty}}, null_value);
    return case_when({{is_null(logical::col(side.alias, "__present")), empty},
                      {logical::col(side.alias, "__having"), side.value()}},
                     null_value);
  }

  // An uncorrelated EXISTS / IN nested in a larger expression: joins with one-row summaries of
  // the subquery give its three-valued result.
  arrow::Result<ExprPtr> mark_join(LogicalPlanPtr* input, const Expr& e) {
    if (plan_has_outer_reference(*e.subquery)) {
      return arrow::Status::NotImplemented("a correlated ",
                                           e.kind == ExprKind::kExists ? "EXISTS" : "IN",
                                           " subquery under OR, NOT, CASE or in a select list");
    }
    const LogicalPlanPtr& q = e.subquery;
    const auto count_star = logical::aggregate_function("count", {int_lit(1)});
    if (e.kind == ExprKind::kExists) {
      ARROW_ASSIGN_OR_RAISE(auto stats,
                            logical::make_aggregate(q, {}, {logical::alias(count_star, "__n")}));
      const std::string name = fresh_alias();
      ARROW_ASSIGN_OR_RAISE(stats, logical::make_subquery_alias(stats, name));
      ARROW_ASSIGN_OR_RAISE(*input,
                            logical::make_join(*input, stats, JoinType::kCross, {}, nullptr));
      return logical::binary(logical::col(name, "__n"), e.negated ? BinaryOp::kEq : BinaryOp::kGt,
                             int_lit(0));
    }
    const ExprPtr v = first_column(*q);
    ARROW_ASSIGN_OR_RAISE(auto stats,
                          logical::make_aggregate(
                              q, {},
                              {logical::alias(count_star, "__n"),
                               logical::alias(logical::aggregate_function("count", {v}), "__nn")}));
    const std::string stats_name = fresh_alias();
    ARROW_ASSIGN_OR_RAISE(stats, logical::make_subquery_alias(stats, stats_name));
    ARROW_ASSIGN_OR_RAISE(auto values, logical::make_aggregate(q, {v}, {}));
    ARROW_ASSIGN_OR_RAISE(
        values, logical::make_projection(values, {logical::alias(first_column(*values), "__value"),
                                                  logical::alias(bool_lit(true), "__found")}));
    const std::string values_name = fresh_alias();
    ARROW_ASSIGN_OR_RAISE(values, logical::make_subquery_alias(values, values_name));
    ARROW_ASSIGN_OR_RAISE(*input, logical::make_join(*input, stats, JoinType::kCross, {}, nullptr));
    const ExprPtr x = e.args[0];
    ARROW_ASSIGN_OR_RAISE(*input,
                          logical::make_join(*input, values, JoinType::kLeft,
                                             {{x, logical::col(values_name, "__value")}}, nullptr));
    const ExprPtr n = logical::col(stats_name, "__n");
    const ExprPtr in = case_when(
        {{is_null(logical::col(values_name, "__found"), /*negated=*/true), bool_lit(true)},
         {logical::binary(n, BinaryOp::kEq, int_lit(0)), bool_lit(false)},
         {or_(is_null(x), logical::binary(logical::col(stats_name, "__nn"), BinaryOp::kLt, n)),
          null_bool()}},
        bool_lit(false));
    return e.negated ? not_(in) : in;
  }

  int next_ = 0;
};

}  // namespace

std::string DecorrelateSubqueries::name() const { return "decorrelate_subqueries"; }

arrow::Result<LogicalPlanPtr> DecorrelateSubqueries::rewrite(
    const LogicalPlanPtr& plan, const common::ConfigOptions& /*options*/) const {
  Decorrelator decorrelator;
  return decorrelator.rewrite_plan(plan);
}

}  // namespace quiver::optimizer
