#include "quiver/physical/expr/decimal_arithmetic.h"

#include <arrow/array.h>
#include <arrow/array/util.h>
#include <arrow/builder.h>
#include <arrow/scalar.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>
#include <arrow/util/decimal.h>

#include <cstring>

#include "quiver/logical/expr.h"
#include "quiver/physical/expr/decimal_int128.h"
#include "quiver/physical/expr/decimal_operands.h"

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

// Returns whether `v` fits an int64, so that products with it cannot overflow an int128.
inline bool small(int128 v) { return v == static_cast<int64_t>(v); }

// Computes every valid slot of `out`; `valid` is null when every slot is valid. Operands that
// fit an int64 take an exact path with no overflow test but the precision's; others take
// `apply`'s checked one.
arrow::Status compute_all(BinaryOp op, const DecimalOperand& l, int32_t sa, const DecimalOperand& r,
                          int32_t sb, int32_t scale, int128 limit, const arrow::DataType& out_type,
                          const uint8_t* valid, int64_t n, uint8_t* out) {
  const bool additive = op == BinaryOp::kPlus || op == BinaryOp::kMinus;
  // Rescale factors of at most 10^18 keep small operands' products within an int128.
  const bool fast = op == BinaryOp::kMultiply || (additive && scale - sa <= 18 && scale - sb <= 18);
  const int128 fa = additive ? powers_of_ten()[scale - sa] : 1;
  const int128 fb = additive ? powers_of_ten()[scale - sb] : 1;
  for (int64_t i = 0; i < n; ++i) {
    int128 value = 0;
    if (valid == nullptr || arrow::bit_util::GetBit(valid, i)) {
      const int128 a = l.at(i);
      const int128 b = r.at(i);
      if (fast && small(a) && small(b)) {
        value = op == BinaryOp::kMultiply ? a * b
                : op == BinaryOp::kPlus   ? a * fa + b * fb
                                          : a * fa - b * fb;
        if (value >= limit || value <= -limit) return overflow(out_type);
      } else {
        ARROW_RETURN_NOT_OK(apply(op, a, sa, b, sb, scale, limit, out_type, &value));
      }
    }
    std::memcpy(out + 16 * i, &value, 16);
  }
  return arrow::Status::OK();
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
  const int32_t sa = scale_of(*left.type());
  const int32_t sb = scale_of(*right.type());
  const int32_t scale = scale_of(*out_type);
  const int128 limit =
      powers_of_ten()[static_cast<const arrow::DecimalType&>(*out_type).precision()];

  // Operands; a NULL scalar makes every result NULL.
  DecimalOperands operands;
  ARROW_RETURN_NOT_OK(read_decimal_operands(left, right, n, &operands));
  if (operands.null_scalar) {
    if (scalar_result) return arrow::Datum(arrow::MakeNullScalar(out_type));
    ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(out_type, n));
    return arrow::Datum(nulls);
  }
  std::shared_ptr<arrow::Buffer> validity = std::move(operands.validity);
  ARROW_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Buffer> values, arrow::AllocateBuffer(16 * n));
  ARROW_RETURN_NOT_OK(compute_all(op, operands.sides[0], sa, operands.sides[1], sb, scale, limit,
                                  *out_type, validity ? validity->data() : nullptr, n,
                                  values->mutable_data()));
  auto out = arrow::MakeArray(arrow::ArrayData::Make(
      out_type, n, {std::move(validity), std::move(values)}, arrow::kUnknownNullCount));
  if (scalar_result) {
    ARROW_ASSIGN_OR_RAISE(auto scalar, out->GetScalar(0));
    return arrow::Datum(scalar);
  }
  return arrow::Datum(out);
}

}  // namespace quiver::physical
