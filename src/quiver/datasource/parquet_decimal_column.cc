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
    : file_(file),
      column_(column),
      row_groups_(std::move(row_groups)),
      type_(std::move(type)),
      pool_(pool) {
  const auto* descr = file_->metadata()->schema()->Column(column_);
  type_length_ = descr->type_length();
  max_def_level_ = descr->max_definition_level();
}

bool ParquetDecimalColumn::next_chunk() {
  while (chunk_ == nullptr || !chunk_->HasNext()) {
    if (next_row_group_ >= row_groups_.size()) return false;
    auto row_group = file_->RowGroup(row_groups_[next_row_group_++]);
    chunk_ = row_group->ColumnWithExposeEncoding(column_, parquet::ExposedEncoding::DICTIONARY);
    chunk_is_dictionary_ = chunk_->GetExposedEncoding() == parquet::ExposedEncoding::DICTIONARY;
    dict_source_ = nullptr;
    dict_source_len_ = -1;
  }
  return true;
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
  int16_t* defs = nullptr;
  if (max_def_level_ > 0) {
    def_levels_.resize(static_cast<size_t>(want));
    defs = def_levels_.data();
  }
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
      uint32_t bad = 0;
      for (int64_t k = 0; k < values; ++k) {
        bad |=
            static_cast<uint32_t>(static_cast<uint32_t>(idx[k]) >= static_cast<uint32_t>(dict_len));
      }
      if (bad != 0) return arrow::Status::IOError("dictionary index out of range");
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
  int64_t filled = 0;
  int64_t nulls = 0;
  // parquet's readers throw on corrupt data (also from HasNext and when opening a chunk).
  try {
    while (filled < rows) {
      if (!next_chunk()) {
        return arrow::Status::IOError("column '",
                                      file_->metadata()->schema()->Column(column_)->name(),
                                      "' ended before the other columns");
      }
      int64_t got = 0;
      ARROW_ASSIGN_OR_RAISE(
          got, read_some(rows - filled, data->mutable_data() + 16 * filled,
                         validity ? validity->mutable_data() : nullptr, filled, &nulls));
      if (got == 0 && chunk_->HasNext()) {
        return arrow::Status::IOError(
            "column '", file_->metadata()->schema()->Column(column_)->name(), "' made no progress");
      }
      filled += got;
    }
  } catch (const std::exception& e) {
    return arrow::Status::IOError(e.what());
  }
  if (nulls == 0) validity.reset();
  auto array_data =
      arrow::ArrayData::Make(type_, rows, {std::move(validity), std::move(data)}, nulls);
  return std::make_shared<arrow::Decimal128Array>(std::move(array_data));
}

}  // namespace quiver::datasource
