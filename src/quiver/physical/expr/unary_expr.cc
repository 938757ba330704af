#include "quiver/physical/expr/unary_expr.h"

namespace quiver::physical {

arrow::Result<PhysicalExprPtr> UnaryExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != 1) {
    return arrow::Status::UnknownError(to_string(), " takes 1 child, got ", children.size());
  }
  return with_arg(std::move(children[0]));
}

}  // namespace quiver::physical
