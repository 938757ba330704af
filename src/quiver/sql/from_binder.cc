// FROM items: tables, views, table functions and derived tables (see query_binder.h).

#include <pg_query/pg_query.pb.h>

#include <algorithm>
#include <cctype>

#include "quiver/catalog/table_provider.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/sql/ast_location.h"
#include "quiver/sql/constant_evaluator.h"
#include "quiver/sql/query_binder.h"

namespace quiver::sql {

using logical::ExprPtr;
using logical::LogicalPlanPtr;

arrow::Result<LogicalPlanPtr> QueryBinder::bind_from(const pg_query::SelectStmt& stmt) {
  if (stmt.from_clause_size() == 0) return logical::make_empty_relation(true);
  if (stmt.from_clause_size() > 1) {
    return context_.at(
        arrow::Status::NotImplemented("JOIN is not supported yet (FROM with several relations)"),
        node_location(stmt.from_clause(1)));
  }
  return bind_from_item(stmt.from_clause(0));
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_from_item(const pg_query::Node& node) {
  switch (node.node_case()) {
    case pg_query::Node::kRangeVar:
      return bind_range_var(node.range_var());
    case pg_query::Node::kRangeFunction:
      return bind_range_function(node.range_function());
    case pg_query::Node::kRangeSubselect:
      return bind_range_subselect(node.range_subselect());
    case pg_query::Node::kJoinExpr:
      // Joins arrive with the next issue: bind both sides here and build a kJoin node.
      return arrow::Status::NotImplemented("JOIN is not supported yet");
    default:
      return arrow::Status::NotImplemented("this kind of FROM item is not supported");
  }
}

arrow::Result<LogicalPlanPtr> QueryBinder::scan_or_view(
    const std::string& name, std::shared_ptr<catalog::TableProvider> table) {
  if (auto view = table->view_plan()) return logical::make_subquery_alias(view, name);
  return logical::make_table_scan(name, std::move(table));
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_range_var(const pg_query::RangeVar& range) {
  const std::string& name = range.relname();
  auto table = context_.provider.get_table(name);
  if (!table.ok()) return context_.at(table.status(), range.location());
  ARROW_ASSIGN_OR_RAISE(auto plan, scan_or_view(name, *table));
  if (range.has_alias()) return apply_alias(plan, range.alias());
  return plan;
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_range_function(
    const pg_query::RangeFunction& range) {
  if (range.lateral() || range.ordinality() || range.is_rowsfrom()) {
    return arrow::Status::NotImplemented(
        "LATERAL, WITH ORDINALITY and ROWS FROM are not supported");
  }
  if (range.coldeflist_size() > 0) {
    return arrow::Status::NotImplemented("column definition lists are not supported");
  }
  if (range.functions_size() != 1 || !range.functions(0).has_list() ||
      range.functions(0).list().items_size() == 0 ||
      !range.functions(0).list().items(0).has_func_call()) {
    return arrow::Status::NotImplemented("this table function call form is not supported");
  }
  const pg_query::Node& call_node = range.functions(0).list().items(0);
  const auto& call = call_node.func_call();
  std::string name;
  for (const auto& part : call.funcname()) {
    if (part.has_string()) name = part.string().sval();
  }
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });

  const logical::PlanSchema empty;
  std::vector<std::shared_ptr<arrow::Scalar>> args;
  for (const auto& arg : call.args()) {
    ExprBinder binder(context_, empty);
    binder.forbid_aggregates("table function arguments");
    ARROW_ASSIGN_OR_RAISE(auto e, binder.bind(arg));
    auto value = evaluate_constant(e, "a table function argument");
    if (!value.ok()) return context_.at(value.status(), node_location(arg));
    args.push_back(*value);
  }
  auto table = context_.provider.call_table_function(name, args);
  if (!table.ok()) return context_.at(table.status(), call.location());
  ARROW_ASSIGN_OR_RAISE(auto plan, scan_or_view(name, *table));
  if (range.has_alias()) return apply_alias(plan, range.alias());
  return plan;
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_range_subselect(
    const pg_query::RangeSubselect& range) {
  if (range.lateral()) return arrow::Status::NotImplemented("LATERAL is not supported yet");
  ARROW_ASSIGN_OR_RAISE(auto plan, bind_query(range.subquery()));
  if (range.has_alias()) return apply_alias(plan, range.alias());
  return plan;
}

arrow::Result<LogicalPlanPtr> QueryBinder::apply_alias(LogicalPlanPtr plan,
                                                       const pg_query::Alias& alias) {
  if (alias.colnames_size() > 0) {
    const logical::PlanSchema& schema = plan->schema;
    if (alias.colnames_size() > schema.num_fields()) {
      return arrow::Status::Invalid("table \"", alias.aliasname(), "\" has ", schema.num_fields(),
                                    " columns available but ", alias.colnames_size(),
                                    " columns specified");
    }
    std::vector<ExprPtr> exprs;
    for (int i = 0; i < schema.num_fields(); ++i) {
      const auto& f = schema.field(i);
      ExprPtr column = logical::col(f.qualifier, f.field->name());
      if (i < alias.colnames_size()) {
        exprs.push_back(logical::alias(column, alias.colnames(i).string().sval()));
      } else {
        exprs.push_back(column);
      }
    }
    ARROW_ASSIGN_OR_RAISE(plan, logical::make_projection(plan, std::move(exprs)));
  }
  return logical::make_subquery_alias(plan, alias.aliasname());
}

}  // namespace quiver::sql
