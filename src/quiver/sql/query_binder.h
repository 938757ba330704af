#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "quiver/logical/logical_plan.h"
#include "quiver/sql/expr_binder.h"

namespace pg_query {
class Node;
class SelectStmt;
class RangeVar;
class RangeFunction;
class RangeSubselect;
class Alias;
class SortBy;
class JoinExpr;
class WithClause;
}  // namespace pg_query

namespace quiver::sql {

/// ASC/DESC and NULLS FIRST/LAST of one ORDER BY item.
struct SortDirection {
  bool ascending = true;
  bool nulls_first = false;
};

/// Returns the direction of an ORDER BY item with PostgreSQL's defaults (ASC => NULLS LAST,
/// DESC => NULLS FIRST); `USING op` is not supported.
arrow::Result<SortDirection> sort_direction(const pg_query::SortBy& sort_by);

/// One column that `SELECT *` lists: the expression over the FROM plan and its output name.
struct StarColumn {
  logical::ExprPtr expr;
  std::string name;
};

/// A bound FROM clause (or one FROM item): the plan, plus what joins with USING / NATURAL add
/// on top of its schema. Such a join keeps both sides' columns (so `a.x` and `b.x` stay
/// valid); the unqualified name `x` means the merged column of `using_columns` (the left
/// column, the right one for RIGHT JOIN, `coalesce(l.x, r.x)` for FULL JOIN), and `SELECT *`
/// lists `star` (each USING column once, first, as in PostgreSQL).
struct FromScope {
  logical::LogicalPlanPtr plan;
  /// Unqualified names of merged USING columns and the expressions they stand for; handed to
  /// ExprBinder::set_alias_fallback, which tries them when a bare name is ambiguous.
  std::vector<std::pair<std::string, logical::ExprPtr>> using_columns;
  /// What `SELECT *` lists.
  std::vector<StarColumn> star;
};

/// Returns the scope of a plan without USING columns: `SELECT *` lists every field.
FromScope plain_scope(logical::LogicalPlanPtr plan);

/// Binds a query (SELECT, VALUES, UNION) into a logical plan, resolving names against the
/// session catalog. The work is split by clause:
///   query_binder.cc   entry, set operations, VALUES, ORDER BY / LIMIT over a query's output
///   select_binder.cc  one SELECT: WHERE, select list, GROUP BY / aggregates, HAVING, ORDER BY
///   from_binder.cc    FROM items: tables, views, CTEs, table functions, derived tables
///   join_binder.cc    joins: ON (split into equi-join keys and a residual filter), USING,
///                     NATURAL, CROSS and comma lists
/// CTEs (WITH) are bound in query_binder.cc and kept in BindContext::ctes while the statement
/// that declares them is bound.
class QueryBinder {
 public:
  /// Creates a binder over `context` (which must outlive it).
  explicit QueryBinder(const BindContext& context) : context_(context) {}

  /// Binds a query node (a SelectStmt node).
  arrow::Result<logical::LogicalPlanPtr> bind_query(const pg_query::Node& node);
  /// Binds a SELECT statement (which may be a set operation or VALUES).
  arrow::Result<logical::LogicalPlanPtr> bind_select_stmt(const pg_query::SelectStmt& stmt);

 private:
  // query_binder.cc
  arrow::Result<logical::LogicalPlanPtr> bind_set_operation(const pg_query::SelectStmt& stmt);
  arrow::Result<logical::LogicalPlanPtr> bind_values(const pg_query::SelectStmt& stmt);
  arrow::Result<logical::LogicalPlanPtr> bind_output_order(logical::LogicalPlanPtr plan,
                                                           const pg_query::SelectStmt& stmt);
  arrow::Result<logical::LogicalPlanPtr> bind_limit(logical::LogicalPlanPtr plan,
                                                    const pg_query::SelectStmt& stmt);
  arrow::Result<std::optional<int64_t>> bind_count(const pg_query::Node& node, const char* what);

  arrow::Result<logical::LogicalPlanPtr> bind_with(const pg_query::SelectStmt& stmt);

  // select_binder.cc
  arrow::Result<logical::LogicalPlanPtr> bind_simple_select(const pg_query::SelectStmt& stmt);

  // from_binder.cc
  arrow::Result<FromScope> bind_from(const pg_query::SelectStmt& stmt);
  arrow::Result<FromScope> bind_from_item(const pg_query::Node& node);
  arrow::Result<logical::LogicalPlanPtr> bind_range_var(const pg_query::RangeVar& range);
  arrow::Result<logical::LogicalPlanPtr> bind_range_function(const pg_query::RangeFunction& range);
  arrow::Result<logical::LogicalPlanPtr> bind_range_subselect(
      const pg_query::RangeSubselect& range);
  arrow::Result<logical::LogicalPlanPtr> scan_or_view(
      const std::string& name, std::shared_ptr<catalog::TableProvider> table);
  arrow::Result<logical::LogicalPlanPtr> apply_alias(logical::LogicalPlanPtr plan,
                                                     const pg_query::Alias& alias);

  // join_binder.cc
  arrow::Result<FromScope> bind_join(const pg_query::JoinExpr& join);
  arrow::Result<FromScope> cross_join(FromScope left, FromScope right, int location);

  const BindContext& context_;
};

}  // namespace quiver::sql
