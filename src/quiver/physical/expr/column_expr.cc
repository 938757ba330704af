#include "quiver/physical/expr/column_expr.h"

namespace quiver::physical {

namespace {

arrow::Status check_index(const std::string& name, int index, int num_fields) {
  if (index < 0 || index >= num_fields) {
    return arrow::Status::UnknownError("column ", name, "@", index,
                                       " is out of range for an input of ", num_fields, " columns");
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> ColumnExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_RETURN_NOT_OK(check_index(name_, index_, input_schema.num_fields()));
  return input_schema.field(index_)->type();
}

arrow::Result<bool> ColumnExpr::nullable(const arrow::Schema& input_schema) const {
  ARROW_RETURN_NOT_OK(check_index(name_, index_, input_schema.num_fields()));
  return input_schema.field(index_)->nullable();
}

arrow::Result<arrow::Datum> ColumnExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_RETURN_NOT_OK(check_index(name_, index_, batch.num_columns()));
  return arrow::Datum(batch.column(index_));
}

arrow::Result<PhysicalExprPtr> ColumnExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (!children.empty()) {
    return arrow::Status::UnknownError("ColumnExpr takes no children, got ", children.size());
  }
  return make_column(name_, index_);
}

std::string ColumnExpr::to_string() const { return name_ + "@" + std::to_string(index_); }

PhysicalExprPtr make_column(std::string name, int index) {
  return std::make_shared<ColumnExpr>(std::move(name), index);
}

}  // namespace quiver::physical
