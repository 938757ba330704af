#include "quiver/exec/join/gather_rows.h"

#include <arrow/array.h>
#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/datum.h>
#include <arrow/type_traits.h>
#include <arrow/util/bit_util.h>

#include <cstring>

namespace quiver::exec {

namespace {

struct Bytes16 {
  uint64_t low;
  uint64_t high;
};

// The byte width of a column gathered by copy_values, or 0 for Arrow's Take.
int gather_width(const arrow::DataType& type) {
  const bool fixed = (arrow::is_primitive(type.id()) && type.id() != arrow::Type::BOOL) ||
                     arrow::is_decimal(type.id()) || type.id() == arrow::Type::FIXED_SIZE_BINARY;
  if (!fixed) return 0;
  const int width = type.byte_width();
  return width == 1 || width == 2 || width == 4 || width == 8 || width == 16 ? width : 0;
}

template <typename T>
void copy_values(const uint8_t* in_bytes, const uint32_t* indices, int64_t count, bool null_rows,
                 uint8_t* out_bytes) {
  const T* in = reinterpret_cast<const T*>(in_bytes);
  T* out = reinterpret_cast<T*>(out_bytes);
  if (!null_rows) {
    for (int64_t i = 0; i < count; ++i) out[i] = in[indices[i]];
    return;
  }
  for (int64_t i = 0; i < count; ++i) {
    out[i] = indices[i] == kGatherNullRow ? T{} : in[indices[i]];
  }
}

arrow::Result<std::shared_ptr<arrow::Array>> gather_fixed(const arrow::Array& values, int width,
                                                          const uint32_t* indices, int64_t count,
                                                          bool null_rows) {
  const auto& data = *values.data();
  const uint8_t* in = data.buffers[1]->data() + data.offset * width;
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateBuffer(count * width));
  uint8_t* out = buffer->mutable_data();
  switch (width) {
    case 1:
      copy_values<uint8_t>(in, indices, count, null_rows, out);
      break;
    case 2:
      copy_values<uint16_t>(in, indices, count, null_rows, out);
      break;
    case 4:
      copy_values<uint32_t>(in, indices, count, null_rows, out);
      break;
    case 8:
      copy_values<uint64_t>(in, indices, count, null_rows, out);
      break;
    default:
      copy_values<Bytes16>(in, indices, count, null_rows, out);
      break;
  }
  std::shared_ptr<arrow::Buffer> validity;
  int64_t null_count = 0;
  if (null_rows || values.null_count() > 0) {
    ARROW_ASSIGN_OR_RAISE(validity, arrow::AllocateEmptyBitmap(count));
    uint8_t* bits = validity->mutable_data();
    const bool has_nulls = values.null_count() > 0;
    for (int64_t i = 0; i < count; ++i) {
      const uint32_t row = indices[i];
      const bool valid = row != kGatherNullRow && (!has_nulls || values.IsValid(row));
      if (valid) {
        arrow::bit_util::SetBit(bits, i);
      } else {
        ++null_count;
      }
    }
    if (null_count == 0) validity.reset();
  }
  return arrow::MakeArray(arrow::ArrayData::Make(
      values.type(), count, {std::move(validity), std::move(buffer)}, null_count));
}

}  // namespace

arrow::Result<arrow::ArrayVector> gather_rows(const arrow::RecordBatch& batch,
                                              const uint32_t* indices, int64_t count) {
  bool null_rows = false;
  for (int64_t i = 0; i < count && !null_rows; ++i) null_rows = indices[i] == kGatherNullRow;
  std::shared_ptr<arrow::Array> take_indices;  // for Arrow's Take, made on first need
  arrow::ArrayVector out;
  out.reserve(static_cast<size_t>(batch.num_columns()));
  for (const auto& column : batch.columns()) {
    const int width = gather_width(*column->type());
    if (width != 0 && column->data()->buffers.size() > 1 && column->data()->buffers[1] != nullptr) {
      ARROW_ASSIGN_OR_RAISE(auto gathered, gather_fixed(*column, width, indices, count, null_rows));
      out.push_back(std::move(gathered));
      continue;
    }
    if (take_indices == nullptr) {
      std::shared_ptr<arrow::Buffer> validity;
      int64_t null_count = 0;
      if (null_rows) {
        ARROW_ASSIGN_OR_RAISE(validity, arrow::AllocateEmptyBitmap(count));
        for (int64_t i = 0; i < count; ++i) {
          if (indices[i] != kGatherNullRow) {
            arrow::bit_util::SetBit(validity->mutable_data(), i);
          } else {
            ++null_count;
          }
        }
      }
      // Borrows `indices` (Take copies what it needs).
      auto values = std::make_shared<arrow::Buffer>(reinterpret_cast<const uint8_t*>(indices),
                                                    count * static_cast<int64_t>(sizeof(uint32_t)));
      take_indices = arrow::MakeArray(arrow::ArrayData::Make(
          arrow::uint32(), count, {std::move(validity), std::move(values)}, null_count));
    }
    ARROW_ASSIGN_OR_RAISE(arrow::Datum taken,
                          arrow::compute::Take(arrow::Datum(column), arrow::Datum(take_indices)));
    out.push_back(taken.make_array());
  }
  return out;
}

}  // namespace quiver::exec
