#pragma once

#include <arrow/result.h>
#include <arrow/scalar.h>
#include <arrow/type.h>

#include <memory>

#include "quiver/logical/expr.h"

/// SQL typing rules for Decimal128 (the precision/scale arithmetic of DataFusion and Spark).
///
/// With p/s the precision and scale of the operands, every result precision capped at 38:
///   - `+ -`: scale max(s1, s2), precision max(p1 - s1, p2 - s2) + scale + 1;
///   - `*`:   scale s1 + s2, precision p1 + p2 + 1;
///   - `%`:   scale max(s1, s2), precision min(p1 - s1, p2 - s2) + scale;
///   - `/`:   Float64 (DuckDB's rule; the 12-digit slt rendering matches DuckDB exactly).
/// An integer operand counts as Decimal128(digits, 0) (Int32 as (10, 0), Int64 as (20, 0)); an
/// integer literal as just its own digits. A decimal meeting a float is Float64.
namespace quiver::logical {

/// Largest Decimal128 precision.
inline constexpr int32_t kMaxDecimalPrecision = 38;

/// Returns the decimal an integer type converts to without loss (Int8 -> Decimal128(3, 0), ...,
/// Int64/UInt64 -> Decimal128(20, 0)); a Decimal128 is returned as is, another decimal width as
/// the Decimal128 of its precision and scale (null beyond 38 digits); null for other types.
std::shared_ptr<arrow::DataType> integer_as_decimal(const std::shared_ptr<arrow::DataType>& type);

/// Returns the narrowest decimal holding an integer literal exactly (42 -> Decimal128(2, 0)), or
/// null when `value` is not a valid integer scalar.
std::shared_ptr<arrow::DataType> integer_literal_as_decimal(const arrow::Scalar& value);

/// Returns an integer scalar as a Decimal128 scalar of `target` when the value fits its
/// precision (Arrow's cast refuses Int64 -> Decimal128(p < 19) whatever the value), null when
/// `value` is not an integer or does not fit.
std::shared_ptr<arrow::Scalar> integer_scalar_to_decimal(const arrow::Scalar& value,
                                                         const arrow::DataType& target);

/// Returns the decimal type both decimals convert to without loss (for comparisons and unions):
/// scale max(s1, s2), integer digits max(p1 - s1, p2 - s2), precision capped at 38.
std::shared_ptr<arrow::DataType> common_decimal(const arrow::DataType& a, const arrow::DataType& b);

/// Returns the result type of `left op right` for two decimal operands (see the rules above), or
/// a user error when the scale exceeds 38.
arrow::Result<std::shared_ptr<arrow::DataType>> decimal_arithmetic_type(
    BinaryOp op, const arrow::DataType& left, const arrow::DataType& right);

}  // namespace quiver::logical
