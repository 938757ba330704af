#include "quiver/physical/expr/not_expr.h"

#include <arrow/compute/api.h>

#include "quiver/physical/expr/compute_dispatch.h"

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> NotExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(auto type, arg_->data_type(input_schema));
  if (type->id() != arrow::Type::BOOL && !is_null_type(type)) {
    return arrow::Status::Invalid("NOT expects a Boolean argument, got ", type->ToString(), " in ",
                                  to_string());
  }
  return arrow::boolean();
}

arrow::Result<bool> NotExpr::nullable(const arrow::Schema& input_schema) const {
  return arg_->nullable(input_schema);
}

arrow::Result<arrow::Datum> NotExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg_->evaluate(batch));
  ARROW_ASSIGN_OR_RAISE(value, cast_to(value, arrow::boolean()));
  return arrow::compute::CallFunction("invert", {value});
}

arrow::Result<PhysicalExprPtr> NotExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != 1) {
    return arrow::Status::UnknownError("NotExpr takes 1 child, got ", children.size());
  }
  return make_not(std::move(children[0]));
}

std::string NotExpr::to_string() const { return "NOT " + arg_->to_string(); }

PhysicalExprPtr make_not(PhysicalExprPtr arg) { return std::make_shared<NotExpr>(std::move(arg)); }

}  // namespace quiver::physical
