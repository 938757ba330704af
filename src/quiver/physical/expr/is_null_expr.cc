#include "quiver/physical/expr/is_null_expr.h"

#include <arrow/compute/api.h>

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> IsNullExpr::data_type(const arrow::Schema&) const {
  return arrow::boolean();
}

arrow::Result<bool> IsNullExpr::nullable(const arrow::Schema&) const { return false; }

arrow::Result<arrow::Datum> IsNullExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg_->evaluate(batch));
  return arrow::compute::CallFunction("is_null", {value});
}

arrow::Result<PhysicalExprPtr> IsNullExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != 1) {
    return arrow::Status::UnknownError("IsNullExpr takes 1 child, got ", children.size());
  }
  return make_is_null(std::move(children[0]));
}

std::string IsNullExpr::to_string() const { return arg_->to_string() + " IS NULL"; }

PhysicalExprPtr make_is_null(PhysicalExprPtr arg) {
  return std::make_shared<IsNullExpr>(std::move(arg));
}

}  // namespace quiver::physical
