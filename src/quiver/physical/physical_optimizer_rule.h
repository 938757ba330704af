#pragma once

#include <arrow/result.h>

#include <string>

#include "quiver/common/config.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::physical {

/// A rewrite of a physical plan, run after the physical planner (built-in rules first, then the
/// user's, in registration order). The partial-reduction-tree example places network boundaries
/// through such a rule.
class PhysicalOptimizerRule {
 public:
  virtual ~PhysicalOptimizerRule() = default;
  /// Returns the rule's name, shown in errors.
  virtual std::string name() const = 0;
  /// Returns the rewritten plan (or `plan` itself when nothing applies).
  virtual arrow::Result<ExecutionPlanPtr> optimize(ExecutionPlanPtr plan,
                                                   const common::ConfigOptions& options) const = 0;
};

}  // namespace quiver::physical
