#include "quiver/sql/query_binder.h"

#include <arrow/compute/cast.h>
#include <arrow/scalar.h>
#include <pg_query/pg_query.pb.h>

#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/sql/ast_location.h"
#include "quiver/sql/constant_evaluator.h"

namespace quiver::sql {

using logical::ExprPtr;
using logical::LogicalPlanPtr;

arrow::Result<SortDirection> sort_direction(const pg_query::SortBy& sort_by) {
  SortDirection out;
  switch (sort_by.sortby_dir()) {
    case pg_query::SORTBY_DESC:
      out.ascending = false;
      break;
    case pg_query::SORTBY_USING:
      return arrow::Status::NotImplemented("ORDER BY ... USING is not supported");
    default:
      out.ascending = true;
  }
  switch (sort_by.sortby_nulls()) {
    case pg_query::SORTBY_NULLS_FIRST:
      out.nulls_first = true;
      break;
    case pg_query::SORTBY_NULLS_LAST:
      out.nulls_first = false;
      break;
    default:
      out.nulls_first = !out.ascending;  // PostgreSQL: nulls sort as if larger than any value
  }
  return out;
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_query(const pg_query::Node& node) {
  if (!node.has_select_stmt()) {
    return arrow::Status::NotImplemented(
        "only SELECT, VALUES and UNION queries are supported here");
  }
  return bind_select_stmt(node.select_stmt());
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_select_stmt(const pg_query::SelectStmt& stmt) {
  if (stmt.has_with_clause()) return bind_with(stmt);
  if (stmt.op() == pg_query::SETOP_UNION || stmt.op() == pg_query::SETOP_INTERSECT ||
      stmt.op() == pg_query::SETOP_EXCEPT) {
    return bind_set_operation(stmt);
  }
  if (stmt.values_lists_size() > 0) return bind_values(stmt);
  return bind_simple_select(stmt);
}

// Binds each WITH query in order (each sees the ones before it), makes them visible to FROM
// items while the statement is bound, and removes them afterwards, whatever the outcome.
arrow::Result<LogicalPlanPtr> QueryBinder::bind_with(const pg_query::SelectStmt& stmt) {
  const auto& with = stmt.with_clause();
  if (with.recursive()) {
    return context_.at(arrow::Status::NotImplemented("WITH RECURSIVE is not supported"),
                       with.location());
  }
  const size_t depth = context_.ctes.size();
  struct Restore {
    const BindContext& context;
    size_t depth;
    ~Restore() { context.ctes.resize(depth); }
  } restore{context_, depth};
  for (const auto& node : with.ctes()) {
    const auto& cte = node.common_table_expr();
    const std::string& name = cte.ctename();
    for (size_t i = depth; i < context_.ctes.size(); ++i) {
      if (context_.ctes[i].first == name) {
        return context_.at(
            arrow::Status::Invalid("WITH query name \"", name, "\" specified more than once"),
            cte.location());
      }
    }
    if (cte.ctematerialized() != pg_query::CTEMaterializeDefault) {
      return context_.at(
          arrow::Status::NotImplemented("WITH ... AS [NOT] MATERIALIZED is not supported"),
          cte.location());
    }
    ARROW_ASSIGN_OR_RAISE(LogicalPlanPtr plan, bind_query(cte.ctequery()));
    if (cte.aliascolnames_size() > 0) {
      const auto& schema = plan->schema;
      if (cte.aliascolnames_size() > schema.num_fields()) {
        return context_.at(arrow::Status::Invalid("WITH query \"", name, "\" has ",
                                                  schema.num_fields(), " columns available but ",
                                                  cte.aliascolnames_size(), " columns specified"),
                           cte.location());
      }
      std::vector<ExprPtr> exprs;
      for (int i = 0; i < schema.num_fields(); ++i) {
        const auto& f = schema.field(i);
        ExprPtr column = logical::col(f.qualifier, f.field->name());
        exprs.push_back(i < cte.aliascolnames_size()
                            ? logical::alias(column, cte.aliascolnames(i).string().sval())
                            : column);
      }
      ARROW_ASSIGN_OR_RAISE(plan, logical::make_projection(plan, std::move(exprs)));
    }
    context_.ctes.emplace_back(name, std::move(plan));
  }
  pg_query::SelectStmt body = stmt;
  body.clear_with_clause();
  return bind_select_stmt(body);
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_set_operation(const pg_query::SelectStmt& stmt) {
  if (stmt.op() != pg_query::SETOP_UNION) {
    return arrow::Status::NotImplemented(
        stmt.op() == pg_query::SETOP_INTERSECT ? "INTERSECT" : "EXCEPT", " is not supported yet");
  }
  ARROW_ASSIGN_OR_RAISE(auto left, bind_select_stmt(stmt.larg()));
  ARROW_ASSIGN_OR_RAISE(auto right, bind_select_stmt(stmt.rarg()));
  // UNION ALL chains flatten into one Union node.
  std::vector<LogicalPlanPtr> inputs;
  for (const auto& side : {left, right}) {
    if (side->kind == logical::PlanKind::kUnion && stmt.all()) {
      inputs.insert(inputs.end(), side->inputs.begin(), side->inputs.end());
    } else {
      inputs.push_back(side);
    }
  }
  ARROW_ASSIGN_OR_RAISE(LogicalPlanPtr plan, logical::make_union(std::move(inputs)));
  if (!stmt.all()) {
    ARROW_ASSIGN_OR_RAISE(plan, logical::make_distinct(plan));
  }
  ARROW_ASSIGN_OR_RAISE(plan, bind_output_order(plan, stmt));
  return bind_limit(plan, stmt);
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_values(const pg_query::SelectStmt& stmt) {
  const logical::PlanSchema empty;
  std::vector<std::vector<ExprPtr>> rows;
  for (const auto& row : stmt.values_lists()) {
    std::vector<ExprPtr> values;
    for (const auto& item : row.list().items()) {
      ExprBinder binder(context_, empty);
      binder.forbid_aggregates("VALUES");
      ARROW_ASSIGN_OR_RAISE(auto e, binder.bind(item));
      auto coerced = logical::coerce_expr(e, empty);
      if (!coerced.ok()) return context_.at(coerced.status(), node_location(item));
      values.push_back(*coerced);
    }
    rows.push_back(std::move(values));
  }
  auto plan = logical::make_values(std::move(rows));
  if (!plan.ok()) {
    const int location =
        stmt.values_lists_size() > 0 && stmt.values_lists(0).list().items_size() > 0
            ? node_location(stmt.values_lists(0).list().items(0))
            : -1;
    return context_.at(plan.status(), location);
  }
  ARROW_ASSIGN_OR_RAISE(auto ordered, bind_output_order(*plan, stmt));
  return bind_limit(ordered, stmt);
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_output_order(LogicalPlanPtr plan,
                                                             const pg_query::SelectStmt& stmt) {
  if (stmt.sort_clause_size() == 0) return plan;
  const logical::PlanSchema& schema = plan->schema;
  std::vector<logical::SortExpr> keys;
  for (const auto& item : stmt.sort_clause()) {
    const auto& sort_by = item.sort_by();
    ARROW_ASSIGN_OR_RAISE(auto direction, sort_direction(sort_by));
    const pg_query::Node& node = sort_by.node();
    ExprPtr expr;
    if (node.has_a_const() && node.a_const().has_ival()) {
      const int position = node.a_const().ival().ival();
      if (position < 1 || position > schema.num_fields()) {
        return context_.at(
            arrow::Status::Invalid("ORDER BY position ", position, " is not in select list"),
            node_location(node));
      }
      const auto& f = schema.field(position - 1);
      expr = logical::col(f.qualifier, f.field->name());
    } else {
      ExprBinder binder(context_, schema);
      binder.forbid_aggregates("ORDER BY of a set operation or VALUES");
      ARROW_ASSIGN_OR_RAISE(auto bound, binder.bind(node));
      auto coerced = logical::coerce_expr(bound, schema);
      if (!coerced.ok()) return context_.at(coerced.status(), node_location(node));
      expr = *coerced;
    }
    keys.push_back(logical::SortExpr{expr, direction.ascending, direction.nulls_first});
  }
  return logical::make_sort(plan, std::move(keys));
}

arrow::Result<std::optional<int64_t>> QueryBinder::bind_count(const pg_query::Node& node,
                                                              const char* what) {
  if (node.has_a_const() && node.a_const().isnull()) return std::nullopt;  // LIMIT ALL / NULL
  const logical::PlanSchema empty;
  ExprBinder binder(context_, empty);
  binder.forbid_aggregates(what);
  ARROW_ASSIGN_OR_RAISE(auto e, binder.bind(node));
  auto value = evaluate_constant(e, what);
  if (!value.ok()) return context_.at(value.status(), node_location(node));
  if (!(*value)->is_valid) return std::nullopt;
  auto as_int = arrow::compute::Cast(arrow::Datum(*value), arrow::int64());
  if (!as_int.ok()) {
    return context_.at(
        arrow::Status::Invalid(what, " must be an integer, not ", (*value)->ToString()),
        node_location(node));
  }
  const int64_t count = std::static_pointer_cast<arrow::Int64Scalar>(as_int->scalar())->value;
  if (count < 0) {
    return context_.at(arrow::Status::Invalid(what, " must not be negative"), node_location(node));
  }
  return count;
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_limit(LogicalPlanPtr plan,
                                                      const pg_query::SelectStmt& stmt) {
  if (!stmt.has_limit_count() && !stmt.has_limit_offset()) return plan;
  if (stmt.limit_option() == pg_query::LIMIT_OPTION_WITH_TIES) {
    return arrow::Status::NotImplemented("FETCH ... WITH TIES is not supported");
  }
  std::optional<int64_t> fetch;
  int64_t skip = 0;
  if (stmt.has_limit_count()) {
    ARROW_ASSIGN_OR_RAISE(fetch, bind_count(stmt.limit_count(), "LIMIT"));
  }
  if (stmt.has_limit_offset()) {
    ARROW_ASSIGN_OR_RAISE(auto offset, bind_count(stmt.limit_offset(), "OFFSET"));
    skip = offset.value_or(0);
  }
  if (!fetch && skip == 0) return plan;
  return logical::make_limit(plan, skip, fetch);
}

}  // namespace quiver::sql
