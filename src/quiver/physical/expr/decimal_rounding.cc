#include "quiver/physical/expr/decimal_rounding.h"

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/scalar.h>

#include <algorithm>

#include "quiver/logical/expr.h"
#include "quiver/physical/expr/decimal_int128.h"

namespace quiver::physical {

namespace {

constexpr int32_t kMaxDigits = 38;

// `v` (at scale `drop` more than the result's) divided by 10^drop, rounded with `mode`.
int128 divide_rounding(int128 v, int32_t drop, DecimalRounding mode) {
  if (drop > kMaxDigits) {
    // |v| < 10^38 <= 10^drop / 10: nearest is 0, floor/ceil go to -1/1 when v has that sign.
    if (mode == DecimalRounding::kFloor && v < 0) return -1;
    if (mode == DecimalRounding::kCeil && v > 0) return 1;
    return 0;
  }
  const int128 divisor = powers_of_ten()[drop];
  int128 q = v / divisor;  // truncates toward zero
  const int128 r = v % divisor;
  switch (mode) {
    case DecimalRounding::kHalfAwayFromZero:
      // divisor is a power of ten >= 10, so even: compare with its half (2*|r| could overflow).
      if ((r < 0 ? -r : r) >= divisor / 2) q += (v < 0 ? -1 : 1);
      break;
    case DecimalRounding::kFloor:
      if (r < 0) q -= 1;
      break;
    case DecimalRounding::kCeil:
      if (r > 0) q += 1;
      break;
  }
  return q;
}

arrow::Status does_not_fit(int128 v, int32_t scale, int32_t digits,
                           const arrow::DataType& out_type) {
  return arrow::Status::Invalid("decimal overflow: ", from_int128(v).ToString(scale),
                                " rounded to scale ", digits, " does not fit ",
                                logical::type_display_name(out_type));
}

// One value `v` at scale `scale`, rounded to `digits` and expressed at `out_scale`; false if it
// does not fit below `limit` (10^precision).
bool round_one(int128 v, int32_t scale, int32_t digits, DecimalRounding mode, int32_t out_scale,
               int128 limit, int128* out) {
  int128 q = v;
  int32_t q_scale = scale;
  if (digits < scale) {
    q = divide_rounding(v, scale - digits, mode);
    q_scale = digits;
  }
  if (q != 0) {
    const int32_t up = out_scale - q_scale;  // >= 0: out_scale >= min(digits, scale)
    if (up > kMaxDigits || __builtin_mul_overflow(q, powers_of_ten()[up], &q)) return false;
  }
  if (q >= limit || q <= -limit) return false;
  *out = q;
  return true;
}

}  // namespace

arrow::Result<arrow::Datum> decimal_round(const arrow::Datum& value, int32_t digits,
                                          DecimalRounding mode,
                                          const std::shared_ptr<arrow::DataType>& out_type) {
  if (value.type()->id() != arrow::Type::DECIMAL128 || out_type->id() != arrow::Type::DECIMAL128) {
    return arrow::Status::NotImplemented("decimal_round takes Decimal128, got ",
                                         value.type()->ToString(), " to ", out_type->ToString());
  }
  const int32_t scale = static_cast<const arrow::DecimalType&>(*value.type()).scale();
  const auto& out_decimal = static_cast<const arrow::DecimalType&>(*out_type);
  if (out_decimal.scale() < std::min(digits, scale)) {
    return arrow::Status::Invalid("decimal_round: result scale ", out_decimal.scale(),
                                  " is below the rounding's ", std::min(digits, scale));
  }
  const int128 limit = powers_of_ten()[out_decimal.precision()];
  if (value.is_scalar()) {
    const auto& scalar = static_cast<const arrow::Decimal128Scalar&>(*value.scalar());
    if (!scalar.is_valid) return arrow::Datum(arrow::MakeNullScalar(out_type));
    const int128 v = to_int128(scalar.value);
    int128 r = 0;
    if (!round_one(v, scale, digits, mode, out_decimal.scale(), limit, &r)) {
      return does_not_fit(v, scale, digits, *out_type);
    }
    return arrow::Datum(std::make_shared<arrow::Decimal128Scalar>(from_int128(r), out_type));
  }
  const auto input = value.make_array();
  const auto& in = static_cast<const arrow::Decimal128Array&>(*input);
  arrow::Decimal128Builder builder(out_type);
  ARROW_RETURN_NOT_OK(builder.Reserve(in.length()));
  for (int64_t i = 0; i < in.length(); ++i) {
    if (in.IsNull(i)) {
      builder.UnsafeAppendNull();
      continue;
    }
    const int128 v = to_int128(arrow::Decimal128(in.GetValue(i)));
    int128 r = 0;
    if (!round_one(v, scale, digits, mode, out_decimal.scale(), limit, &r)) {
      return does_not_fit(v, scale, digits, *out_type);
    }
    builder.UnsafeAppend(from_int128(r));
  }
  std::shared_ptr<arrow::Array> out;
  ARROW_RETURN_NOT_OK(builder.Finish(&out));
  return arrow::Datum(out);
}

}  // namespace quiver::physical
