#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>
#include <arrow/scalar.h>
#include <arrow/type.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::functions {

using DataTypeVector = std::vector<std::shared_ptr<arrow::DataType>>;

/// A scalar SQL function (upper, length, substr, date_trunc, ...), built on Arrow compute kernels.
/// `return_type` validates the argument types (a user error naming the function when they do not
/// fit); `invoke` evaluates over arrays or scalars of those types. Thread-safe (stateless).
struct ScalarFunctionDef {
  std::string name;  ///< lower case
  std::function<arrow::Result<std::shared_ptr<arrow::DataType>>(const DataTypeVector& arg_types)>
      return_type;
  std::function<arrow::Result<arrow::Datum>(const std::vector<arrow::Datum>& args,
                                            int64_t num_rows)>
      invoke;
  /// Optional: the return type of a function whose type depends on a constant argument
  /// (get_field's field name). `constants[i]` is argument i's value when it is a literal, else
  /// null. When set it is used instead of `return_type`.
  std::function<arrow::Result<std::shared_ptr<arrow::DataType>>(
      const DataTypeVector& arg_types,
      const std::vector<std::shared_ptr<arrow::Scalar>>& constants)>
      return_type_with_constants;
};

/// Returns `def`'s return type for arguments of `arg_types`, of which `constants` are literal
/// (null where not): return_type_with_constants when the function has one, else return_type.
arrow::Result<std::shared_ptr<arrow::DataType>> resolve_return_type(
    const ScalarFunctionDef& def, const DataTypeVector& arg_types,
    const std::vector<std::shared_ptr<arrow::Scalar>>& constants);

/// Returns the built-in or registered scalar function `name` (lower case), or null.
const ScalarFunctionDef* find_scalar_function(std::string_view name);

/// Returns the names of every scalar function (for "did you mean").
std::vector<std::string> scalar_function_names();

/// Registers a user scalar function process-wide; fails if the name is taken.
arrow::Status register_scalar_function(ScalarFunctionDef def);

}  // namespace quiver::functions
