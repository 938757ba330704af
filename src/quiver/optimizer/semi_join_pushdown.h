#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Moves a semi or anti join (`IN`, `EXISTS`, `NOT IN`, `NOT EXISTS` after decorrelation) below
/// the inner joins under it, onto the input whose columns it reads, when its subquery side is
/// estimated smaller than that input (cardinality.h). A semi / anti join keeps or drops each
/// row of its left input by that row's own values, and an inner join neither adds nor changes
/// columns of its inputs, so filtering an input before the inner join gives the same rows as
/// filtering after it. TPC-H q18's `o_orderkey IN (57 order keys)` then filters orders before
/// they meet customer and lineitem, instead of filtering 6M joined rows. Applied repeatedly, so
/// the semi join sinks through a chain of inner joins as far as its columns allow. Runs before
/// join reordering, which then sees the filtered input. Honours `optimizer.join_reordering`
/// (the semi join stays where it is written when reordering is off).
class SemiJoinPushdown : public OptimizerRule {
 public:
  /// Returns "semi_join_pushdown".
  std::string name() const override;
  /// Returns the plan with its semi and anti joins moved down.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
