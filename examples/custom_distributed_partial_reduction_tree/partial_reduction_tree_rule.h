#pragma once

#include <arrow/result.h>

#include <string>

#include "quiver/common/config.h"
#include "quiver/physical/execution_plan.h"
#include "quiver/physical/physical_optimizer_rule.h"

namespace quiver::examples {

/// Rewrites every two-phase aggregation into a progressive partial-reduction tree by placing
/// network boundaries itself, so that the distributed planner only finalises them:
///
///   AggregateExec(Final)          one task, finishes the aggregation
///     CoalescePartitionsExec
///       NetworkCoalesceExec       M -> 1
///         AggregateExec(PartialReduce)   M tasks, merges partial states
///           CoalescePartitionsExec
///             NetworkCoalesceExec N -> M
///               AggregateExec(Partial)   N tasks, one per slice of the scan
///                 (the Partial's original input)
///
/// It matches an AggregateExec in mode Final or FinalPartitioned whose input is a
/// RepartitionExec or CoalescePartitionsExec over an AggregateExec in mode Partial, and reuses
/// the Partial node's group and aggregate expressions. Plans without such a pattern are
/// returned unchanged.
class PartialReductionTreeRule final : public quiver::physical::PhysicalOptimizerRule {
 public:
  /// Returns "partial_reduction_tree".
  std::string name() const override { return "partial_reduction_tree"; }
  /// Returns `plan` with every matched two-phase aggregation rebuilt as a reduction tree.
  arrow::Result<quiver::physical::ExecutionPlanPtr> optimize(
      quiver::physical::ExecutionPlanPtr plan,
      const quiver::common::ConfigOptions& options) const override;
};

}  // namespace quiver::examples
