#pragma once

#include <arrow/result.h>

#include <cstdint>

#include "quiver/physical/execution_plan.h"

/// Broadcasting small build sides instead of shuffling both join inputs.
namespace quiver::distributed {

/// Returns `plan` with every partitioned hash join whose build (left) side is small turned into
/// a collect-left join over the two inputs without their hash repartitions. The distributed
/// planner then broadcasts the build side to every task of the join's stage, and the probe side
/// (often the large table) is joined where it is scanned instead of crossing the network.
///
/// A join is turned when:
/// - it is Inner, Right, RightSemi or RightAnti (a collect-left join emits no unmatched build
///   rows for these, so several tasks stay correct) and not null-aware;
/// - both inputs are hash RepartitionExecs and every leaf under the build side is a file scan,
///   the files adding up to at most `max_build_bytes` (the whole files: an upper bound of what
///   the side holds);
/// - nothing above it relies on its output's hash partitioning: the path up to the next
///   repartition or gather goes through projections, filters, partial aggregates and the probe
///   side of collect-left joins only.
arrow::Result<physical::ExecutionPlanPtr> broadcast_small_builds(
    const physical::ExecutionPlanPtr& plan, int64_t max_build_bytes);

}  // namespace quiver::distributed
