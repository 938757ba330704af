#include "quiver/physical/expr/decimal_operands.h"

#include <arrow/array/data.h>
#include <arrow/scalar.h>
#include <arrow/util/bitmap_ops.h>

namespace quiver::physical {

arrow::Status read_decimal_operands(const arrow::Datum& left, const arrow::Datum& right,
                                    int64_t length, DecimalOperands* out) {
  std::shared_ptr<arrow::Buffer> validity;
  int64_t validity_offset = 0;  // of `validity` (only an array's can be offset)
  const arrow::Datum* inputs[2] = {&left, &right};
  for (int k = 0; k < 2; ++k) {
    const arrow::Datum& input = *inputs[k];
    DecimalOperand& side = out->sides[k];
    if (input.is_scalar()) {
      const auto& scalar = static_cast<const arrow::Decimal128Scalar&>(*input.scalar());
      if (!scalar.is_valid) {
        out->null_scalar = true;
        return arrow::Status::OK();
      }
      side.scalar = to_int128(scalar.value);
      side.data = reinterpret_cast<const uint8_t*>(&side.scalar);
      side.stride = 0;
      continue;
    }
    const auto& array = *input.array();
    side.data = array.buffers[1]->data() + 16 * array.offset;
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
  out->validity = std::move(validity);
  return arrow::Status::OK();
}

}  // namespace quiver::physical
