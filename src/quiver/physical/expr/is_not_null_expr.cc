#include "quiver/physical/expr/is_not_null_expr.h"

#include <arrow/compute/api.h>

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> IsNotNullExpr::data_type(
    const arrow::Schema&) const {
  return arrow::boolean();
}

arrow::Result<bool> IsNotNullExpr::nullable(const arrow::Schema&) const { return false; }

arrow::Result<arrow::Datum> IsNotNullExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg()->evaluate(batch));
  return arrow::compute::CallFunction("is_valid", {value});
}

PhysicalExprPtr IsNotNullExpr::with_arg(PhysicalExprPtr arg) const {
  return make_is_not_null(std::move(arg));
}

std::string IsNotNullExpr::to_string() const { return arg()->to_string() + " IS NOT NULL"; }

PhysicalExprPtr make_is_not_null(PhysicalExprPtr arg) {
  return std::make_shared<IsNotNullExpr>(std::move(arg));
}

}  // namespace quiver::physical
