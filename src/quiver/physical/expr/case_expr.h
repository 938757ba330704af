#pragma once

#include <utility>
#include <vector>

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// `CASE [operand] WHEN .. THEN .. [ELSE ..] END`, displayed as
/// `CASE WHEN a@0 > Int64(1) THEN Utf8("x") ELSE Utf8("y") END`.
///
/// Evaluation is lazy per row, as in PostgreSQL: each WHEN is evaluated only on the rows that no
/// earlier WHEN took, and each THEN/ELSE only on the rows that chose it, so an error in a branch
/// no row takes (`CASE WHEN b = 0 THEN 0 ELSE a / b END`) does not fail the query. The branches
/// are evaluated on sub-batches (Arrow `take`) and the results scattered back in row order.
class CaseExpr : public PhysicalExpr {
 public:
  using WhenThen = std::pair<PhysicalExprPtr, PhysicalExprPtr>;

  /// Creates a CASE; `operand` and `else_expr` may be null; results are cast to `result_type`.
  CaseExpr(PhysicalExprPtr operand, std::vector<WhenThen> when_then, PhysicalExprPtr else_expr,
           std::shared_ptr<arrow::DataType> result_type)
      : operand_(std::move(operand)),
        when_then_(std::move(when_then)),
        else_(std::move(else_expr)),
        result_type_(std::move(result_type)) {}

  /// Returns the operand of `CASE x WHEN ..`, or null for a searched CASE.
  const PhysicalExprPtr& operand() const { return operand_; }
  /// Returns the WHEN/THEN pairs in order.
  const std::vector<WhenThen>& when_then() const { return when_then_; }
  /// Returns the ELSE expression, or null.
  const PhysicalExprPtr& else_expr() const { return else_; }
  /// Returns the type every branch is cast to.
  const std::shared_ptr<arrow::DataType>& result_type() const { return result_type_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override;
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  PhysicalExprPtr operand_;
  std::vector<WhenThen> when_then_;
  PhysicalExprPtr else_;
  std::shared_ptr<arrow::DataType> result_type_;
};

/// Returns a CASE over `input_schema`; the result type is the first THEN/ELSE type that is not
/// Null (the binder coerces branches to one type; others are cast to it).
arrow::Result<PhysicalExprPtr> make_case(PhysicalExprPtr operand,
                                         std::vector<CaseExpr::WhenThen> when_then,
                                         PhysicalExprPtr else_expr,
                                         const arrow::Schema& input_schema);

}  // namespace quiver::physical
