#pragma once

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// `NOT a@0`: Boolean negation; NULL stays NULL.
class NotExpr : public PhysicalExpr {
 public:
  /// Creates the negation of `arg`.
  explicit NotExpr(PhysicalExprPtr arg) : arg_(std::move(arg)) {}

  /// Returns the negated expression.
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

/// Returns `NOT arg`.
PhysicalExprPtr make_not(PhysicalExprPtr arg);

}  // namespace quiver::physical
