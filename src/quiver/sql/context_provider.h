#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/catalog/table_provider.h"
#include "quiver/common/config.h"

namespace quiver::sql {

/// What the binder may ask the session while planning: tables, table functions, options.
class ContextProvider {
 public:
  virtual ~ContextProvider() = default;
  /// Returns the table (or view) registered under `name`, or a user error with a "did you mean".
  virtual arrow::Result<std::shared_ptr<catalog::TableProvider>> get_table(
      const std::string& name) const = 0;
  /// Calls the table function `name` with constant arguments.
  virtual arrow::Result<std::shared_ptr<catalog::TableProvider>> call_table_function(
      const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>& args) const = 0;
  /// Calls the table function `name` with constant positional and named arguments; by default
  /// only functions called without named arguments are supported.
  virtual arrow::Result<std::shared_ptr<catalog::TableProvider>> call_table_function_named(
      const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>& args,
      const std::vector<catalog::NamedArgument>& named) const {
    if (!named.empty()) {
      return arrow::Status::Invalid("table function '", name, "' takes no named arguments (got '",
                                    named.front().name, " => ...')");
    }
    return call_table_function(name, args);
  }
  /// Returns the session options.
  virtual const common::ConfigOptions& options() const = 0;
};

}  // namespace quiver::sql
