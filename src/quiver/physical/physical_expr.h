#pragma once

#include <arrow/datum.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>
#include <string>
#include <vector>

namespace quiver::physical {

class PhysicalExpr;
using PhysicalExprPtr = std::shared_ptr<const PhysicalExpr>;

/// An expression bound to column positions, evaluated over record batches (Column `number@0`,
/// Literal, BinaryExpr, CastExpr, CaseExpr, ScalarFunctionExpr, ...). Immutable and safe to
/// evaluate from many threads at once.
class PhysicalExpr {
 public:
  virtual ~PhysicalExpr() = default;
  /// Returns the type of the result for input batches of `input_schema`.
  virtual arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const = 0;
  /// Returns whether the result may hold nulls.
  virtual arrow::Result<bool> nullable(const arrow::Schema& input_schema) const = 0;
  /// Evaluates over a batch: an array of the batch's length, or a scalar.
  virtual arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const = 0;
  /// Returns the sub-expressions.
  virtual std::vector<PhysicalExprPtr> children() const = 0;
  /// Returns a copy with other sub-expressions (same count).
  virtual arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const = 0;
  /// Renders the expression the way plans display it, e.g. `number@0`, `a@0 + Int64(1)`.
  virtual std::string to_string() const = 0;
};

/// Evaluates `expr` and returns an array of the batch's length (scalars are broadcast).
arrow::Result<std::shared_ptr<arrow::Array>> evaluate_to_array(const PhysicalExpr& expr,
                                                               const arrow::RecordBatch& batch);

/// Renders a list of expressions as "[a@0, b@1]".
std::string to_string(const std::vector<PhysicalExprPtr>& exprs);

}  // namespace quiver::physical
