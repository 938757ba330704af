#include "quiver/physical/expr/not_expr.h"

#include <arrow/compute/api.h>

#include "quiver/physical/expr/compute_dispatch.h"

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> NotExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(auto type, arg()->data_type(input_schema));
  if (type->id() != arrow::Type::BOOL && !is_null_type(type)) {
    return arrow::Status::Invalid("NOT expects a Boolean argument, got ", type->ToString(), " in ",
                                  to_string());
  }
  return arrow::boolean();
}

arrow::Result<bool> NotExpr::nullable(const arrow::Schema& input_schema) const {
  return arg()->nullable(input_schema);
}

arrow::Result<arrow::Datum> NotExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg()->evaluate(batch));
  ARROW_ASSIGN_OR_RAISE(value, cast_to(value, arrow::boolean()));
  return arrow::compute::CallFunction("invert", {value});
}

PhysicalExprPtr NotExpr::with_arg(PhysicalExprPtr arg) const { return make_not(std::move(arg)); }

std::string NotExpr::to_string() const { return "NOT " + arg()->to_string(); }

PhysicalExprPtr make_not(PhysicalExprPtr arg) { return std::make_shared<NotExpr>(std::move(arg)); }

}  // namespace quiver::physical
