#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>

#include "quiver/physical/plan_properties.h"

namespace quiver::exec {

/// Returns the rows of `batch` sorted by `ordering` (stable; each key with its direction and
/// null placement), keeping only the first `limit` rows when a limit is given. Uses Arrow's
/// `SortIndices` over the evaluated keys and `Take`.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> sort_batch(
    const std::shared_ptr<arrow::RecordBatch>& batch, const physical::LexOrdering& ordering,
    std::optional<int64_t> limit = std::nullopt);

}  // namespace quiver::exec
