#include "quiver/physical/expr/is_null_expr.h"

#include <arrow/compute/api.h>

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> IsNullExpr::data_type(const arrow::Schema&) const {
  return arrow::boolean();
}

arrow::Result<bool> IsNullExpr::nullable(const arrow::Schema&) const { return false; }

arrow::Result<arrow::Datum> IsNullExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg()->evaluate(batch));
  return arrow::compute::CallFunction("is_null", {value});
}

PhysicalExprPtr IsNullExpr::with_arg(PhysicalExprPtr arg) const {
  return make_is_null(std::move(arg));
}

std::string IsNullExpr::to_string() const { return arg()->to_string() + " IS NULL"; }

PhysicalExprPtr make_is_null(PhysicalExprPtr arg) {
  return std::make_shared<IsNullExpr>(std::move(arg));
}

}  // namespace quiver::physical
