#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <limits>

namespace quiver::exec {

/// An index given to gather_rows that stands for a NULL row (the padding of outer joins).
inline constexpr uint32_t kGatherNullRow = std::numeric_limits<uint32_t>::max();

/// Returns the columns of `batch` at rows `indices` (`count` of them, any order, each less than
/// the batch's length or kGatherNullRow for an all-NULL row). Fixed-width columns of 1, 2, 4, 8
/// or 16 bytes are gathered by a plain loop; the others by Arrow's Take.
arrow::Result<arrow::ArrayVector> gather_rows(const arrow::RecordBatch& batch,
                                              const uint32_t* indices, int64_t count);

}  // namespace quiver::exec
