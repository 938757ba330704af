#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Moves LIMIT toward the scans. A Limit over a Projection or SubqueryAlias moves below it; a
/// Limit over a Sort becomes the Sort's fetch (top-k of skip + fetch rows; the Limit stays only
/// when it skips rows); a Limit directly over a TableScan sets the scan's `scan_fetch` and stays;
/// a Limit over a Union puts a limit of skip + fetch rows over every input and stays; two
/// Limits in a row merge. Over a Left (Right) join a limit of skip + fetch rows goes onto the
/// left (right) input, over a cross join onto both, and the Limit stays; inner, full, semi and
/// anti joins, filters and aggregates stop it. Honours `optimizer.limit_pushdown`.
class LimitPushdown : public OptimizerRule {
 public:
  /// Returns "limit_pushdown".
  std::string name() const override;
  /// Returns the plan with its limits pushed down.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
