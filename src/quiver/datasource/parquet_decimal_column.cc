#include "quiver/datasource/parquet_decimal_column.h"

#include <arrow/array/array_decimal.h>
#include <arrow/array/data.h>
#include <arrow/buffer.h>
#include <arrow/type.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/decimal.h>

#include <algorithm>
#include <cstring>

namespace quiver::datasource {

namespace {

using FlbaReader = parquet::TypedColumnReader<parquet::FLBAType>;

// Writes the big-endian two's complement integer of `len` (1..16) bytes at `in` as a
// little-endian Decimal128 at `out` (16 bytes).
inline void big_endian_to_decimal128(const uint8_t* in, int len, uint8_t* out) {
  if (len <= 8) {
    uint64_t u = 0;
    for (int i = 0; i < len; ++i) u = (u << 8) | in[i];
    const int shift = 64 - 8 * len;
    const auto low = static_cast<int64_t>(u << shift) >> shift;  // sign-extends
    const int64_t high = low < 0 ? -1 : 0;
    std::memcpy(out, &low, 8);
    std::memcpy(out + 8, &high, 8);
    return;
  }
  // Longer values are rare (precision > 18): Arrow's conversion is fine for them.
  auto value = arrow::Decimal128::FromBigEndian(in, len).ValueOrDie();
  value.ToBytes(out);
}

}  // namespace

bool ParquetDecimalColumn::supports(const parquet::ColumnDescriptor& descr,
                                    const arrow::DataType& type) {
  return type.id() == arrow::Type::DECIMAL128 &&
         descr.physical_type() == parquet::Type::FIXED_LEN_BYTE_ARRAY && descr.type_length() >= 1 &&
         descr.type_length() <= 16 && descr.max_repetition_level() == 0 &&
         descr.max_definition_level() <= 1;
}

ParquetDecimalColumn::ParquetDecimalColumn(parquet::ParquetFileReader* file, int column,
                                           std::vector<int> row_groups,
                                           std::shared_ptr<arrow::DataType> type,
                                           arrow::MemoryPool* pool)
    : ParquetDirectColumn(file, column, std::move(row_groups)),
      type_(std::move(type)),
      pool_(pool) {
  type_length_ = file_->metadata()->schema()->Column(column_)->type_length();
}

void ParquetDecimalColumn::on_new_chunk() {
  dict_source_ = nullptr;
  dict_source_len_ = -1;
}

void ParquetDecimalColumn::convert_dictionary(const parquet::FixedLenByteArray* dict, int32_t len) {
  if (dict == dict_source_ && len == dict_source_len_) return;
  dictionary_.resize(static_cast<size_t>(len) * 16);
  for (int32_t i = 0; i < len; ++i) {
    big_endian_to_decimal128(dict[i].ptr, type_length_, dictionary_.data() + 16 * i);
  }
  dict_source_ = dict;
  dict_source_len_ = len;
}

arrow::Result<int64_t> ParquetDecimalColumn::read_some(int64_t want, uint8_t* out,
                                                       uint8_t* validity, int64_t offset,
                                                       int64_t* nulls) {
  int16_t* defs = def_levels(want);
  auto* reader = static_cast<FlbaReader*>(chunk_.get());
  int64_t levels = 0;
  int64_t values = 0;
  // Where value k of this call goes: positions of the defined levels, in order.
  auto place = [&](auto&& write_value) {
    if (defs == nullptr) {
      for (int64_t i = 0; i < levels; ++i) write_value(i, out + 16 * i);
      return;
    }
    int64_t k = 0;
    for (int64_t i = 0; i < levels; ++i) {
      if (defs[i] == max_def_level_) {
        write_value(k++, out + 16 * i);
        arrow::bit_util::SetBit(validity, offset + i);
      } else {
        std::memset(out + 16 * i, 0, 16);
        arrow::bit_util::ClearBit(validity, offset + i);
        ++*nulls;
      }
    }
  };
  if (chunk_is_dictionary_) {
    indices_.resize(static_cast<size_t>(want));
    const parquet::FixedLenByteArray* dict = nullptr;
    int32_t dict_len = 0;
    levels = reader->ReadBatchWithDictionary(want, defs, nullptr, indices_.data(), &values, &dict,
                                             &dict_len);
    if (values > 0) {
      if (dict == nullptr) return arrow::Status::IOError("dictionary page missing");
      convert_dictionary(dict, dict_len);
      const auto* idx = indices_.data();
      ARROW_RETURN_NOT_OK(check_indices(idx, values, dict_len));
      const uint8_t* dictionary = dictionary_.data();
      place([&](int64_t k, uint8_t* dst) { std::memcpy(dst, dictionary + 16 * idx[k], 16); });
    }
  } else {
    values_.resize(static_cast<size_t>(want));
    levels = reader->ReadBatch(want, defs, nullptr, values_.data(), &values);
    const auto* vals = values_.data();
    const int len = type_length_;
    place([&](int64_t k, uint8_t* dst) { big_endian_to_decimal128(vals[k].ptr, len, dst); });
  }
  if (defs == nullptr) levels = values;
  return levels;
}

arrow::Result<std::shared_ptr<arrow::Array>> ParquetDecimalColumn::read(int64_t rows) {
  ARROW_ASSIGN_OR_RAISE(auto data, arrow::AllocateBuffer(rows * 16, pool_));
  std::shared_ptr<arrow::Buffer> validity;
  if (max_def_level_ > 0) {
    ARROW_ASSIGN_OR_RAISE(validity, arrow::AllocateBitmap(rows, pool_));
  }
  int64_t nulls = 0;
  ARROW_RETURN_NOT_OK(read_rows(rows, [&](int64_t filled, int64_t want) {
    return read_some(want, data->mutable_data() + 16 * filled,
                     validity ? validity->mutable_data() : nullptr, filled, &nulls);
  }));
  if (nulls == 0) validity.reset();
  auto array_data =
      arrow::ArrayData::Make(type_, rows, {std::move(validity), std::move(data)}, nulls);
  return std::make_shared<arrow::Decimal128Array>(std::move(array_data));
}

}  // namespace quiver::datasource
