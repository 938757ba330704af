#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/scalar_function.h"

namespace quiver::functions {

namespace {

// The process-wide scalar function table. Definitions are never removed, so the pointers
// handed out stay valid for the life of the process.
class ScalarFunctionRegistry {
 public:
  ScalarFunctionRegistry() {
    for (auto family : {string_functions, string_slice_functions, math_functions,
                        conditional_functions, datetime_functions, struct_functions}) {
      for (auto& def : family()) {
        std::string name = def.name;
        functions_.emplace(std::move(name), std::make_unique<ScalarFunctionDef>(std::move(def)));
      }
    }
    ScalarFunctionDef single_row = single_row_value_function();
    std::string name = single_row.name;
    functions_.emplace(std::move(name), std::make_unique<ScalarFunctionDef>(std::move(single_row)));
  }

  const ScalarFunctionDef* find(std::string_view name) const {
    std::shared_lock lock(mutex_);
    auto it = functions_.find(name);
    return it == functions_.end() ? nullptr : it->second.get();
  }

  std::vector<std::string> names() const {
    std::shared_lock lock(mutex_);
    std::vector<std::string> out;
    out.reserve(functions_.size());
    for (const auto& [name, def] : functions_) out.push_back(name);
    return out;
  }

  arrow::Status add(ScalarFunctionDef def) {
    if (def.name.empty() || !def.return_type || !def.invoke) {
      return arrow::Status::Invalid("a scalar function needs a name, return_type and invoke");
    }
    std::string name = def.name;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    def.name = name;
    std::unique_lock lock(mutex_);
    if (functions_.count(name) > 0) {
      return arrow::Status::Invalid("function ", name, " is already registered");
    }
    functions_.emplace(std::move(name), std::make_unique<ScalarFunctionDef>(std::move(def)));
    return arrow::Status::OK();
  }

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<ScalarFunctionDef>, std::less<>> functions_;
};

ScalarFunctionRegistry& registry() {
  static ScalarFunctionRegistry instance;
  return instance;
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> resolve_return_type(
    const ScalarFunctionDef& def, const DataTypeVector& arg_types,
    const std::vector<std::shared_ptr<arrow::Scalar>>& constants) {
  if (def.return_type_with_constants) return def.return_type_with_constants(arg_types, constants);
  return def.return_type(arg_types);
}

const ScalarFunctionDef* find_scalar_function(std::string_view name) {
  return registry().find(name);
}

std::vector<std::string> scalar_function_names() { return registry().names(); }

arrow::Status register_scalar_function(ScalarFunctionDef def) {
  return registry().add(std::move(def));
}

}  // namespace quiver::functions
