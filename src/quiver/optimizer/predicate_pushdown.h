#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Moves filters toward the scans. A Filter's predicate is split into its AND-ed conjuncts, and
/// each conjunct travels down through Projection (column references replaced by the projected
/// expressions, when those are deterministic), Sort (without fetch), SubqueryAlias
/// (re-qualified), Union (into every input) and Aggregate (when it references only grouping
/// columns). At a TableScan the provider is asked about each conjunct, re-expressed over the
/// table's unqualified columns: accepted ones go into `scan_filters`, and a Filter stays above
/// for all but those the provider applies exactly. At a Join, the filter's conjuncts and the
/// join's own ON conjuncts are placed by `plan_join_pushdown` (join_pushdown.h): one-sided ones
/// move into the input where that keeps the result, a filter rejecting an outer join's padded
/// NULLs makes it inner, and conjuncts over both inputs become the condition of an inner join
/// (equalities as keys: `FROM a, b WHERE a.x = b.y` becomes an inner equi-join). Nothing
/// crosses a Limit, a top-k Sort, a scan with a fetch or Values; conjuncts with subqueries,
/// aggregates or volatile functions stay where they are. Consecutive filters merge. Honours
/// `optimizer.filter_pushdown`. Conjuncts shared by every branch of an OR are taken out of it
/// first (`(x AND a) OR (x AND b)` -> `x AND (a OR b)`).
class PredicatePushdown : public OptimizerRule {
 public:
  /// Returns "predicate_pushdown".
  std::string name() const override;
  /// Returns the plan with its filters pushed down.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
