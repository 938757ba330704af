#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/scalar.h>

#include <memory>

#include "quiver/physical/plan_properties.h"

namespace quiver::exec {

/// Keeps the rows of `batch` that could still enter a top-k whose current worst row has the
/// first sort key value `threshold`: rows strictly worse on the first key are dropped, ties and
/// anything uncertain (NaN) are kept, so the final sort still decides the exact order. Nulls
/// follow the key's null placement.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> filter_topk_candidates(
    const std::shared_ptr<arrow::RecordBatch>& batch, const physical::PhysicalSortExpr& first_key,
    const std::shared_ptr<arrow::Scalar>& threshold);

}  // namespace quiver::exec
