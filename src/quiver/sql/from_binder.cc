// FROM items: tables, views, CTEs, table functions and derived tables (see query_binder.h).

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

FromScope plain_scope(LogicalPlanPtr plan) {
  FromScope scope;
  for (const auto& f : plan->schema.fields()) {
    scope.star.push_back(StarColumn{logical::col(f.qualifier, f.field->name()), f.field->name()});
  }
  scope.plan = std::move(plan);
  return scope;
}

arrow::Result<FromScope> QueryBinder::bind_from(const pg_query::SelectStmt& stmt) {
  if (stmt.from_clause_size() == 0) return plain_scope(logical::make_empty_relation(true));
  // `FROM a, b, c` is a left-deep chain of cross joins; WHERE supplies the conditions.
  ARROW_ASSIGN_OR_RAISE(FromScope scope, bind_from_item(stmt.from_clause(0)));
  for (int i = 1; i < stmt.from_clause_size(); ++i) {
    ARROW_ASSIGN_OR_RAISE(FromScope next, bind_from_item(stmt.from_clause(i)));
    ARROW_ASSIGN_OR_RAISE(
        scope, cross_join(std::move(scope), std::move(next), node_location(stmt.from_clause(i))));
  }
  return scope;
}

arrow::Result<FromScope> QueryBinder::bind_from_item(const pg_query::Node& node) {
  arrow::Result<LogicalPlanPtr> plan;
  switch (node.node_case()) {
    case pg_query::Node::kRangeVar:
      plan = bind_range_var(node.range_var());
      break;
    case pg_query::Node::kRangeFunction:
      plan = bind_range_function(node.range_function());
      break;
    case pg_query::Node::kRangeSubselect:
      plan = bind_range_subselect(node.range_subselect());
      break;
    case pg_query::Node::kJoinExpr:
      return bind_join(node.join_expr());
    default:
      return arrow::Status::NotImplemented("this kind of FROM item is not supported");
  }
  if (!plan.ok()) return plan.status();
  return plain_scope(*std::move(plan));
}

arrow::Result<LogicalPlanPtr> QueryBinder::scan_or_view(
    const std::string& name, std::shared_ptr<catalog::TableProvider> table) {
  if (auto view = table->view_plan()) return logical::make_subquery_alias(view, name);
  return logical::make_table_scan(name, std::move(table));
}

arrow::Result<LogicalPlanPtr> QueryBinder::bind_range_var(const pg_query::RangeVar& range) {
  const std::string& name = range.relname();
  // A CTE shadows a table of the same name (innermost WITH first).
  if (range.schemaname().empty() && range.catalogname().empty()) {
    for (auto it = context_.ctes.rbegin(); it != context_.ctes.rend(); ++it) {
      if (it->first != name) continue;
      ARROW_ASSIGN_OR_RAISE(auto plan, logical::make_subquery_alias(it->second, name));
      if (range.has_alias()) return apply_alias(plan, range.alias());
      return plan;
    }
  }
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
  std::vector<catalog::NamedArgument> named;
  for (const auto& node : call.args()) {
    // `name => value` (PostgreSQL's named argument); the grammar puts named ones last.
    const bool is_named = node.has_named_arg_expr();
    const pg_query::Node& arg = is_named ? node.named_arg_expr().arg() : node;
    ExprBinder binder(context_, empty);
    binder.forbid_aggregates("table function arguments");
    ARROW_ASSIGN_OR_RAISE(auto e, binder.bind(arg));
    auto value = evaluate_constant(e, "a table function argument");
    if (!value.ok()) return context_.at(value.status(), node_location(arg));
    if (!is_named) {
      args.push_back(*value);
      continue;
    }
    const std::string& arg_name = node.named_arg_expr().name();
    for (const auto& seen : named) {
      if (seen.name == arg_name) {
        return context_.at(arrow::Status::Invalid("argument '", arg_name, "' is given twice"),
                           node.named_arg_expr().location());
      }
    }
    named.push_back({arg_name, *value});
  }
  auto table = context_.provider.call_table_function_named(name, args, named);
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
