#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Turns subqueries in expressions into joins (runs first, before predicate pushdown). Nested
/// subqueries are rewritten inside out. In a WHERE or HAVING Filter:
///   - a conjunct `EXISTS (q)` / `x IN (q)` becomes a LeftSemi join with q, `NOT EXISTS (q)` a
///     LeftAnti join; `x NOT IN (q)` a null-aware LeftAnti join on x = q's column (uncorrelated),
///     or, when correlated, a LeftAnti join whose filter is `x = v OR x IS NULL OR v IS NULL`
///     (so a NULL on either side makes NOT IN not true, as in PostgreSQL);
///   - correlated conjuncts of q's WHERE (`inner = outer`, or anything else, as Q21's
///     `l3.l_suppkey <> l1.l_suppkey`) become the join's keys and filter.
/// A scalar subquery (in a Filter or a Projection) becomes a Left join with q, aliased
/// `__sq_<n>` (value column `__value`); a correlated one must be an aggregate without GROUP BY,
/// which then groups by the correlation columns (TPC-H Q2, Q17, Q20), and a missing group gives
/// the aggregate's value over no rows (`count` 0, not NULL). An uncorrelated aggregate without
/// GROUP BY is a cross join. Uncorrelated EXISTS / IN / NOT IN nested under OR, NOT, CASE or in
/// a select list become joins with one-row summaries of q, keeping SQL's three-valued result.
/// Other shapes are NotImplemented errors naming the construct.
class DecorrelateSubqueries : public OptimizerRule {
 public:
  /// Returns "decorrelate_subqueries".
  std::string name() const override;
  /// Returns the plan with its subqueries turned into joins.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
