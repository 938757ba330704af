#pragma once

#include <arrow/result.h>

#include <vector>

#include "quiver/exec/aggregate/aggregate_expr.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::exec {

/// Returns the two-phase hash aggregation of `input` by `groups` (at least one): a Partial
/// AggregateExec in each input partition, a RepartitionExec hashing its rows on the group
/// columns into `partitions` partitions, and a FinalPartitioned AggregateExec merging each
/// group's partial states in the one partition the group then lies in.
arrow::Result<physical::ExecutionPlanPtr> two_phase_aggregate(std::vector<GroupExpr> groups,
                                                              std::vector<AggregateExpr> aggregates,
                                                              physical::ExecutionPlanPtr input,
                                                              int partitions);

}  // namespace quiver::exec
