#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Reads only the columns a query uses. Walking top-down, each node works out which columns it
/// needs from its input (its own expressions plus what its parent needs from it); unused
/// projection and aggregate outputs are dropped, each TableScan's `projection` becomes the
/// needed columns (indices into the provider's schema, in schema order), and the nodes above are
/// rebuilt over the narrower schemas. A scan also keeps the columns its pushed-down
/// `scan_filters` use, so a provider never applies a filter to a column it does not read.
/// Projections that end up selecting their input unchanged are removed. A scan nothing needs
/// (`SELECT count(*) FROM t`) reads zero columns when the provider supports it, else its cheapest
/// single column. Each join input yields exactly what is needed above from its side plus the
/// columns its keys and filter read (a semi / anti join's right input only the latter): a
/// projection over the input drops what only the input used (a lower join's keys, a scan
/// filter's columns), so joins above neither carry nor copy it. Union inputs are
/// narrowed alike, so their columns still line up. Expressions holding subqueries keep every input
/// column. The plan's output schema never changes. Honours `optimizer.projection_pushdown`.
class ProjectionPushdown : public OptimizerRule {
 public:
  /// Returns "projection_pushdown".
  std::string name() const override;
  /// Returns the plan with its scans narrowed.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
