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
  for (int64_t k = 0; k < values; ++k) bytes += value_at(k).len;
  const int64_t end = offsets[-1];
  if (end + bytes > std::numeric_limits<int32_t>::max()) {
    return arrow::Status::CapacityError("a batch of column '", column_name(),
                                        "' holds more than 2 GiB");
  }
  ARROW_RETURN_NOT_OK(data_.Reserve(bytes));
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
  int64_t nulls = 0;
  ARROW_RETURN_NOT_OK(read_rows(rows, [&](int64_t filled, int64_t want) {
    return read_some(want, offset_values + filled + 1,
                     validity ? validity->mutable_data() : nullptr, filled, &nulls);
  }));
  if (nulls == 0) validity.reset();
  ARROW_ASSIGN_OR_RAISE(auto data, data_.Finish());
  auto array_data = arrow::ArrayData::Make(
      type_, rows, {std::move(validity), std::move(offsets), std::move(data)}, nulls);
  return arrow::MakeArray(array_data);
}

}  // namespace quiver::datasource
