#include "quiver/physical/expr/decimal_comparison.h"

#include <arrow/array.h>
#include <arrow/array/data.h>
#include <arrow/buffer.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>

#include <cstring>

#include "quiver/physical/expr/decimal_int128.h"
#include "quiver/physical/expr/decimal_operands.h"

namespace quiver::physical {

namespace {

using logical::BinaryOp;

// Packs cmp(l[i], r[i]) for every row into `out` (a bitmap of n bits).
template <typename Cmp>
void compare_all(const DecimalOperand& l, const DecimalOperand& r, int64_t n, uint8_t* out,
                 Cmp cmp) {
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint8_t byte = 0;
    for (int b = 0; b < 8; ++b) byte |= static_cast<uint8_t>(cmp(l.at(i + b), r.at(i + b))) << b;
    out[i / 8] = byte;
  }
  for (; i < n; ++i) arrow::bit_util::SetBitTo(out, i, cmp(l.at(i), r.at(i)));
}

int32_t scale_of(const arrow::DataType& t) {
  return static_cast<const arrow::Decimal128Type&>(t).scale();
}

}  // namespace

arrow::Result<std::optional<arrow::Datum>> compare_decimals(BinaryOp op, const arrow::Datum& left,
                                                            const arrow::Datum& right,
                                                            int64_t length) {
  if (!logical::is_ordering_comparison(op) || left.type() == nullptr || right.type() == nullptr ||
      left.type()->id() != arrow::Type::DECIMAL128 ||
      right.type()->id() != arrow::Type::DECIMAL128 ||
      scale_of(*left.type()) != scale_of(*right.type()) ||
      (left.is_scalar() && right.is_scalar()) || !(left.is_scalar() || left.is_array()) ||
      !(right.is_scalar() || right.is_array())) {
    return std::nullopt;
  }
  DecimalOperands sides;
  ARROW_RETURN_NOT_OK(read_decimal_operands(left, right, length, &sides));
  if (sides.null_scalar) {
    ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(arrow::boolean(), length));
    return std::optional<arrow::Datum>(arrow::Datum(nulls));
  }
  std::shared_ptr<arrow::Buffer> validity = std::move(sides.validity);
  ARROW_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Buffer> bits, arrow::AllocateBitmap(length));
  uint8_t* out = bits->mutable_data();
  const DecimalOperand& l = sides.sides[0];
  const DecimalOperand& r = sides.sides[1];
  switch (op) {
    case BinaryOp::kEq:
      compare_all(l, r, length, out, [](int128 a, int128 b) { return a == b; });
      break;
    case BinaryOp::kNotEq:
      compare_all(l, r, length, out, [](int128 a, int128 b) { return a != b; });
      break;
    case BinaryOp::kLt:
      compare_all(l, r, length, out, [](int128 a, int128 b) { return a < b; });
      break;
    case BinaryOp::kLtEq:
      compare_all(l, r, length, out, [](int128 a, int128 b) { return a <= b; });
      break;
    case BinaryOp::kGt:
      compare_all(l, r, length, out, [](int128 a, int128 b) { return a > b; });
      break;
    default:  // kGtEq
      compare_all(l, r, length, out, [](int128 a, int128 b) { return a >= b; });
      break;
  }
  auto data = arrow::ArrayData::Make(
      arrow::boolean(), length, {std::move(validity), std::move(bits)}, arrow::kUnknownNullCount);
  return std::optional<arrow::Datum>(arrow::Datum(std::move(data)));
}

}  // namespace quiver::physical
