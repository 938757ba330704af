#pragma once

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace quiver::exec {

/// Row indices into the left and right inputs of a join, one entry per output row (UInt64).
struct JoinIndices {
  std::shared_ptr<arrow::UInt64Array> left;
  std::shared_ptr<arrow::UInt64Array> right;
};

/// Returns the pairs `first_pair .. first_pair + count - 1` of the cross product of a left side
/// and a right side of `right_rows` rows, pair k being (left row k / right_rows, right row
/// k % right_rows). `right_rows` must be positive.
arrow::Result<JoinIndices> cross_product_pairs(int64_t first_pair, int64_t count,
                                               int64_t right_rows);

/// Returns the positions i (UInt64) where `mask` is true (NULL counts as false).
arrow::Result<std::shared_ptr<arrow::UInt64Array>> true_positions(const arrow::BooleanArray& mask);

/// Returns `indices[positions[i]]` for every i.
arrow::Result<std::shared_ptr<arrow::UInt64Array>> pick(const arrow::UInt64Array& indices,
                                                        const arrow::UInt64Array& positions);

/// Builds a batch of `schema` with `rows` rows from the columns of `left` (when not nullptr)
/// followed by those of `right` (when not nullptr), each side taken at its indices, or all NULL
/// when its indices are nullptr (the padding of outer joins). `schema` must have exactly the
/// fields of the sides given, in that order.
arrow::Result<std::shared_ptr<arrow::RecordBatch>> take_join_rows(
    const std::shared_ptr<arrow::Schema>& schema, int64_t rows, const arrow::RecordBatch* left,
    const std::shared_ptr<arrow::UInt64Array>& left_indices, const arrow::RecordBatch* right,
    const std::shared_ptr<arrow::UInt64Array>& right_indices);

}  // namespace quiver::exec
