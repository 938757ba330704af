#include "quiver/physical/expr/literal_expr.h"

#include "quiver/logical/expr.h"

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> LiteralExpr::data_type(const arrow::Schema&) const {
  return value_->type;
}

arrow::Result<bool> LiteralExpr::nullable(const arrow::Schema&) const { return !value_->is_valid; }

arrow::Result<arrow::Datum> LiteralExpr::evaluate(const arrow::RecordBatch&) const {
  return arrow::Datum(value_);
}

arrow::Result<PhysicalExprPtr> LiteralExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (!children.empty()) {
    return arrow::Status::UnknownError("LiteralExpr takes no children, got ", children.size());
  }
  return make_literal(value_);
}

std::string LiteralExpr::to_string() const { return logical::literal_to_string(*value_); }

PhysicalExprPtr make_literal(std::shared_ptr<arrow::Scalar> value) {
  return std::make_shared<LiteralExpr>(std::move(value));
}

}  // namespace quiver::physical
