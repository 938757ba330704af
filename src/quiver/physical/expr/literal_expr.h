#pragma once

#include <arrow/scalar.h>

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// A constant, displayed the DataFusion way (`Int64(1)`, `Utf8("x")`, `NULL`). Evaluates to a
/// scalar; callers that need an array broadcast it (see evaluate_to_array).
class LiteralExpr : public PhysicalExpr {
 public:
  /// Creates a literal holding `value` (a typed null scalar for NULL).
  explicit LiteralExpr(std::shared_ptr<arrow::Scalar> value) : value_(std::move(value)) {}

  /// Returns the constant.
  const std::shared_ptr<arrow::Scalar>& value() const { return value_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return {}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  std::shared_ptr<arrow::Scalar> value_;
};

/// Returns a literal holding `value`.
PhysicalExprPtr make_literal(std::shared_ptr<arrow::Scalar> value);

}  // namespace quiver::physical
