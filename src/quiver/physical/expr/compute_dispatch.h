#pragma once

#include <arrow/compute/api.h>
#include <arrow/datum.h>
#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>
#include <string>
#include <vector>

/// How physical expressions find the result type of an Arrow compute function before running it,
/// and how they bring their operands to the types a kernel accepts.
namespace quiver::physical {

/// Returns the output type Arrow's kernel `function` gives for `arg_types`, after the implicit
/// casts Arrow itself applies (e.g. Int32 + Int64 -> Int64, decimal precision rules).
arrow::Result<std::shared_ptr<arrow::DataType>> resolve_output_type(
    const std::string& function, const std::vector<std::shared_ptr<arrow::DataType>>& arg_types);

/// Returns the types Arrow's `function` would cast `arg_types` to before running.
arrow::Result<std::vector<std::shared_ptr<arrow::DataType>>> resolve_input_types(
    const std::string& function, const std::vector<std::shared_ptr<arrow::DataType>>& arg_types);

/// Returns `value` cast to `type` (unchanged when it already has that type).
arrow::Result<arrow::Datum> cast_to(const arrow::Datum& value,
                                    const std::shared_ptr<arrow::DataType>& type);

/// Returns true for the Null type (an untyped NULL literal).
inline bool is_null_type(const std::shared_ptr<arrow::DataType>& type) {
  return type->id() == arrow::Type::NA;
}

/// Returns true for Utf8, LargeUtf8 and Utf8View.
bool is_string_type(const arrow::DataType& type);

/// Returns a Boolean array of `length` that is true where `value` is true (null counts as
/// false); scalars are broadcast.
arrow::Result<std::shared_ptr<arrow::BooleanArray>> true_mask(const arrow::Datum& value,
                                                              int64_t length);

}  // namespace quiver::physical
