#pragma once

#include <arrow/result.h>
#include <arrow/scalar.h>

#include <memory>
#include <string_view>

namespace quiver::sql {

/// Returns the literal a PostgreSQL "float" constant (`0.06`, `1.5e3`, an integer too large for
/// int4) stands for: an integer that fits Int64 as Int64; digits with a decimal point and no
/// exponent as an exact Decimal128(p, s), p counting every digit written and s the digits after
/// the point (`0.06` is Decimal128(3, 2), as in DuckDB; PostgreSQL calls it numeric); anything
/// else (an exponent, more than 38 digits) as Float64.
arrow::Result<std::shared_ptr<arrow::Scalar>> numeric_literal(std::string_view text);

}  // namespace quiver::sql
