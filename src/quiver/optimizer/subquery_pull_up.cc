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

// Adds plain columns for every column `predicates` read that `exprs` does not already hold.
void add_missing_columns(const std::vector<ExprPtr>& predicates, std::vector<ExprPtr>* exprs) {
  for (const auto& p : predicates) {
    for (const auto& c : logical::referenced_columns(*p)) {
      bool present = false;
      for (const auto& e : *exprs) {
        present = present || (e->kind == ExprKind::kColumn && e->column == c);
      }
      if (!present) exprs->push_back(logical::col(c.relation, c.name));
    }
  }
}

// The value of an aggregate's output over no rows: count() is 0, everything else NULL.
arrow::Result<ExprPtr> empty_aggregate_value(const ExprPtr& aggregate,
                                             const logical::PlanSchema& input) {
  const ExprPtr call = logical::unalias(aggregate);
  if (call->name == "count") return logical::lit(std::make_shared<arrow::Int64Scalar>(0));
  ARROW_ASSIGN_OR_RAISE(auto type, logical::expr_type(*call, input));
  return logical::lit(arrow::MakeNullScalar(type));
}

// True when `e` is NULL whenever one of its columns is (arithmetic, comparisons, casts).
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

// The first output of `projection` (over an Aggregate without groups) evaluated over no rows, or
// null when it is NULL anyway.
arrow::Result<ExprPtr> empty_projection_value(const LogicalPlan& projection,
                                              const LogicalPlan& aggregate) {
  const ExprPtr value = logical::unalias(projection.exprs.at(0));
  const auto& schema = aggregate.schema;
  const int groups = static_cast<int>(aggregate.group_exprs.size());
  bool any_count = false;
  std::vector<std::pair<logical::Column, ExprPtr>> mapping;
  for (int i = groups; i < schema.num_fields(); ++i) {
    const ExprPtr agg = aggregate.aggr_exprs[static_cast<size_t>(i - groups)];
    any_count = any_count || logical::unalias(agg)->name == "count";
    ARROW_ASSIGN_OR_RAISE(auto empty, empty_aggregate_value(agg, aggregate.inputs[0]->schema));
    const auto& f = schema.field(i);
    mapping.emplace_back(logical::Column{f.qualifier, f.field->name()}, empty);
  }
  if (!any_count && null_strict(*value)) return ExprPtr();
  return replace_columns(value, [&](const logical::Column& c) -> std::optional<ExprPtr> {
    for (const auto& [column, empty] : mapping) {
      if (column == c) return empty;
    }
    return std::nullopt;
  });
}

arrow::Result<PulledSubquery> pull(const LogicalPlanPtr& plan) {
  if (!plan_has_outer_reference(*plan)) return PulledSubquery{plan, {}, false, nullptr};
  const LogicalPlan& n = *plan;
  switch (n.kind) {
    case PlanKind::kFilter: {
      ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
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
    case PlanKind::kProjection: {
      for (const auto& e : n.exprs) {
        if (expr_has_outer_reference(*e)) {
          return arrow::Status::NotImplemented(
              "an outer column in the select list of a correlated subquery: ", e->to_string());
        }
      }
      ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
      if (out.scalar_aggregate && n.inputs[0]->kind == PlanKind::kAggregate) {
        const LogicalPlan& original = *n.inputs[0];
        ARROW_ASSIGN_OR_RAISE(out.empty_value, empty_projection_value(n, original));
      }
      std::vector<ExprPtr> exprs = n.exprs;
      add_missing_columns(out.predicates, &exprs);
      ARROW_ASSIGN_OR_RAISE(out.plan, logical::make_projection(out.plan, std::move(exprs)));
      return out;
    }
    case PlanKind::kAggregate: {
      for (const auto& e : node_expressions(n)) {
        if (expr_has_outer_reference(*e)) {
          return arrow::Status::NotImplemented(
              "an outer column in an aggregate or GROUP BY of a subquery: ", e->to_string());
        }
      }
      ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
      std::vector<ExprPtr> groups = n.group_exprs;
      for (const auto& p : out.predicates) {
        if (!is_groupable_equality(*p)) {
          return arrow::Status::NotImplemented(
              "a correlated predicate other than inner = outer below an aggregate in a "
              "subquery: ",
              p->to_string());
        }
      }
      const size_t before = groups.size();
      add_missing_columns(out.predicates, &groups);
      out.scalar_aggregate = n.group_exprs.empty() && groups.size() > before;
      ARROW_ASSIGN_OR_RAISE(out.plan,
                            logical::make_aggregate(out.plan, std::move(groups), n.aggr_exprs));
      return out;
    }
    case PlanKind::kSubqueryAlias: {
      ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
      ARROW_ASSIGN_OR_RAISE(out.plan, logical::make_subquery_alias(out.plan, n.alias));
      for (auto& p : out.predicates) {
        p = replace_columns(p, [&](const logical::Column& c) -> std::optional<ExprPtr> {
          return logical::col(n.alias, c.name);
        });
      }
      return out;
    }
    case PlanKind::kSort: {
      if (n.fetch) break;
      ARROW_ASSIGN_OR_RAISE(auto out, pull(n.inputs[0]));
      // The order of a subquery's rows does not matter to EXISTS, IN or an aggregate.
      return out;
    }
    default:
      break;
  }
  return arrow::Status::NotImplemented("a correlated reference below ", kind_name(n.kind),
                                       " in a subquery: ", n.display());
}

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

arrow::Result<PulledSubquery> pull_up_correlation(const LogicalPlanPtr& plan) { return pull(plan); }

}  // namespace quiver::optimizer
