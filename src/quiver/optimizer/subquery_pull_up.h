#pragma once

#include <arrow/result.h>

#include <utility>
#include <vector>

#include "quiver/logical/logical_plan.h"

/// Pulling correlated predicates out of a subquery plan (the first half of decorrelation; see
/// decorrelate_subqueries.h for the joins built from the result).
namespace quiver::optimizer {

/// A subquery plan with its correlated predicates taken out.
struct PulledSubquery {
  /// The subquery without the correlated predicates; it holds no outer reference. Columns the
  /// predicates read are added to its output (after the original columns) under fresh names
  /// `__corr<N>`; an equality `inner = outer` below an aggregate adds `inner` as a GROUP BY.
  logical::LogicalPlanPtr plan;
  /// The correlated predicates, over `plan`'s output columns and outer references
  /// (logical::ExprKind::kOuterColumn).
  std::vector<logical::ExprPtr> predicates;
  /// True when the subquery was an aggregate without GROUP BY (one row always) that now groups
  /// by the correlation columns: a missing group then stands for the aggregate of no rows.
  bool scalar_aggregate = false;
  /// For `scalar_aggregate`: the first output column's value over no rows (count() = 0, other
  /// aggregates NULL), or null when that is simply NULL.
  logical::ExprPtr empty_value;
  /// For `scalar_aggregate` with HAVING: a boolean column of `plan` telling whether the group
  /// passes HAVING (the groups are not filtered, so that a missing group still means no rows),
  /// and whether the aggregate over no rows passes it (an expression without columns).
  logical::ExprPtr having;
  logical::ExprPtr having_empty;
  /// While pulling up (empty once done): for `scalar_aggregate`, the value over no rows of each
  /// original output column of `plan`.
  std::vector<std::pair<logical::Column, logical::ExprPtr>> empty_row;
};

/// Takes the correlated conjuncts out of the Filters of `plan`, looking through Projection,
/// Filter, Aggregate (equality predicates become extra GROUP BY columns), SubqueryAlias and Sort.
/// A correlated reference anywhere else (a join, a limit, a select-list expression, a
/// non-equality predicate below an aggregate) is a NotImplemented error naming the construct.
arrow::Result<PulledSubquery> pull_up_correlation(const logical::LogicalPlanPtr& plan);

/// Returns true when any node of `plan` holds an outer reference (also inside nested subquery
/// plans).
bool plan_has_outer_reference(const logical::LogicalPlan& plan);

/// Returns every expression a node holds (projection, predicate, groups, aggregates, sort keys,
/// values, scan filters, join keys and filter).
std::vector<logical::ExprPtr> node_expressions(const logical::LogicalPlan& node);

}  // namespace quiver::optimizer
