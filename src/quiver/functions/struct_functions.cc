// Struct functions: get_field(s, 'name'), a struct's field by name (SQL `(s).name`). JSON objects
// read by read_json / read_http_json become structs; this is how SQL reaches inside them.

#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include <string>

#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"

namespace quiver::functions {

namespace {

// Returns the field name `constant` holds, or an error naming what get_field expects.
arrow::Result<std::string> field_name(const std::shared_ptr<arrow::Scalar>& constant) {
  if (constant == nullptr || !constant->is_valid ||
      (constant->type->id() != arrow::Type::STRING &&
       constant->type->id() != arrow::Type::LARGE_STRING)) {
    return arrow::Status::Invalid("get_field: the field name must be a text literal");
  }
  return std::string(static_cast<const arrow::BaseBinaryScalar&>(*constant).view());
}

arrow::Result<int> field_index(const arrow::DataType& type, const std::string& name) {
  const int index = static_cast<const arrow::StructType&>(type).GetFieldIndex(name);
  if (index >= 0) return index;
  std::string fields;
  for (const auto& f : type.fields()) fields += (fields.empty() ? "" : ", ") + f->name();
  return arrow::Status::Invalid("get_field: ", type.ToString(), " has no field '", name,
                                "' (fields: ", fields, ")");
}

ScalarFunctionDef get_field_function() {
  ScalarFunctionDef def;
  def.name = "get_field";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    return unsupported_call("get_field", types, "a struct and a field name literal");
  };
  def.return_type_with_constants = [](const DataTypeVector& types,
                                      const std::vector<std::shared_ptr<arrow::Scalar>>& constants)
      -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    if (types.size() != 2 || types[0]->id() != arrow::Type::STRUCT) {
      return unsupported_call("get_field", types, "a struct and a field name literal");
    }
    ARROW_ASSIGN_OR_RAISE(auto name, field_name(constants.at(1)));
    ARROW_ASSIGN_OR_RAISE(int index, field_index(*types[0], name));
    return types[0]->field(index)->type();
  };
  def.invoke = [](const std::vector<arrow::Datum>& args, int64_t) -> arrow::Result<arrow::Datum> {
    if (!args[1].is_scalar()) {
      return arrow::Status::Invalid("get_field: the field name must be a text literal");
    }
    ARROW_ASSIGN_OR_RAISE(auto name, field_name(args[1].scalar()));
    ARROW_ASSIGN_OR_RAISE(int index, field_index(*args[0].type(), name));
    arrow::compute::StructFieldOptions options({index});
    return arrow::compute::CallFunction("struct_field", {args[0]}, &options);
  };
  return def;
}

}  // namespace

std::vector<ScalarFunctionDef> struct_functions() {
  std::vector<ScalarFunctionDef> out;
  out.push_back(get_field_function());
  return out;
}

}  // namespace quiver::functions
