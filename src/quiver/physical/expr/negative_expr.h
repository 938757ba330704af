#pragma once

#include "quiver/physical/expr/unary_expr.h"

namespace quiver::physical {

/// `(- a@0)`: arithmetic negation; negating the smallest integer is an overflow error.
class NegativeExpr : public UnaryExpr {
 public:
  /// Creates the negation of `arg`.
  explicit NegativeExpr(PhysicalExprPtr arg) : UnaryExpr(std::move(arg)) {}

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::string to_string() const override;

 protected:
  PhysicalExprPtr with_arg(PhysicalExprPtr arg) const override;
};

/// Returns `-arg`.
PhysicalExprPtr make_negative(PhysicalExprPtr arg);

}  // namespace quiver::physical
