#include "quiver/functions/signature.h"

#include <arrow/array/util.h>
#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include <optional>

#include "quiver/logical/expr.h"
#include "quiver/physical/expr/compute_dispatch.h"

namespace quiver::functions {

std::string call_signature(std::string_view name, const DataTypeVector& types) {
  std::string out(name);
  out += "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i > 0) out += ", ";
    out += logical::type_display_name(*types[i]);
  }
  return out + ")";
}

arrow::Status unsupported_call(std::string_view name, const DataTypeVector& types,
                               std::string_view expected) {
  return arrow::Status::Invalid(call_signature(name, types), " is not supported: ", name,
                                " expects ", expected);
}

arrow::Status check_arity(std::string_view name, const DataTypeVector& types, size_t min_args,
                          size_t max_args, std::string_view expected) {
  if (types.size() < min_args || types.size() > max_args) {
    return unsupported_call(name, types, expected);
  }
  return arrow::Status::OK();
}

bool fits_text(const arrow::DataType& type) {
  return type.id() == arrow::Type::NA || physical::is_string_type(type);
}

bool fits_integer(const arrow::DataType& type) {
  return type.id() == arrow::Type::NA || arrow::is_integer(type.id());
}

bool fits_numeric(const arrow::DataType& type) {
  return type.id() == arrow::Type::NA || arrow::is_integer(type.id()) ||
         arrow::is_floating(type.id()) || arrow::is_decimal(type.id());
}

bool fits_datetime(const arrow::DataType& type) {
  return type.id() == arrow::Type::NA || type.id() == arrow::Type::DATE32 ||
         type.id() == arrow::Type::DATE64 || type.id() == arrow::Type::TIMESTAMP;
}

std::shared_ptr<arrow::DataType> text_type(const arrow::DataType& type) {
  return type.id() == arrow::Type::LARGE_STRING ? arrow::large_utf8() : arrow::utf8();
}

arrow::Result<std::shared_ptr<arrow::DataType>> common_type(std::string_view name,
                                                            const DataTypeVector& types) {
  DataTypeVector typed;
  for (const auto& t : types) {
    if (t->id() != arrow::Type::NA) typed.push_back(t);
  }
  if (typed.empty()) return arrow::null();
  bool all_same = true;
  for (const auto& t : typed) all_same = all_same && t->Equals(*typed[0]);
  if (all_same) return typed[0];
  auto resolved = physical::resolve_input_types("coalesce", typed);
  if (!resolved.ok()) {
    return unsupported_call(name, types, "arguments of one common type");
  }
  for (const auto& t : *resolved) {
    if (!t->Equals(*(*resolved)[0])) {
      return unsupported_call(name, types, "arguments of one common type");
    }
  }
  return (*resolved)[0];
}

arrow::Result<arrow::Datum> cast_arg(const arrow::Datum& value,
                                     const std::shared_ptr<arrow::DataType>& type) {
  return physical::cast_to(value, type);
}

arrow::Result<std::optional<std::string>> constant_text(std::string_view name,
                                                        std::string_view what,
                                                        const arrow::Datum& value) {
  if (!value.is_scalar()) {
    return arrow::Status::NotImplemented(name, " with a ", what,
                                         " that varies per row is not supported");
  }
  const auto& scalar = *value.scalar();
  if (!scalar.is_valid) return std::nullopt;
  if (!physical::is_string_type(*scalar.type)) {
    return arrow::Status::Invalid(name, " expects a string ", what, ", got ",
                                  logical::type_display_name(*scalar.type));
  }
  return std::string(static_cast<const arrow::BaseBinaryScalar&>(scalar).view());
}

arrow::Result<std::optional<int64_t>> constant_integer(std::string_view name, std::string_view what,
                                                       const arrow::Datum& value) {
  if (!value.is_scalar()) {
    return arrow::Status::NotImplemented(name, " with a ", what,
                                         " that varies per row is not supported");
  }
  if (!value.scalar()->is_valid) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(arrow::Datum cast, cast_arg(value, arrow::int64()));
  return static_cast<const arrow::Int64Scalar&>(*cast.scalar()).value;
}

arrow::Result<arrow::Datum> null_result(const std::shared_ptr<arrow::DataType>& type, bool scalar,
                                        int64_t num_rows) {
  if (scalar) return arrow::Datum(arrow::MakeNullScalar(type));
  ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(type, num_rows));
  return arrow::Datum(nulls);
}

bool all_scalar(const std::vector<arrow::Datum>& args) {
  for (const auto& a : args) {
    if (!a.is_scalar()) return false;
  }
  return true;
}

}  // namespace quiver::functions
