#pragma once

#include "quiver/logical/expr.h"
#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// `left op right`: arithmetic (checked: integer overflow and division by zero are user
/// errors), `%`, comparisons, AND/OR with SQL three-valued logic, `||` (NULL if either side is
/// NULL; non-string operands are cast to text), IS [NOT] DISTINCT FROM, and date/timestamp
/// plus or minus an interval. Displayed as `a@0 + Int64(1)`, with parentheses only where
/// precedence needs them.
class BinaryExpr : public PhysicalExpr {
 public:
  /// Creates `left op right`.
  BinaryExpr(PhysicalExprPtr left, logical::BinaryOp op, PhysicalExprPtr right)
      : left_(std::move(left)), op_(op), right_(std::move(right)) {}

  /// Returns the left operand.
  const PhysicalExprPtr& left() const { return left_; }
  /// Returns the operator.
  logical::BinaryOp op() const { return op_; }
  /// Returns the right operand.
  const PhysicalExprPtr& right() const { return right_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return {left_, right_}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  arrow::Result<arrow::Datum> evaluate_arithmetic(arrow::Datum left, arrow::Datum right,
                                                  int64_t length) const;

  PhysicalExprPtr left_;
  logical::BinaryOp op_;
  PhysicalExprPtr right_;
};

/// Returns `left op right`.
PhysicalExprPtr make_binary(PhysicalExprPtr left, logical::BinaryOp op, PhysicalExprPtr right);

}  // namespace quiver::physical
