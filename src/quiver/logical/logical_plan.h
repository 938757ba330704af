#pragma once

#include <arrow/scalar.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/logical/expr.h"
#include "quiver/logical/plan_schema.h"

namespace quiver::catalog {
class TableProvider;
}

namespace quiver::logical {

/// The kinds of logical plan nodes.
enum class PlanKind {
  kTableScan,      ///< reads `table`; may carry pushed-down projection, filters and fetch
  kProjection,     ///< exprs over inputs[0]
  kFilter,         ///< predicate over inputs[0]
  kAggregate,      ///< group_exprs + aggr_exprs over inputs[0]; output: groups then aggregates
  kSort,           ///< sort_exprs over inputs[0], with optional fetch (top-k)
  kLimit,          ///< skip / fetch over inputs[0]
  kUnion,          ///< UNION ALL of inputs (a distinct UNION is Aggregate over Union)
  kValues,         ///< literal rows (`values`)
  kSubqueryAlias,  ///< renames inputs[0]'s qualifier to `alias`
  kEmptyRelation,  ///< zero columns; `produce_one_row` gives one row (SELECT without FROM)
  kJoin,           ///< inputs[0] join inputs[1] on join_on pairs and join_filter
};

/// One ORDER BY key.
struct SortExpr {
  ExprPtr expr;
  bool ascending = true;
  bool nulls_first = false;  ///< The binder applies PostgreSQL's default (NULLS LAST for ASC).
};

/// Logical join types (semi and anti joins return the left side's columns only).
enum class JoinType { kInner, kLeft, kRight, kFull, kLeftSemi, kLeftAnti, kCross };

/// A node of a logical plan. Immutable; `schema` is computed by whoever builds the node (the
/// builder functions below) and is the node's output schema.
struct LogicalPlan {
  PlanKind kind = PlanKind::kEmptyRelation;
  std::vector<LogicalPlanPtr> inputs;
  PlanSchema schema;

  // kTableScan
  std::string table_name;
  std::shared_ptr<catalog::TableProvider> table;
  std::optional<std::vector<int>> projection;  ///< indices into the table's schema
  /// Pushed-down predicates over the table's columns. They are hints the provider may use to
  /// skip data; the optimizer keeps a Filter above the scan for every one the provider does not
  /// apply exactly (FilterPushdown::kExact), so the physical planner adds no filter of its own.
  std::vector<ExprPtr> scan_filters;
  std::optional<int64_t> scan_fetch;

  // kProjection: exprs; kFilter: predicate; kAggregate: group_exprs, aggr_exprs
  std::vector<ExprPtr> exprs;
  ExprPtr predicate;
  std::vector<ExprPtr> group_exprs;
  std::vector<ExprPtr> aggr_exprs;

  // kSort
  std::vector<SortExpr> sort_exprs;
  // kSort (top-k) and kLimit
  std::optional<int64_t> fetch;
  int64_t skip = 0;

  // kValues: rows of literal expressions
  std::vector<std::vector<ExprPtr>> values;

  // kSubqueryAlias
  std::string alias;

  // kEmptyRelation
  bool produce_one_row = false;

  // kJoin: equi-join key pairs (left expr over inputs[0], right expr over inputs[1]) and a
  // residual filter over both sides (may be null); null_aware: NOT IN semantics (LeftAnti).
  JoinType join_type = JoinType::kInner;
  std::vector<std::pair<ExprPtr, ExprPtr>> join_on;
  ExprPtr join_filter;
  bool null_aware = false;

  /// Returns the plan as indented text (one node per line), as EXPLAIN's logical plan.
  std::string display_indent() const;
  /// Returns the node's one-line description, e.g. `Filter: t.a > Int64(1)`.
  std::string display() const;
};

}  // namespace quiver::logical
