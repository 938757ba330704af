#pragma once

#include <arrow/result.h>

#include "quiver/physical/execution_plan.h"

namespace quiver::planner {

/// Returns `plan` spread over `partitions` partitions round-robin when it has fewer (as is),
/// for an aggregation or a join probe that should run in every partition. The RepartitionExec
/// goes below the projections and filters at the top of `plan`, so that the expressions they
/// compute per row (a common subexpression hoisted below an aggregation, a filter's predicate)
/// run in every partition too, not in the one partition of a single-file scan.
arrow::Result<physical::ExecutionPlanPtr> spread_round_robin(physical::ExecutionPlanPtr plan,
                                                             int partitions);

}  // namespace quiver::planner
