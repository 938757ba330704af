#include "quiver/optimizer/plan_rewrite.h"

#include <utility>

#include "quiver/logical/plan_builder.h"

namespace quiver::optimizer {

using logical::ExprPtr;
using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

// Applies `fn` to each expression; sets *changed when any result differs.
std::vector<ExprPtr> map_all(const std::vector<ExprPtr>& exprs, const ExprTransform& fn,
                             bool* changed) {
  std::vector<ExprPtr> out;
  out.reserve(exprs.size());
  for (const auto& e : exprs) {
    out.push_back(fn(e));
    if (out.back() != e) *changed = true;
  }
  return out;
}

// Like map_all, but keeps each output's name (projection and aggregate outputs).
std::vector<ExprPtr> map_named(const std::vector<ExprPtr>& exprs, const ExprTransform& fn,
                               bool* changed) {
  std::vector<ExprPtr> out;
  out.reserve(exprs.size());
  for (const auto& e : exprs) {
    ExprPtr rewritten = fn(e);
    if (rewritten != e) {
      *changed = true;
      rewritten = keep_name(rewritten, e->display_name());
    }
    out.push_back(std::move(rewritten));
  }
  return out;
}

arrow::Result<LogicalPlanPtr> rebuild(const LogicalPlanPtr& node, const ExprTransform& fn,
                                      bool* changed) {
  const LogicalPlan& n = *node;
  switch (n.kind) {
    case PlanKind::kProjection: {
      auto exprs = map_named(n.exprs, fn, changed);
      if (!*changed) return node;
      return logical::make_projection(n.inputs[0], std::move(exprs));
    }
    case PlanKind::kFilter: {
      ExprPtr predicate = fn(n.predicate);
      if (predicate == n.predicate) return node;
      *changed = true;
      return logical::make_filter(n.inputs[0], std::move(predicate));
    }
    case PlanKind::kAggregate: {
      auto groups = map_named(n.group_exprs, fn, changed);
      auto aggrs = map_named(n.aggr_exprs, fn, changed);
      if (!*changed) return node;
      return logical::make_aggregate(n.inputs[0], std::move(groups), std::move(aggrs));
    }
    case PlanKind::kSort: {
      std::vector<logical::SortExpr> keys = n.sort_exprs;
      for (auto& k : keys) {
        ExprPtr e = fn(k.expr);
        if (e != k.expr) *changed = true;
        k.expr = std::move(e);
      }
      if (!*changed) return node;
      return logical::make_sort(n.inputs[0], std::move(keys), n.fetch);
    }
    case PlanKind::kValues: {
      std::vector<std::vector<ExprPtr>> rows;
      rows.reserve(n.values.size());
      for (const auto& row : n.values) rows.push_back(map_all(row, fn, changed));
      if (!*changed) return node;
      return logical::make_values(std::move(rows));
    }
    case PlanKind::kTableScan: {
      auto filters = map_all(n.scan_filters, fn, changed);
      if (!*changed) return node;
      return logical::make_table_scan(n.table_name, n.table, n.projection, std::move(filters),
                                      n.scan_fetch);
    }
    default:
      // Limit, Union, SubqueryAlias and EmptyRelation hold no expressions; joins are rewritten
      // by the joins issue's own rules.
      return node;
  }
}

}  // namespace

arrow::Result<LogicalPlanPtr> transform_plan_up(const LogicalPlanPtr& plan,
                                                const PlanTransform& fn) {
  std::vector<LogicalPlanPtr> inputs;
  inputs.reserve(plan->inputs.size());
  bool changed = false;
  for (const auto& input : plan->inputs) {
    ARROW_ASSIGN_OR_RAISE(auto rewritten, transform_plan_up(input, fn));
    changed = changed || rewritten != input;
    inputs.push_back(std::move(rewritten));
  }
  LogicalPlanPtr node = plan;
  if (changed) {
    ARROW_ASSIGN_OR_RAISE(node, logical::with_new_inputs(*plan, std::move(inputs)));
  }
  return fn(node);
}

arrow::Result<LogicalPlanPtr> map_node_exprs(const LogicalPlanPtr& node, const ExprTransform& fn) {
  bool changed = false;
  auto rebuilt = rebuild(node, fn, &changed);
  // A rewrite that makes the node invalid or changes its output is not worth applying.
  if (!rebuilt.ok() || !changed) return node;
  if (!same_fields((*rebuilt)->schema, node->schema)) return node;
  return rebuilt;
}

bool same_fields(const logical::PlanSchema& a, const logical::PlanSchema& b) {
  if (a.num_fields() != b.num_fields()) return false;
  for (int i = 0; i < a.num_fields(); ++i) {
    const auto& fa = a.field(i);
    const auto& fb = b.field(i);
    if (fa.qualifier != fb.qualifier || fa.field->name() != fb.field->name() ||
        !fa.field->type()->Equals(*fb.field->type())) {
      return false;
    }
  }
  return true;
}

bool same_fields_and_nullability(const logical::PlanSchema& a, const logical::PlanSchema& b) {
  if (!same_fields(a, b)) return false;
  for (int i = 0; i < a.num_fields(); ++i) {
    if (a.field(i).field->nullable() != b.field(i).field->nullable()) return false;
  }
  return true;
}

ExprPtr keep_name(const ExprPtr& expr, const std::string& name) {
  if (expr->display_name() == name) return expr;
  return logical::alias(expr, name);
}

}  // namespace quiver::optimizer
