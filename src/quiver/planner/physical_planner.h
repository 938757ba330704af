#pragma once

#include <arrow/result.h>

#include "quiver/common/config.h"
#include "quiver/logical/logical_plan.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::planner {

/// Turns an optimized logical plan into an ExecutionPlan, choosing partitioning the way
/// DataFusion does: scans split into file groups, round-robin repartition to
/// `target_partitions` before parallel work, two-phase aggregation with a hash repartition
/// between Partial and FinalPartitioned, sorts per partition merged by SortPreservingMergeExec,
/// limits as LocalLimit per partition then GlobalLimit. For
/// `SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number` it gives:
///
///     SortPreservingMergeExec: [number@0 ASC NULLS LAST]
///       SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]
///         AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]
///           RepartitionExec: partitioning=Hash([number@0], 16), input_partitions=16
///             AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]
///               RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1
///                 NumbersExec: t0:[0-10)
arrow::Result<physical::ExecutionPlanPtr> create_physical_plan(
    const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options);

}  // namespace quiver::planner
