#include "quiver/physical/expr/decimal_arithmetic.h"

#include <arrow/array.h>
#include <arrow/array/util.h>
#include <arrow/builder.h>
#include <arrow/scalar.h>
#include <arrow/util/decimal.h>

#include "quiver/logical/expr.h"
#include "quiver/physical/expr/decimal_int128.h"

namespace quiver::physical {

namespace {

using logical::BinaryOp;

// Multiplies by 10^digits; false on overflow.
bool rescale(int128 value, int32_t digits, int128* out) {
  return !__builtin_mul_overflow(value, powers_of_ten()[digits], out);
}

int32_t scale_of(const arrow::DataType& t) {
  return static_cast<const arrow::DecimalType&>(t).scale();
}

arrow::Status overflow(const arrow::DataType& out_type) {
  return arrow::Status::Invalid("decimal overflow: the result does not fit ",
                                logical::type_display_name(out_type));
}

// Computes one value; false with `status` set on failure.
arrow::Status apply(BinaryOp op, int128 a, int32_t sa, int128 b, int32_t sb, int32_t scale,
                    int128 limit, const arrow::DataType& out_type, int128* out) {
  int128 r = 0;
  if (op == BinaryOp::kMultiply) {
    if (__builtin_mul_overflow(a, b, &r)) return overflow(out_type);
  } else {
    if (!rescale(a, scale - sa, &a) || !rescale(b, scale - sb, &b)) return overflow(out_type);
    if (op == BinaryOp::kPlus) {
      if (__builtin_add_overflow(a, b, &r)) return overflow(out_type);
    } else if (op == BinaryOp::kMinus) {
      if (__builtin_sub_overflow(a, b, &r)) return overflow(out_type);
    } else {  // kModulo: the sign of the dividend, as in PostgreSQL
      if (b == 0) return arrow::Status::Invalid("division by zero");
      r = a % b;
    }
  }
  if (r >= limit || r <= -limit) return overflow(out_type);
  *out = r;
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::Array>> to_array(const arrow::Datum& value, int64_t length) {
  if (value.is_scalar()) return arrow::MakeArrayFromScalar(*value.scalar(), length);
  return value.make_array();
}

}  // namespace

arrow::Result<arrow::Datum> decimal_arithmetic(BinaryOp op, const arrow::Datum& left,
                                               const arrow::Datum& right,
                                               const std::shared_ptr<arrow::DataType>& out_type,
                                               int64_t length) {
  if (op != BinaryOp::kPlus && op != BinaryOp::kMinus && op != BinaryOp::kMultiply &&
      op != BinaryOp::kModulo) {
    return arrow::Status::NotImplemented("decimal operator ", logical::binary_op_symbol(op));
  }
  const bool scalar_result = left.is_scalar() && right.is_scalar();
  const int64_t n = scalar_result ? 1 : length;
  ARROW_ASSIGN_OR_RAISE(auto l_array, to_array(left, n));
  ARROW_ASSIGN_OR_RAISE(auto r_array, to_array(right, n));
  const auto& l = static_cast<const arrow::Decimal128Array&>(*l_array);
  const auto& r = static_cast<const arrow::Decimal128Array&>(*r_array);
  const int32_t sa = scale_of(*l.type());
  const int32_t sb = scale_of(*r.type());
  const int32_t scale = scale_of(*out_type);
  const int128 limit =
      powers_of_ten()[static_cast<const arrow::DecimalType&>(*out_type).precision()];
  arrow::Decimal128Builder builder(out_type);
  ARROW_RETURN_NOT_OK(builder.Reserve(n));
  for (int64_t i = 0; i < n; ++i) {
    if (l.IsNull(i) || r.IsNull(i)) {
      builder.UnsafeAppendNull();
      continue;
    }
    const int128 a = to_int128(arrow::Decimal128(l.GetValue(i)));
    const int128 b = to_int128(arrow::Decimal128(r.GetValue(i)));
    int128 value = 0;
    ARROW_RETURN_NOT_OK(apply(op, a, sa, b, sb, scale, limit, *out_type, &value));
    builder.UnsafeAppend(from_int128(value));
  }
  std::shared_ptr<arrow::Array> out;
  ARROW_RETURN_NOT_OK(builder.Finish(&out));
  if (scalar_result) {
    ARROW_ASSIGN_OR_RAISE(auto scalar, out->GetScalar(0));
    return arrow::Datum(scalar);
  }
  return arrow::Datum(out);
}

}  // namespace quiver::physical
