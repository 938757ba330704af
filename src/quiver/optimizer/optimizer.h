#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/common/config.h"
#include "quiver/logical/logical_plan.h"

namespace quiver::optimizer {

/// A logical rewrite. Each rule lives in its own file and is run in order by `optimize`.
class OptimizerRule {
 public:
  virtual ~OptimizerRule() = default;
  /// Returns the rule's name (shown by EXPLAIN VERBOSE).
  virtual std::string name() const = 0;
  /// Returns the rewritten plan; rules must keep the plan's output schema.
  virtual arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const = 0;
};

/// Returns the built-in rules in the order they run: subquery decorrelation, constant folding,
/// predicate pushdown, equi-join key extraction, semi-join pushdown, join reordering, limit
/// pushdown, common subexpression elimination, projection pushdown.
std::vector<std::unique_ptr<OptimizerRule>> default_rules();

/// Runs every rule once, in order.
arrow::Result<logical::LogicalPlanPtr> optimize(const logical::LogicalPlanPtr& plan,
                                                const common::ConfigOptions& options);

}  // namespace quiver::optimizer
