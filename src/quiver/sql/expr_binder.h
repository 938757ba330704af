#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quiver/logical/expr.h"
#include "quiver/logical/logical_plan.h"
#include "quiver/logical/plan_schema.h"
#include "quiver/sql/context_provider.h"
#include "quiver/sql/source_position.h"

namespace pg_query {
class Node;
class FuncCall;
class A_Expr;
class ColumnRef;
class A_Const;
class CaseExpr;
}  // namespace pg_query

namespace quiver::sql {

/// What binding needs from the session and the statement: the catalog, the SQL text (for
/// error positions) and the common table expressions (WITH) in scope.
struct BindContext {
  const ContextProvider& provider;
  std::string_view sql;
  /// CTEs visible at the current point of binding, innermost last (QueryBinder pushes a WITH
  /// clause's queries while it binds the statement and pops them after); FROM items look here
  /// before the catalog, so subqueries anywhere in the statement see them.
  mutable std::vector<std::pair<std::string, logical::LogicalPlanPtr>> ctes = {};
  /// Returns `status` with the SQL position of `location` (0-based byte offset) appended.
  arrow::Status at(const arrow::Status& status, int location) const {
    return with_position(status, sql, location);
  }
};

/// Turns pg_query expression nodes into logical expressions over one input schema. Columns come
/// back fully qualified by the field they resolved to; types are not coerced yet (the caller
/// names outputs from the uncoerced form, then calls logical::coerce_expr).
///
/// Subqueries in expressions are the next issue: they fail with NotImplemented here
/// (`bind_sub_link` is the place to add them).
class ExprBinder {
 public:
  /// Creates a binder resolving columns in `schema` (both must outlive it).
  ExprBinder(const BindContext& context, const logical::PlanSchema& schema)
      : context_(context), schema_(schema) {}

  /// Forbids aggregate calls; the error names `clause` ("WHERE", "GROUP BY", ...).
  void forbid_aggregates(std::string clause) { forbidden_aggregate_clause_ = std::move(clause); }

  /// Sets output-column aliases tried when a bare name is no input column (GROUP BY).
  void set_alias_fallback(const std::vector<std::pair<std::string, logical::ExprPtr>>* aliases) {
    aliases_ = aliases;
  }

  /// Binds one expression node.
  arrow::Result<logical::ExprPtr> bind(const pg_query::Node& node);

  /// Returns whether `count(*)` was bound since the last reset (the output is then named
  /// `count(*)` rather than `count(Int64(1))`).
  bool used_count_star() const { return count_star_ > 0; }
  /// Forgets earlier `count(*)` calls.
  void reset_count_star() { count_star_ = 0; }

 private:
  arrow::Result<logical::ExprPtr> bind_node(const pg_query::Node& node);
  arrow::Result<logical::ExprPtr> bind_column(const pg_query::ColumnRef& ref);
  arrow::Result<logical::ExprPtr> bind_const(const pg_query::A_Const& value);
  arrow::Result<logical::ExprPtr> bind_a_expr(const pg_query::A_Expr& expr);
  arrow::Result<logical::ExprPtr> bind_function(const pg_query::FuncCall& call);
  arrow::Result<logical::ExprPtr> bind_case(const pg_query::CaseExpr& expr);
  arrow::Result<logical::ExprPtr> bind_type_cast(const pg_query::Node& node);
  arrow::Result<logical::ExprPtr> bind_sub_link(const pg_query::Node& node);
  arrow::Result<std::vector<logical::ExprPtr>> bind_list(const pg_query::Node& list_node);

  const BindContext& context_;
  const logical::PlanSchema& schema_;
  std::string forbidden_aggregate_clause_;
  const std::vector<std::pair<std::string, logical::ExprPtr>>* aliases_ = nullptr;
  int aggregate_depth_ = 0;
  int count_star_ = 0;
};

}  // namespace quiver::sql
