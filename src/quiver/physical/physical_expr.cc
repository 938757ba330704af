#include "quiver/physical/physical_expr.h"

#include <arrow/array/util.h>

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::Array>> evaluate_to_array(const PhysicalExpr& expr,
                                                               const arrow::RecordBatch& batch) {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, expr.evaluate(batch));
  if (value.is_array()) return value.make_array();
  if (value.is_scalar()) {
    return arrow::MakeArrayFromScalar(*value.scalar(), batch.num_rows());
  }
  if (value.is_chunked_array()) {
    return arrow::Status::UnknownError("expression ", expr.to_string(),
                                       " produced a chunked array");
  }
  return arrow::Status::UnknownError("expression ", expr.to_string(), " produced no value");
}

std::string to_string(const std::vector<PhysicalExprPtr>& exprs) {
  std::string out = "[";
  for (size_t i = 0; i < exprs.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs[i]->to_string();
  }
  return out + "]";
}

}  // namespace quiver::physical
