#pragma once

#include "quiver/physical/expr/unary_expr.h"

namespace quiver::physical {

/// `a@0 IS NULL`: true where the argument is NULL; never NULL itself.
class IsNullExpr : public UnaryExpr {
 public:
  /// Creates the test of `arg`.
  explicit IsNullExpr(PhysicalExprPtr arg) : UnaryExpr(std::move(arg)) {}

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::string to_string() const override;

 protected:
  PhysicalExprPtr with_arg(PhysicalExprPtr arg) const override;
};

/// Returns `arg IS NULL`.
PhysicalExprPtr make_is_null(PhysicalExprPtr arg);

}  // namespace quiver::physical
