// One SELECT (see query_binder.h): FROM -> WHERE -> GROUP BY/aggregates -> HAVING -> select
// list (+ hidden ORDER BY columns) -> DISTINCT -> ORDER BY -> drop hidden columns -> LIMIT.

#include <pg_query/pg_query.pb.h>

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

using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::LogicalPlanPtr;
using logical::PlanSchema;

/// One output column of the select list, bound and coerced over the FROM schema.
struct SelectItem {
  ExprPtr expr;
  std::string name;
  int location = -1;
};

/// One ORDER BY key: a select-list position, or an expression over the FROM schema.
struct SortKey {
  int item = -1;
  ExprPtr expr;
  SortDirection direction;
  int location = -1;
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos)) {
    text.replace(pos, from.size(), to);
    pos += to.size();
  }
  return text;
}

// The output name of an unaliased select item, as DataFusion names it.
std::string output_name(const Expr& bound, bool count_star) {
  if (bound.kind == ExprKind::kColumn) return bound.column.name;
  std::string name = bound.display_name();
  return count_star ? replace_all(name, "count(Int64(1))", "count(*)") : name;
}

ExprPtr column_of(const logical::QualifiedField& f) {
  return logical::col(f.qualifier, f.field->name());
}

// Collects the distinct aggregate calls of `e` (not looking inside them).
void collect_aggregates(const ExprPtr& e, std::vector<ExprPtr>* out) {
  if (e->kind == ExprKind::kAggregateFunction) {
    const std::string key = e->to_string();
    for (const auto& a : *out) {
      if (a->to_string() == key) return;
    }
    out->push_back(e);
    return;
  }
  for (const auto& child : logical::expr_children(*e)) collect_aggregates(child, out);
}

// Rewrites expressions over the FROM schema into expressions over an Aggregate's output: group
// expressions and aggregate calls become columns; any other column is an error.
class AggregateRewriter {
 public:
  AggregateRewriter(const std::vector<ExprPtr>& groups, const std::vector<ExprPtr>& aggregates,
                    const PlanSchema& output) {
    int i = 0;
    for (const auto& g : groups) keys_.emplace_back(g->to_string(), column_of(output.field(i++)));
    for (const auto& a : aggregates) {
      keys_.emplace_back(a->to_string(), column_of(output.field(i++)));
    }
  }

  arrow::Result<ExprPtr> rewrite(const ExprPtr& e) const {
    if (e->kind == ExprKind::kAlias) {
      ARROW_ASSIGN_OR_RAISE(auto inner, rewrite(e->args[0]));
      return logical::alias(inner, e->name);
    }
    const std::string key = e->to_string();
    for (const auto& [text, column] : keys_) {
      if (text == key) return column;
    }
    if (e->kind == ExprKind::kColumn) {
      return arrow::Status::Invalid("column \"", e->column.flat_name(),
                                    "\" must appear in the GROUP BY clause or be used in an "
                                    "aggregate function");
    }
    if (e->kind == ExprKind::kAggregateFunction) {
      return arrow::Status::UnknownError("aggregate ", key, " missing from the Aggregate node");
    }
    auto children = logical::expr_children(*e);
    if (children.empty()) return e;
    for (auto& child : children) {
      ARROW_ASSIGN_OR_RAISE(child, rewrite(child));
    }
    return logical::with_children(*e, std::move(children));
  }

 private:
  std::vector<std::pair<std::string, ExprPtr>> keys_;
};

// Rewrites an ORDER BY expression over the projection's output: sub-expressions equal to a
// projected expression become its output column. Columns left over are recorded in `missing`.
ExprPtr rewrite_over_projection(const ExprPtr& e, const std::vector<ExprPtr>& projected,
                                const PlanSchema& output, std::vector<ExprPtr>* missing) {
  const std::string key = e->to_string();
  for (size_t i = 0; i < projected.size(); ++i) {
    if (logical::unalias(projected[i])->to_string() == key) {
      return column_of(output.field(static_cast<int>(i)));
    }
  }
  if (e->kind == ExprKind::kColumn) {
    bool seen = false;
    for (const auto& m : *missing) seen = seen || m->to_string() == key;
    if (!seen) missing->push_back(e);
    return e;
  }
  auto children = logical::expr_children(*e);
  if (children.empty()) return e;
  for (auto& child : children) child = rewrite_over_projection(child, projected, output, missing);
  return logical::with_children(*e, std::move(children));
}

// The output name of an unaliased column reference: its last name part (a merged USING column
// of a FULL JOIN binds to coalesce(l.x, r.x) but is still named x).
std::string column_ref_name(const pg_query::Node& node, std::string bound_name) {
  const auto& fields = node.column_ref().fields();
  if (fields.size() == 0 || !fields[fields.size() - 1].has_string()) return bound_name;
  return fields[fields.size() - 1].string().sval();
}

bool is_star(const pg_query::Node& node) {
  if (!node.has_column_ref()) return false;
  const auto& fields = node.column_ref().fields();
  return fields.size() > 0 && fields[fields.size() - 1].has_a_star();
}

}  // namespace

arrow::Result<LogicalPlanPtr> QueryBinder::bind_simple_select(const pg_query::SelectStmt& stmt) {
  if (stmt.has_into_clause()) {
    return arrow::Status::NotImplemented("SELECT INTO is not supported; use CREATE TABLE AS");
  }
  if (stmt.window_clause_size() > 0) {
    return arrow::Status::NotImplemented("WINDOW clauses are not supported yet");
  }
  if (stmt.locking_clause_size() > 0) {
    return arrow::Status::NotImplemented("FOR UPDATE/SHARE is not supported");
  }
  bool distinct = false;
  if (stmt.distinct_clause_size() > 0) {
    if (stmt.distinct_clause_size() != 1 ||
        stmt.distinct_clause(0).node_case() != pg_query::Node::NODE_NOT_SET) {
      return arrow::Status::NotImplemented("DISTINCT ON is not supported");
    }
    distinct = true;
  }

  // FROM and WHERE.
  ARROW_ASSIGN_OR_RAISE(FromScope from, bind_from(stmt));
  LogicalPlanPtr input = from.plan;
  // Bare names of merged USING columns resolve through the alias fallback (see FromScope).
  const auto* using_columns = from.using_columns.empty() ? nullptr : &from.using_columns;
  if (stmt.has_where_clause()) {
    ExprBinder binder(context_, input->schema);
    binder.set_alias_fallback(using_columns);
    binder.forbid_aggregates("WHERE");
    ARROW_ASSIGN_OR_RAISE(auto predicate, binder.bind(stmt.where_clause()));
    const int location = node_location(stmt.where_clause());
    auto coerced = logical::coerce_expr(predicate, input->schema);
    if (!coerced.ok()) return context_.at(coerced.status(), location);
    auto filtered = logical::make_filter(input, *coerced);
    if (!filtered.ok()) return context_.at(filtered.status(), location);
    input = *filtered;
  }
  const PlanSchema& from_schema = input->schema;

  auto bind_coerced = [&](ExprBinder& binder,
                          const pg_query::Node& node) -> arrow::Result<ExprPtr> {
    ARROW_ASSIGN_OR_RAISE(auto bound, binder.bind(node));
    auto coerced = logical::coerce_expr(bound, from_schema);
    if (!coerced.ok()) return context_.at(coerced.status(), node_location(node));
    return coerced;
  };

  // The select list, with * and t.* expanded.
  std::vector<SelectItem> items;
  for (const auto& target : stmt.target_list()) {
    const auto& rt = target.res_target();
    if (is_star(rt.val())) {
      const auto& fields = rt.val().column_ref().fields();
      std::optional<std::string> relation;
      if (fields.size() >= 2) relation = fields[fields.size() - 2].string().sval();
      if (stmt.from_clause_size() == 0) {
        return context_.at(arrow::Status::Invalid("SELECT * with no tables specified is not valid"),
                           rt.location());
      }
      if (!relation) {
        for (const auto& s : from.star) {
          items.push_back(SelectItem{s.expr, s.name, rt.location()});
        }
        continue;
      }
      bool any = false;
      for (const auto& f : from_schema.fields()) {
        if (relation && f.qualifier != relation) continue;
        items.push_back(SelectItem{column_of(f), f.field->name(), rt.location()});
        any = true;
      }
      if (!any && relation) {
        return context_.at(
            arrow::Status::Invalid("table \"", *relation, "\" is not in the FROM clause"),
            rt.location());
      }
      continue;
    }
    ExprBinder binder(context_, from_schema);
    binder.set_alias_fallback(using_columns);
    ARROW_ASSIGN_OR_RAISE(auto bound, binder.bind(rt.val()));
    std::string name =
        rt.name().empty() ? output_name(*bound, binder.used_count_star()) : rt.name();
    if (rt.name().empty() && rt.val().has_column_ref()) name = column_ref_name(rt.val(), name);
    // (s).field is named after the field, as in PostgreSQL.
    if (rt.name().empty() && rt.val().has_a_indirection()) {
      const auto& steps = rt.val().a_indirection().indirection();
      if (!steps.empty() && steps.rbegin()->has_string()) name = steps.rbegin()->string().sval();
    }
    auto coerced = logical::coerce_expr(bound, from_schema);
    if (!coerced.ok()) return context_.at(coerced.status(), rt.location());
    items.push_back(SelectItem{*coerced, std::move(name), rt.location()});
  }

  // GROUP BY: expressions, select-list positions, or output names (when no input column).
  // Input columns (and merged USING columns) come before output names, as in PostgreSQL.
  std::vector<std::pair<std::string, ExprPtr>> output_aliases = from.using_columns;
  for (const auto& item : items) output_aliases.emplace_back(item.name, item.expr);
  std::vector<ExprPtr> groups;
  for (const auto& g : stmt.group_clause()) {
    if (g.has_grouping_set()) {
      return context_.at(
          arrow::Status::NotImplemented("GROUPING SETS, ROLLUP and CUBE are not supported"),
          node_location(g));
    }
    ExprPtr group;
    if (g.has_a_const() && g.a_const().has_ival()) {
      const int position = g.a_const().ival().ival();
      if (position < 1 || position > static_cast<int>(items.size())) {
        return context_.at(
            arrow::Status::Invalid("GROUP BY position ", position, " is not in select list"),
            node_location(g));
      }
      group = logical::unalias(items[static_cast<size_t>(position - 1)].expr);
    } else {
      ExprBinder binder(context_, from_schema);
      binder.forbid_aggregates("GROUP BY");
      binder.set_alias_fallback(&output_aliases);
      ARROW_ASSIGN_OR_RAISE(group, bind_coerced(binder, g));
    }
    if (logical::contains_aggregate(*group)) {
      return context_.at(arrow::Status::Invalid("aggregate functions are not allowed in GROUP BY"),
                         node_location(g));
    }
    bool seen = false;
    for (const auto& existing : groups) seen = seen || existing->to_string() == group->to_string();
    if (!seen) groups.push_back(group);
  }

  // HAVING.
  ExprPtr having;
  if (stmt.has_having_clause()) {
    ExprBinder binder(context_, from_schema);
    binder.set_alias_fallback(using_columns);
    ARROW_ASSIGN_OR_RAISE(having, bind_coerced(binder, stmt.having_clause()));
  }

  // ORDER BY: select-list positions, output names, or expressions over the FROM schema.
  std::vector<SortKey> sort_keys;
  for (const auto& node : stmt.sort_clause()) {
    const auto& sort_by = node.sort_by();
    SortKey key;
    ARROW_ASSIGN_OR_RAISE(key.direction, sort_direction(sort_by));
    const pg_query::Node& e = sort_by.node();
    key.location = node_location(e);
    if (e.has_a_const() && e.a_const().has_ival()) {
      const int position = e.a_const().ival().ival();
      if (position < 1 || position > static_cast<int>(items.size())) {
        return context_.at(
            arrow::Status::Invalid("ORDER BY position ", position, " is not in select list"),
            key.location);
      }
      key.item = position - 1;
    } else if (e.has_column_ref() && e.column_ref().fields_size() == 1 &&
               e.column_ref().fields(0).has_string()) {
      const std::string& name = e.column_ref().fields(0).string().sval();
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i].name == name) {
          key.item = static_cast<int>(i);
          break;
        }
      }
    }
    if (key.item < 0) {
      ExprBinder binder(context_, from_schema);
      binder.set_alias_fallback(using_columns);
      ARROW_ASSIGN_OR_RAISE(key.expr, bind_coerced(binder, e));
    }
    sort_keys.push_back(std::move(key));
  }

  // Aggregation: group expressions and aggregate calls computed by one Aggregate node; the rest
  // of the query reads its output columns.
  bool aggregating = !groups.empty() || having != nullptr;
  for (const auto& item : items)
    aggregating = aggregating || logical::contains_aggregate(*item.expr);
  for (const auto& key : sort_keys) {
    aggregating = aggregating || (key.expr && logical::contains_aggregate(*key.expr));
  }
  LogicalPlanPtr plan = input;
  if (aggregating) {
    std::vector<ExprPtr> aggregates;
    for (const auto& item : items) collect_aggregates(item.expr, &aggregates);
    if (having) collect_aggregates(having, &aggregates);
    for (const auto& key : sort_keys) {
      if (key.expr) collect_aggregates(key.expr, &aggregates);
    }
    ARROW_ASSIGN_OR_RAISE(plan, logical::make_aggregate(input, groups, aggregates));
    const AggregateRewriter rewriter(groups, aggregates, plan->schema);
    for (auto& item : items) {
      auto rewritten = rewriter.rewrite(item.expr);
      if (!rewritten.ok()) return context_.at(rewritten.status(), item.location);
      item.expr = *rewritten;
    }
    for (auto& key : sort_keys) {
      if (!key.expr) continue;
      auto rewritten = rewriter.rewrite(key.expr);
      if (!rewritten.ok()) return context_.at(rewritten.status(), key.location);
      key.expr = *rewritten;
    }
    if (having) {
      const int location = node_location(stmt.having_clause());
      auto rewritten = rewriter.rewrite(having);
      if (!rewritten.ok()) return context_.at(rewritten.status(), location);
      auto filtered = logical::make_filter(plan, *rewritten);
      if (!filtered.ok()) return context_.at(filtered.status(), location);
      plan = *filtered;
    }
  }

  // The projection: each item under its output name.
  std::vector<ExprPtr> projected;
  for (const auto& item : items) {
    const ExprPtr e = logical::unalias(item.expr);
    const bool named =
        e->kind == ExprKind::kColumn ? e->column.name == item.name : e->display_name() == item.name;
    projected.push_back(named ? e : logical::alias(e, item.name));
  }
  ARROW_ASSIGN_OR_RAISE(LogicalPlanPtr projection, logical::make_projection(plan, projected));

  // ORDER BY keys over the projection's output; columns it lacks become hidden columns.
  std::vector<logical::SortExpr> sort_exprs;
  std::vector<ExprPtr> hidden;
  for (const auto& key : sort_keys) {
    ExprPtr expr;
    if (key.item >= 0) {
      expr = column_of(projection->schema.field(key.item));
    } else {
      std::vector<ExprPtr> missing;
      expr = rewrite_over_projection(key.expr, projected, projection->schema, &missing);
      if (!missing.empty() && distinct) {
        return context_.at(arrow::Status::Invalid("for SELECT DISTINCT, ORDER BY expressions "
                                                  "must appear in select list"),
                           key.location);
      }
      for (const auto& m : missing) {
        bool seen = false;
        for (const auto& h : hidden) seen = seen || h->to_string() == m->to_string();
        if (!seen) hidden.push_back(m);
      }
    }
    sort_exprs.push_back(
        logical::SortExpr{expr, key.direction.ascending, key.direction.nulls_first});
  }
  if (!hidden.empty()) {
    std::vector<ExprPtr> widened = projected;
    widened.insert(widened.end(), hidden.begin(), hidden.end());
    ARROW_ASSIGN_OR_RAISE(projection, logical::make_projection(plan, std::move(widened)));
  }
  plan = projection;
  if (distinct) {
    ARROW_ASSIGN_OR_RAISE(plan, logical::make_distinct(plan));
  }
  if (!sort_exprs.empty()) {
    ARROW_ASSIGN_OR_RAISE(plan, logical::make_sort(plan, std::move(sort_exprs)));
  }
  if (!hidden.empty()) {
    std::vector<ExprPtr> visible;
    for (size_t i = 0; i < items.size(); ++i) {
      visible.push_back(column_of(plan->schema.field(static_cast<int>(i))));
    }
    ARROW_ASSIGN_OR_RAISE(plan, logical::make_projection(plan, std::move(visible)));
  }
  return bind_limit(plan, stmt);
}

}  // namespace quiver::sql
