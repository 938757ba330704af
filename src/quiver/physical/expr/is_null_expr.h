#pragma once

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// `a@0 IS NULL`: true where the argument is NULL; never NULL itself.
class IsNullExpr : public PhysicalExpr {
 public:
  /// Creates the test of `arg`.
  explicit IsNullExpr(PhysicalExprPtr arg) : arg_(std::move(arg)) {}

  /// Returns the tested expression.
  const PhysicalExprPtr& arg() const { return arg_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return {arg_}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  PhysicalExprPtr arg_;
};

/// Returns `arg IS NULL`.
PhysicalExprPtr make_is_null(PhysicalExprPtr arg);

}  // namespace quiver::physical
