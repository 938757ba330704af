#pragma once

#include <arrow/compute/cast.h>

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// `CAST(a@0 AS Int32)` (or `TRY_CAST(...)`): converts with Arrow's cast (see sql_cast: float
/// to integer rounds); a value that does not fit or parse is a user error naming the value,
/// except under TRY_CAST, which gives NULL for that row instead.
class CastExpr : public PhysicalExpr {
 public:
  /// Creates a cast of `arg` to `type`; `try_cast` turns failures into NULLs.
  CastExpr(PhysicalExprPtr arg, std::shared_ptr<arrow::DataType> type, bool try_cast)
      : arg_(std::move(arg)), type_(std::move(type)), try_cast_(try_cast) {}

  /// Returns the converted expression.
  const PhysicalExprPtr& arg() const { return arg_; }
  /// Returns the target type.
  const std::shared_ptr<arrow::DataType>& cast_type() const { return type_; }
  /// Returns true for TRY_CAST.
  bool is_try_cast() const { return try_cast_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return {arg_}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  arrow::Result<arrow::Datum> try_each(const arrow::Datum& value) const;

  PhysicalExprPtr arg_;
  std::shared_ptr<arrow::DataType> type_;
  bool try_cast_;
};

/// Returns `CAST(arg AS type)`.
PhysicalExprPtr make_cast(PhysicalExprPtr arg, std::shared_ptr<arrow::DataType> type);
/// Returns `TRY_CAST(arg AS type)`.
PhysicalExprPtr make_try_cast(PhysicalExprPtr arg, std::shared_ptr<arrow::DataType> type);

/// Returns the cast options every SQL cast uses (checked; fractions of decimals and times may be
/// dropped).
arrow::compute::CastOptions sql_cast_options(const std::shared_ptr<arrow::DataType>& type);

/// Casts with SQL rules: checked (a value that does not fit or parse is an error), and floats
/// or decimals become integers by rounding half away from zero (3.7 -> 4, -2.5 -> -3).
arrow::Result<arrow::Datum> sql_cast(const arrow::Datum& value,
                                     const std::shared_ptr<arrow::DataType>& type);

}  // namespace quiver::physical
