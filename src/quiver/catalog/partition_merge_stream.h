#pragma once

#include <arrow/result.h>

#include <memory>

#include "quiver/physical/execution_plan.h"

namespace quiver::catalog {

/// Returns one stream over every partition of `plan`: each partition runs on its own thread
/// and batches are returned in arrival order. A plan with one partition is returned as is.
///
/// Memory stays bounded: producers wait when a small queue is full. Destroying the stream
/// early cancels `context` and joins the producers. The first error of any partition ends the
/// stream with that error.
arrow::Result<physical::RecordBatchStreamPtr> merge_partitions(
    const physical::ExecutionPlanPtr& plan, const std::shared_ptr<physical::TaskContext>& context);

}  // namespace quiver::catalog
