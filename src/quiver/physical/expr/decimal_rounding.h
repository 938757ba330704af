#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>
#include <arrow/type.h>

#include <cstdint>

namespace quiver::physical {

/// How decimal_round treats the digits it drops.
enum class DecimalRounding {
  kHalfAwayFromZero,  ///< nearest, halves away from zero (PostgreSQL's numeric round and CAST)
  kFloor,             ///< toward negative infinity
  kCeil,              ///< toward positive infinity
};

/// Rounds every value of `value` (a Decimal128 array or scalar of any precision and scale) to
/// `digits` digits after the decimal point (a negative count rounds left of it) with `mode`, and
/// returns the result as `out_type`, a Decimal128 whose scale is at least min(digits, input
/// scale). The arithmetic is exact in 128 bits, so a carry that adds an integer digit (9.96 to
/// 10.0) is kept. A result that does not fit `out_type`'s precision is an Invalid status
/// "decimal overflow: <value> rounded to scale <digits> does not fit <type>"; NULL gives NULL.
arrow::Result<arrow::Datum> decimal_round(const arrow::Datum& value, int32_t digits,
                                          DecimalRounding mode,
                                          const std::shared_ptr<arrow::DataType>& out_type);

}  // namespace quiver::physical
