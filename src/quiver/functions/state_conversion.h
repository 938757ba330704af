#pragma once

#include <arrow/array.h>
#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>
#include <vector>

/// Helpers for GroupsAccumulator::convert_to_state: building one partial state row per input row.
namespace quiver::functions {

/// Returns an Int64 column with 1 where every one of `values` is non-NULL and 0 elsewhere
/// (`length` rows; a count's state for one row).
arrow::Result<std::shared_ptr<arrow::Array>> valid_row_counts(
    const std::vector<std::shared_ptr<arrow::Array>>& values, int64_t length);

/// Returns `value` as a column of `type`: unchanged when the types are equal, relabelled (no copy)
/// for a Decimal128 of the same scale, all NULL for untyped NULLs, cast otherwise.
arrow::Result<std::shared_ptr<arrow::Array>> as_state_column(
    const std::shared_ptr<arrow::Array>& value, const std::shared_ptr<arrow::DataType>& type);

}  // namespace quiver::functions
