#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>
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
};

/// Returns the built-in or registered scalar function `name` (lower case), or null.
const ScalarFunctionDef* find_scalar_function(std::string_view name);

/// Returns the names of every scalar function (for "did you mean").
std::vector<std::string> scalar_function_names();

/// Registers a user scalar function process-wide; fails if the name is taken.
arrow::Status register_scalar_function(ScalarFunctionDef def);

}  // namespace quiver::functions
