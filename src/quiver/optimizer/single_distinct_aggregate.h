#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Turns an aggregation whose aggregates are all DISTINCT over one same argument into two
/// groupings (DataFusion's single_distinct_to_groupby): `SELECT g, count(DISTINCT x) ... GROUP
/// BY g` becomes `count(x')` grouped by g over the distinct (g, x') rows that an inner
/// aggregation grouped by g and x (as x') gives. Each level is an ordinary hash aggregation (two
/// phases, partial states of a few integers) instead of one whose groups each hold a set of the
/// values seen (TPC-H q16: `count(DISTINCT ps_suppkey)` per brand, type and size).
///
/// Applies to count, sum, min, max and avg with DISTINCT, no FILTER clause, one argument the
/// same for all of them; the aggregation's output (names, qualifiers, types, nullability) is
/// unchanged, else the node is left as it is. count ignores the NULL the inner grouping keeps as
/// one of x's values, as count(DISTINCT x) does; the others ignore NULLs too. Honours
/// `optimizer.single_distinct_to_group_by`.
class SingleDistinctAggregate : public OptimizerRule {
 public:
  /// Returns "single_distinct_aggregate".
  std::string name() const override;
  /// Returns the plan with such aggregations split in two.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
