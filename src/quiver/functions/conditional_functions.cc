// Conditional functions: coalesce (and nvl/ifnull), nullif, greatest, least. Arguments are
// brought to their common type first.

#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"

namespace quiver::functions {

namespace {

using arrow::Datum;
using arrow::compute::CallFunction;

arrow::Result<std::vector<Datum>> cast_all(const std::vector<Datum>& args,
                                           const std::shared_ptr<arrow::DataType>& type) {
  std::vector<Datum> out;
  out.reserve(args.size());
  for (const auto& a : args) {
    ARROW_ASSIGN_OR_RAISE(Datum d, cast_arg(a, type));
    out.push_back(std::move(d));
  }
  return out;
}

arrow::Result<std::shared_ptr<arrow::DataType>> args_common_type(std::string_view name,
                                                                 const std::vector<Datum>& args) {
  DataTypeVector types;
  for (const auto& a : args) types.push_back(a.type());
  return common_type(name, types);
}

// A variadic function over arguments of one common type, run by an Arrow kernel.
ScalarFunctionDef variadic_function(std::string name, size_t min_args, size_t max_args,
                                    std::string expected, std::string kernel,
                                    std::shared_ptr<arrow::compute::FunctionOptions> options) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name, min_args, max_args,
       expected](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity(name, types, min_args, max_args, expected));
    return common_type(name, types);
  };
  def.invoke = [name, kernel, options](const std::vector<Datum>& args,
                                       int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto type, args_common_type(name, args));
    if (type->id() == arrow::Type::NA) return null_result(type, all_scalar(args), num_rows);
    ARROW_ASSIGN_OR_RAISE(auto cast, cast_all(args, type));
    return CallFunction(kernel, cast, options.get());
  };
  return def;
}

// nullif(a, b): NULL when a = b, else a.
ScalarFunctionDef nullif_function() {
  ScalarFunctionDef def;
  def.name = "nullif";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity("nullif", types, 2, 2, "two comparable values"));
    return common_type("nullif", types);
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto type, args_common_type("nullif", args));
    if (type->id() == arrow::Type::NA) return null_result(type, all_scalar(args), num_rows);
    ARROW_ASSIGN_OR_RAISE(auto cast, cast_all(args, type));
    ARROW_ASSIGN_OR_RAISE(Datum same, CallFunction("equal", {cast[0], cast[1]}));
    ARROW_ASSIGN_OR_RAISE(same, CallFunction("coalesce", {same, Datum(false)}));
    return CallFunction("if_else", {same, Datum(arrow::MakeNullScalar(type)), cast[0]});
  };
  return def;
}

}  // namespace

std::vector<ScalarFunctionDef> conditional_functions() {
  auto skip_nulls = std::make_shared<arrow::compute::ElementWiseAggregateOptions>(true);
  std::vector<ScalarFunctionDef> out;
  out.push_back(
      variadic_function("coalesce", 1, SIZE_MAX, "at least one argument", "coalesce", nullptr));
  out.push_back(variadic_function("nvl", 2, 2, "two arguments", "coalesce", nullptr));
  out.push_back(variadic_function("ifnull", 2, 2, "two arguments", "coalesce", nullptr));
  // greatest/least ignore NULLs, as in PostgreSQL.
  out.push_back(variadic_function("greatest", 1, SIZE_MAX, "at least one argument",
                                  "max_element_wise", skip_nulls));
  out.push_back(variadic_function("least", 1, SIZE_MAX, "at least one argument", "min_element_wise",
                                  skip_nulls));
  out.push_back(nullif_function());
  return out;
}

}  // namespace quiver::functions
