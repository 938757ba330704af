#include "quiver/optimizer/subquery_pull_up.h"

#include <arrow/scalar.h>

#include <string>
#include <utility>

#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/expr_rewrite.h"

namespace quiver::optimizer {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

bool expr_has_outer_reference(const Expr& e) {
  if (e.kind == ExprKind::kOuterColumn) return true;
  if (e.subquery && plan_has_outer_reference(*e.subquery)) return true;
  for (const auto& child : logical::expr_children(e)) {
    if (expr_has_outer_reference(*child)) return true;
  }
  return false;
}

bool node_has_outer_reference(const LogicalPlan& node) {
  for (const auto& e : node_expressions(node)) {
    if (e && expr_has_outer_reference(*e)) return true;
  }
  return false;
}

const char* kind_name(PlanKind kind) {
  switch (kind) {
    case PlanKind::kJoin:
      return "a join";
    case PlanKind::kLimit:
      return "LIMIT";
    case PlanKind::kUnion:
      return "UNION";
    case PlanKind::kSort:
      return "ORDER BY ... LIMIT";
    default:
      return "this plan node";
  }
}

// True for `inner = outer`: one side only outer references, the other none.
bool is_groupable_equality(const Expr& e) {
  if (e.kind != ExprKind::kBinary || e.op != BinaryOp::kEq) return false;
  const bool l = logical::contains_outer_reference(*e.args[0]);
  const bool r = logical::contains_outer_reference(*e.args[1]);
  if (l == r) return false;
  const Expr& outer_side = l ? *e.args[0] : *e.args[1];
  return logical::referenced_columns(outer_side).empty();
}

// The value of an aggregate's output over no rows: count() is 0, everything else NULL.
arrow::Result<ExprPtr> empty_aggregate_value(const ExprPtr& aggregate,
                                             const logical::PlanSchema& input) {
  const ExprPtr call = logical::unalias(aggregate);
  if (call->name == "count") return logical::lit(std::make_shared<arrow::Int64Scalar>(0));
  ARROW_ASSIGN_OR_RAISE(auto type, logical::expr_type(*call, input));
  return logical::lit(arrow::MakeNullScalar(type));
}

// True when `e` is NULL whenever one of its columns or literals is (arithmetic, comparisons,
// casts).
bool null_strict(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kColumn:
    case ExprKind::kLiteral:
    case ExprKind::kNegative:
    case ExprKind::kCast:
    case ExprKind::kAlias:
      break;
    case ExprKind::kBinary:
      if (e.op == BinaryOp::kIsDistinctFrom || e.op == BinaryOp::kIsNotDistinctFrom ||
          e.op == BinaryOp::kAnd || e.op == BinaryOp::kOr) {
        return false;
      }
      break;
    default:
      return false;
  }
  for (const auto& child : logical::expr_children(e)) {
    if (!null_strict(*child)) return false;
  }
  return true;
}

bool has_null_literal(const Expr& e) {
  if (e.kind == ExprKind::kLiteral && e.literal && !e.literal->is_valid) return true;
  for (const auto& child : logical::expr_children(e)) {
    if (has_null_literal(*child)) return true;
  }
  return false;
}

// The output columns of `plan`.
std::vector<logical::Column> output_columns(const LogicalPlan& plan) {
  std::vector<logical::Column> out;
  for (int i = 0; i < plan.schema.num_fields(); ++i) {
    const auto& f = plan.schema.field(i);
    out.push_back(logical::Column{f.qualifier, f.field->name()});
  }
  return out;
}

// Takes correlated predicates out of a plan; `next_` numbers the columns it adds, so that their
// names (`__corr<N>`) never meet a user's column.
class Puller {
 public:
  arrow::Result<PulledSubquery> pull(const LogicalPlanPtr& plan) {
    if (!plan_has_outer_reference(*plan)) return PulledSubquery{plan, {}, false, nullptr, {}};
    const LogicalPlan& n = *plan;
    switch (n.kind) {
      case PlanKind::kFilter:
        return pull_filter(n);
      case PlanKind::kProjection:
        return pull_projection(n);
      case PlanKind::kAggregate:
        return pull_aggregate(n);
      case PlanKind::kSubqueryAlias: {
        ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
        ARROW_ASSIGN_OR_RAISE(out.plan, logical::make_subquery_alias(out.plan, n.alias));
        for (auto& p : out.predicates) {
          p = replace_columns(p, [&](const logical::Column& c) -> std::optional<ExprPtr> {
            return logical::col(n.alias, c.name);
          });
        }
        for (auto& [column, value] : out.empty_row) column.relation = n.alias;
        if (out.having) out.having = logical::col(n.alias, out.having->column.name);
        return out;
      }
      case PlanKind::kSort: {
        if (n.fetch) break;
        // The order of a subquery's rows does not matter to EXISTS, IN or an aggregate.
        return pull(n.inputs[0]);
      }
      default:
        break;
    }
    return arrow::Status::NotImplemented("a correlated reference below ", kind_name(n.kind),
                                         " in a subquery: ", n.display());
  }

 private:
  std::string fresh_name() { return "__corr" + std::to_string(++next_); }

  arrow::Result<PulledSubquery> pull_filter(const LogicalPlan& n) {
    ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
    if (out.scalar_aggregate) {
      // HAVING: filtering would make a missing group ambiguous (no rows, or filtered), so the
      // predicate becomes a column and applies to the value after the join.
      if (expr_has_outer_reference(*n.predicate)) {
        return arrow::Status::NotImplemented(
            "a correlated HAVING over a correlated aggregate without GROUP BY in a subquery: ",
            n.predicate->to_string());
      }
      const ExprPtr empty = replace_all(n.predicate, out.empty_row);
      out.having = out.having ? conjoin({out.having, n.predicate}) : n.predicate;
      out.having_empty = out.having_empty ? conjoin({out.having_empty, empty}) : empty;
      return out;
    }
    std::vector<ExprPtr> kept;
    for (const auto& c : split_conjunction(n.predicate)) {
      if (!expr_has_outer_reference(*c)) {
        kept.push_back(c);
      } else if (contains_subquery(*c)) {
        return arrow::Status::NotImplemented(
            "a correlated predicate holding a subquery inside a subquery: ", c->to_string());
      } else {
        out.predicates.push_back(c);
      }
    }
    if (!kept.empty()) {
      ARROW_ASSIGN_OR_RAISE(out.plan, logical::make_filter(out.plan, conjoin(kept)));
    }
    return out;
  }

  // Keeps every column the predicates read as a new output `__corr<N>` and points the
  // predicates at it.
  arrow::Result<PulledSubquery> pull_projection(const LogicalPlan& n) {
    for (const auto& e : n.exprs) {
      if (expr_has_outer_reference(*e)) {
        return arrow::Status::NotImplemented(
            "an outer column in the select list of a correlated subquery: ", e->to_string());
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
    std::vector<ExprPtr> exprs = n.exprs;
    std::vector<std::pair<logical::Column, ExprPtr>> renamed;
    for (const auto& p : out.predicates) {
      for (const auto& c : logical::referenced_columns(*p)) {
        bool seen = false;
        for (const auto& [column, _] : renamed) seen = seen || column == c;
        if (seen) continue;
        const std::string name = fresh_name();
        exprs.push_back(logical::alias(logical::col(c.relation, c.name), name));
        renamed.emplace_back(c, logical::col(std::nullopt, name));
      }
    }
    for (auto& p : out.predicates) p = replace_all(p, renamed);
    if (out.having) {
      const std::string name = fresh_name();
      exprs.push_back(logical::alias(out.having, name));
      out.having = logical::col(std::nullopt, name);
    }
    ARROW_ASSIGN_OR_RAISE(out.plan, logical::make_projection(out.plan, std::move(exprs)));
    if (out.scalar_aggregate) {
      const auto columns = output_columns(*out.plan);
      std::vector<std::pair<logical::Column, ExprPtr>> empty_row;
      for (size_t i = 0; i < n.exprs.size(); ++i) {
        empty_row.emplace_back(columns[i],
                               replace_all(logical::unalias(n.exprs[i]), out.empty_row));
      }
      out.empty_row = std::move(empty_row);
    }
    return out;
  }

  // Correlated equalities `inner = outer` become GROUP BY `inner AS __corr<N>`.
  arrow::Result<PulledSubquery> pull_aggregate(const LogicalPlan& n) {
    for (const auto& e : node_expressions(n)) {
      if (expr_has_outer_reference(*e)) {
        return arrow::Status::NotImplemented(
            "an outer column in an aggregate or GROUP BY of a subquery: ", e->to_string());
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
    if (out.scalar_aggregate || out.having) {
      return arrow::Status::NotImplemented(
          "an aggregate over a correlated aggregate without GROUP BY in a subquery");
    }
    std::vector<ExprPtr> groups = n.group_exprs;
    for (auto& p : out.predicates) {
      if (!is_groupable_equality(*p)) {
        return arrow::Status::NotImplemented(
            "a correlated predicate other than inner = outer below an aggregate in a "
            "subquery: ",
            p->to_string());
      }
      const bool inner_left = !logical::contains_outer_reference(*p->args[0]);
      const ExprPtr inner = inner_left ? p->args[0] : p->args[1];
      const ExprPtr outer = inner_left ? p->args[1] : p->args[0];
      const std::string name = fresh_name();
      groups.push_back(logical::alias(inner, name));
      p = logical::binary(logical::col(std::nullopt, name), BinaryOp::kEq, outer);
    }
    out.scalar_aggregate = n.group_exprs.empty() && !out.predicates.empty();
    ARROW_ASSIGN_OR_RAISE(out.plan,
                          logical::make_aggregate(out.plan, std::move(groups), n.aggr_exprs));
    if (out.scalar_aggregate) {
      const auto columns = output_columns(*out.plan);
      const size_t first = out.plan->schema.num_fields() - n.aggr_exprs.size();
      for (size_t i = 0; i < n.aggr_exprs.size(); ++i) {
        ARROW_ASSIGN_OR_RAISE(auto empty,
                              empty_aggregate_value(n.aggr_exprs[i], n.inputs[0]->schema));
        out.empty_row.emplace_back(columns[first + i], empty);
      }
    }
    return out;
  }

  static ExprPtr replace_all(const ExprPtr& e,
                             const std::vector<std::pair<logical::Column, ExprPtr>>& mapping) {
    return replace_columns(e, [&](const logical::Column& c) -> std::optional<ExprPtr> {
      for (const auto& [column, replacement] : mapping) {
        if (column == c) return replacement;
      }
      return std::nullopt;
    });
  }

  int next_ = 0;
};

// True when `e` is NULL whatever the row (a NULL literal under null-strict operators).
bool is_null_constant(const Expr& e) { return null_strict(e) && has_null_literal(e); }

}  // namespace

std::vector<ExprPtr> node_expressions(const LogicalPlan& node) {
  std::vector<ExprPtr> out = node.exprs;
  if (node.predicate) out.push_back(node.predicate);
  out.insert(out.end(), node.group_exprs.begin(), node.group_exprs.end());
  out.insert(out.end(), node.aggr_exprs.begin(), node.aggr_exprs.end());
  for (const auto& s : node.sort_exprs) out.push_back(s.expr);
  for (const auto& row : node.values) out.insert(out.end(), row.begin(), row.end());
  out.insert(out.end(), node.scan_filters.begin(), node.scan_filters.end());
  for (const auto& [l, r] : node.join_on) {
    out.push_back(l);
    out.push_back(r);
  }
  if (node.join_filter) out.push_back(node.join_filter);
  return out;
}

bool plan_has_outer_reference(const LogicalPlan& plan) {
  if (node_has_outer_reference(plan)) return true;
  for (const auto& input : plan.inputs) {
    if (plan_has_outer_reference(*input)) return true;
  }
  return false;
}

arrow::Result<PulledSubquery> pull_up_correlation(const LogicalPlanPtr& plan) {
  Puller puller;
  ARROW_ASSIGN_OR_RAISE(auto out, puller.pull(plan));
  if (out.scalar_aggregate) {
    const auto& f = out.plan->schema.field(0);
    const logical::Column first{f.qualifier, f.field->name()};
    for (const auto& [column, value] : out.empty_row) {
      if (column == first && !is_null_constant(*value)) out.empty_value = value;
    }
  }
  out.empty_row.clear();
  if (out.having && out.having->kind != ExprKind::kColumn) {
    // HAVING right at the top (no select list above it): expose it as a column.
    return arrow::Status::NotImplemented(
        "HAVING over a correlated aggregate without a select list");
  }
  return out;
}

}  // namespace quiver::optimizer
