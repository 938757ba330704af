#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>
#include <arrow/status.h>
#include <arrow/type.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/functions/scalar_function.h"

/// Argument checking shared by the built-in functions: arity, type families, the user error that
/// names the call and the expected signature, and the casts that bring arguments to the types
/// a kernel takes. An untyped NULL argument (Arrow's Null type) fits every family.
namespace quiver::functions {

/// Renders a call's signature for messages: `upper(Int64, Utf8)`.
std::string call_signature(std::string_view name, const DataTypeVector& types);

/// Returns the user error for a call whose arguments do not fit, e.g.
/// `upper(Int64) is not supported: upper expects a string`.
arrow::Status unsupported_call(std::string_view name, const DataTypeVector& types,
                               std::string_view expected);

/// Checks that the call has between `min_args` and `max_args` arguments.
arrow::Status check_arity(std::string_view name, const DataTypeVector& types, size_t min_args,
                          size_t max_args, std::string_view expected);

/// Returns true for Utf8, LargeUtf8, Utf8View or Null.
bool fits_text(const arrow::DataType& type);
/// Returns true for signed or unsigned integers or Null.
bool fits_integer(const arrow::DataType& type);
/// Returns true for integers, floating point, decimals or Null.
bool fits_numeric(const arrow::DataType& type);
/// Returns true for Date32, Date64, Timestamp or Null.
bool fits_datetime(const arrow::DataType& type);

/// Returns the string type a text argument is processed as: LargeUtf8 stays, the rest is Utf8.
std::shared_ptr<arrow::DataType> text_type(const arrow::DataType& type);

/// Returns the one type every argument can be cast to (NULLs ignored; Null when all are NULL),
/// following Arrow's implicit casts (Int32 and Int64 -> Int64, Int64 and Float64 -> Float64);
/// a user error naming the call when there is none.
arrow::Result<std::shared_ptr<arrow::DataType>> common_type(std::string_view name,
                                                            const DataTypeVector& types);

/// Returns `value` cast to `type` (no-op when it already has it).
arrow::Result<arrow::Datum> cast_arg(const arrow::Datum& value,
                                     const std::shared_ptr<arrow::DataType>& type);

/// Returns the text of a scalar string argument, or nullopt for NULL; a user error naming the
/// function when the argument varies per row (the kernel needs one value).
arrow::Result<std::optional<std::string>> constant_text(std::string_view name,
                                                        std::string_view what,
                                                        const arrow::Datum& value);

/// Returns the value of a scalar integer argument, or nullopt for NULL; NotImplemented when the
/// argument varies per row.
arrow::Result<std::optional<int64_t>> constant_integer(std::string_view name, std::string_view what,
                                                       const arrow::Datum& value);

/// Returns a NULL of `type`: a scalar when `scalar`, otherwise an array of `num_rows`.
arrow::Result<arrow::Datum> null_result(const std::shared_ptr<arrow::DataType>& type, bool scalar,
                                        int64_t num_rows);

/// Returns true when every argument is a scalar (the result is then a scalar).
bool all_scalar(const std::vector<arrow::Datum>& args);

}  // namespace quiver::functions
