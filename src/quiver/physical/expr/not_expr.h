#pragma once

#include "quiver/physical/expr/unary_expr.h"

namespace quiver::physical {

/// `NOT a@0`: Boolean negation; NULL stays NULL.
class NotExpr : public UnaryExpr {
 public:
  /// Creates the negation of `arg`.
  explicit NotExpr(PhysicalExprPtr arg) : UnaryExpr(std::move(arg)) {}

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::string to_string() const override;

 protected:
  PhysicalExprPtr with_arg(PhysicalExprPtr arg) const override;
};

/// Returns `NOT arg`.
PhysicalExprPtr make_not(PhysicalExprPtr arg);

}  // namespace quiver::physical
