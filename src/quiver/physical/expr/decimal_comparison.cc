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

namespace quiver::physical {

namespace {

using logical::BinaryOp;

// One operand's unscaled values: an array's (stride 1) or a scalar's (stride 0).
struct Side {
  const uint8_t* data = nullptr;
  int64_t stride = 1;
  int128 scalar = 0;
  int128 at(int64_t i) const {
    int128 v;
    std::memcpy(&v, data + 16 * stride * i, 16);
    return v;
  }
};

// Packs cmp(l[i], r[i]) for every row into `out` (a bitmap of n bits).
template <typename Cmp>
void compare_all(const Side& l, const Side& r, int64_t n, uint8_t* out, Cmp cmp) {
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
  Side sides[2];
  std::shared_ptr<arrow::Buffer> validity;
  int64_t validity_offset = 0;
  const arrow::Datum* operands[2] = {&left, &right};
  for (int k = 0; k < 2; ++k) {
    const arrow::Datum& operand = *operands[k];
    if (operand.is_scalar()) {
      const auto& scalar = static_cast<const arrow::Decimal128Scalar&>(*operand.scalar());
      if (!scalar.is_valid) {
        ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(arrow::boolean(), length));
        return std::optional<arrow::Datum>(arrow::Datum(nulls));
      }
      sides[k].scalar = to_int128(scalar.value);
      sides[k].data = reinterpret_cast<const uint8_t*>(&sides[k].scalar);
      sides[k].stride = 0;
      continue;
    }
    const auto& array = *operand.array();
    sides[k].data = array.buffers[1]->data() + 16 * array.offset;
    if (array.GetNullCount() == 0) continue;
    if (validity == nullptr) {
      validity = array.buffers[0];
      validity_offset = array.offset;
    } else {
      ARROW_ASSIGN_OR_RAISE(
          validity, arrow::internal::BitmapAnd(arrow::default_memory_pool(), validity->data(),
                                               validity_offset, array.buffers[0]->data(),
                                               array.offset, length, 0));
      validity_offset = 0;
    }
  }
  if (validity != nullptr && validity_offset != 0) {
    ARROW_ASSIGN_OR_RAISE(
        validity, arrow::internal::CopyBitmap(arrow::default_memory_pool(), validity->data(),
                                              validity_offset, length));
  }
  ARROW_ASSIGN_OR_RAISE(std::shared_ptr<arrow::Buffer> bits, arrow::AllocateBitmap(length));
  uint8_t* out = bits->mutable_data();
  const Side& l = sides[0];
  const Side& r = sides[1];
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
