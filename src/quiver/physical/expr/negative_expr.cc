#include "quiver/physical/expr/negative_expr.h"

#include <arrow/compute/api.h>

#include "quiver/physical/expr/compute_dispatch.h"

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> NegativeExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(auto type, arg()->data_type(input_schema));
  if (is_null_type(type)) return type;
  auto out = resolve_output_type("negate_checked", {type});
  if (!out.ok()) {
    return arrow::Status::Invalid("cannot negate ", type->ToString(), " in ", to_string());
  }
  return out;
}

arrow::Result<bool> NegativeExpr::nullable(const arrow::Schema& input_schema) const {
  return arg()->nullable(input_schema);
}

arrow::Result<arrow::Datum> NegativeExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg()->evaluate(batch));
  if (is_null_type(value.type())) return value;
  auto result = arrow::compute::CallFunction("negate_checked", {value});
  if (!result.ok() && result.status().IsInvalid() &&
      result.status().message().find("overflow") != std::string::npos) {
    return arrow::Status::Invalid("integer overflow in ", to_string());
  }
  return result;
}

PhysicalExprPtr NegativeExpr::with_arg(PhysicalExprPtr arg) const {
  return make_negative(std::move(arg));
}

std::string NegativeExpr::to_string() const { return "(- " + arg()->to_string() + ")"; }

PhysicalExprPtr make_negative(PhysicalExprPtr arg) {
  return std::make_shared<NegativeExpr>(std::move(arg));
}

}  // namespace quiver::physical
