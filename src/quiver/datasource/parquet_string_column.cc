#include "quiver/datasource/parquet_string_column.h"

#include <arrow/array/array_binary.h>
#include <arrow/array/data.h>
#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/type.h>
#include <arrow/util/bit_util.h>

#include <cstring>
#include <limits>

namespace quiver::datasource {

namespace {

using ByteArrayReader = parquet::TypedColumnReader<parquet::ByteArrayType>;

// Bytes of slack after packed dictionary values and after the batch's bytes (see
// ParquetStringColumn::append_dictionary_values).
constexpr size_t kPadding = 16;

}  // namespace

bool ParquetStringColumn::supports(const parquet::ColumnDescriptor& descr,
                                   const arrow::DataType& type) {
  return (type.id() == arrow::Type::STRING || type.id() == arrow::Type::BINARY) &&
         descr.physical_type() == parquet::Type::BYTE_ARRAY && descr.max_repetition_level() == 0 &&
         descr.max_definition_level() <= 1;
}

ParquetStringColumn::ParquetStringColumn(parquet::ParquetFileReader* file, int column,
                                         std::vector<int> row_groups,
                                         std::shared_ptr<arrow::DataType> type,
                                         arrow::MemoryPool* pool)
    : ParquetDirectColumn(file, column, std::move(row_groups)),
      type_(std::move(type)),
      pool_(pool),
      data_(pool) {}

void ParquetStringColumn::pack_dictionary(const parquet::ByteArray* dict, int32_t len) {
  if (dict == dict_source_ && len == dict_source_len_) return;
  int64_t bytes = 0;
  for (int32_t i = 0; i < len; ++i) bytes += dict[i].len;
  dict_bytes_.resize(static_cast<size_t>(bytes) + kPadding);
  dict_offsets_.resize(static_cast<size_t>(len) + 1);
  int64_t pos = 0;
  for (int32_t i = 0; i < len; ++i) {
    dict_offsets_[static_cast<size_t>(i)] = static_cast<int32_t>(pos);
    if (dict[i].len > 0) std::memcpy(dict_bytes_.data() + pos, dict[i].ptr, dict[i].len);
    pos += dict[i].len;
  }
  dict_offsets_[static_cast<size_t>(len)] = static_cast<int32_t>(pos);
  std::memset(dict_bytes_.data() + pos, 0, kPadding);
  dict_source_ = dict;
  dict_source_len_ = len;
}

void ParquetStringColumn::append_dictionary_values(const int32_t* idx, int64_t values,
                                                   int32_t* offsets) {
  // The caller reserved the values' bytes plus kPadding, so a 16-byte move of a shorter value
  // stays inside the buffer; the packed dictionary is padded the same way.
  const uint8_t* source = dict_bytes_.data();
  const int32_t* bounds = dict_offsets_.data();
  uint8_t* out = data_.mutable_data() + data_.length();
  int32_t pos = offsets[-1];
  int64_t written = 0;
  for (int64_t k = 0; k < values; ++k) {
    const int32_t v = idx[k];
    const int32_t begin = bounds[v];
    const int32_t len = bounds[v + 1] - begin;
    if (len <= static_cast<int32_t>(kPadding)) {
      std::memcpy(out + written, source + begin, kPadding);
    } else {
      std::memcpy(out + written, source + begin, static_cast<size_t>(len));
    }
    written += len;
    pos += len;
    offsets[k] = pos;
  }
  data_.UnsafeAdvance(written);
}

arrow::Result<int64_t> ParquetStringColumn::read_some(int64_t want, int32_t* offsets,
                                                      uint8_t* validity, int64_t offset,
                                                      int64_t* nulls) {
  int16_t* defs = def_levels(want);
  auto* reader = static_cast<ByteArrayReader*>(chunk_.get());
  int64_t levels = 0;
  int64_t values = 0;
  const parquet::ByteArray* dict = nullptr;
  int32_t dict_len = 0;
  const int32_t* idx = nullptr;
  if (chunk_is_dictionary_) {
    indices_.resize(static_cast<size_t>(want));
    levels = reader->ReadBatchWithDictionary(want, defs, nullptr, indices_.data(), &values, &dict,
                                             &dict_len);
    idx = indices_.data();
    if (values > 0) {
      if (dict == nullptr) return arrow::Status::IOError("dictionary page missing");
      ARROW_RETURN_NOT_OK(check_indices(idx, values, dict_len));
    }
  } else {
    values_.resize(static_cast<size_t>(want));
    levels = reader->ReadBatch(want, defs, nullptr, values_.data(), &values);
  }
  if (defs == nullptr) levels = values;
  const parquet::ByteArray* plain = values_.data();
  auto value_at = [&](int64_t k) -> const parquet::ByteArray& {
    return idx != nullptr ? dict[idx[k]] : plain[k];
  };

  // The bytes first (one reservation), then the offsets.
  int64_t bytes = 0;
  if (idx != nullptr && values > 0) {
    pack_dictionary(dict, dict_len);
    const int32_t* bounds = dict_offsets_.data();
    for (int64_t k = 0; k < values; ++k) bytes += bounds[idx[k] + 1] - bounds[idx[k]];
  } else {
    for (int64_t k = 0; k < values; ++k) bytes += value_at(k).len;
  }
  const int64_t end = offsets[-1];
  if (end + bytes > std::numeric_limits<int32_t>::max()) {
    return arrow::Status::CapacityError("a batch of column '", column_name(),
                                        "' holds more than 2 GiB");
  }
  ARROW_RETURN_NOT_OK(data_.Reserve(bytes + kPadding));
  if (idx != nullptr && defs == nullptr) {
    append_dictionary_values(idx, levels, offsets);
    return levels;
  }
  auto append = [&](int64_t k, int64_t row, int32_t& pos) {
    const parquet::ByteArray& v = value_at(k);
    data_.UnsafeAppend(v.ptr, v.len);
    pos += static_cast<int32_t>(v.len);
    offsets[row] = pos;
  };
  auto pos = static_cast<int32_t>(end);
  if (defs == nullptr) {
    for (int64_t i = 0; i < levels; ++i) append(i, i, pos);
    return levels;
  }
  int64_t k = 0;
  for (int64_t i = 0; i < levels; ++i) {
    if (defs[i] == max_def_level_) {
      append(k++, i, pos);
      arrow::bit_util::SetBit(validity, offset + i);
    } else {
      offsets[i] = pos;
      arrow::bit_util::ClearBit(validity, offset + i);
      ++*nulls;
    }
  }
  return levels;
}

arrow::Result<std::shared_ptr<arrow::Array>> ParquetStringColumn::read(int64_t rows) {
  ARROW_ASSIGN_OR_RAISE(auto offsets, arrow::AllocateBuffer((rows + 1) * 4, pool_));
  auto* offset_values = reinterpret_cast<int32_t*>(offsets->mutable_data());
  offset_values[0] = 0;
  std::shared_ptr<arrow::Buffer> validity;
  if (max_def_level_ > 0) {
    ARROW_ASSIGN_OR_RAISE(validity, arrow::AllocateBitmap(rows, pool_));
  }
  data_.Reset();
  // A batch like the last ones fits without the buffer growing (copying) page by page.
  if (bytes_per_row_ > 0) {
    ARROW_RETURN_NOT_OK(data_.Reserve(static_cast<int64_t>(bytes_per_row_ * 1.05 * rows) +
                                      static_cast<int64_t>(kPadding)));
  }
  int64_t nulls = 0;
  ARROW_RETURN_NOT_OK(read_rows(rows, [&](int64_t filled, int64_t want) {
    return read_some(want, offset_values + filled + 1,
                     validity ? validity->mutable_data() : nullptr, filled, &nulls);
  }));
  if (nulls == 0) validity.reset();
  if (rows > 0) bytes_per_row_ = static_cast<double>(data_.length()) / static_cast<double>(rows);
  ARROW_ASSIGN_OR_RAISE(auto data, data_.Finish());
  auto array_data = arrow::ArrayData::Make(
      type_, rows, {std::move(validity), std::move(offsets), std::move(data)}, nulls);
  return arrow::MakeArray(array_data);
}

}  // namespace quiver::datasource
