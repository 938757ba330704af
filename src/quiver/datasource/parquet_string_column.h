#pragma once

#include <arrow/buffer_builder.h>
#include <arrow/memory_pool.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>
#include <parquet/column_reader.h>
#include <parquet/file_reader.h>
#include <parquet/schema.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "quiver/datasource/parquet_direct_column.h"

namespace quiver::datasource {

/// Reads one flat BYTE_ARRAY column of a Parquet file read as utf8 or binary straight into
/// String/Binary arrays, bypassing parquet::arrow's per-value builder path: a fully
/// dictionary-encoded column chunk is read as indices into its dictionary (whose values are
/// copied out with one memcpy each), any other chunk value by value. Nulls come from the
/// definition levels. Like ParquetDecimalColumn, the column is read across the given row groups
/// in order, so it stays aligned with a parquet::arrow reader over the same row groups.
class ParquetStringColumn final : public ParquetDirectColumn {
 public:
  /// Returns whether `descr` (the Parquet leaf) read as `type` (its Arrow type) can be read by
  /// this class: a flat (not repeated, at most optional) BYTE_ARRAY read as utf8 or binary.
  static bool supports(const parquet::ColumnDescriptor& descr, const arrow::DataType& type);

  /// Reads leaf `column` of `file` over `row_groups` as `type` (utf8 or binary). `file` must
  /// outlive this object.
  ParquetStringColumn(parquet::ParquetFileReader* file, int column, std::vector<int> row_groups,
                      std::shared_ptr<arrow::DataType> type, arrow::MemoryPool* pool);

  /// Returns the next `rows` values; an error if the column ends before them, holds a
  /// dictionary index out of range, or its values pass 2 GiB in one batch.
  arrow::Result<std::shared_ptr<arrow::Array>> read(int64_t rows) override;

 private:
  // Reads up to `want` levels, appending their values to data_ and offsets from offsets[0]
  // (offsets[-1] holds the running end) and validity bits from bit `offset`; returns the levels
  // read and adds the nulls found to *nulls.
  arrow::Result<int64_t> read_some(int64_t want, int32_t* offsets, uint8_t* validity,
                                   int64_t offset, int64_t* nulls);

  // Copies a fully dictionary-encoded chunk's dictionary into dict_bytes_ / dict_offsets_ (once
  // per dictionary), padded so that short values can be copied with fixed 16-byte moves.
  void pack_dictionary(const parquet::ByteArray* dict, int32_t len);
  // Appends the dictionary values at `idx[0..values)` to data_ for levels without nulls.
  void append_dictionary_values(const int32_t* idx, int64_t values, int32_t* offsets);
  void on_new_chunk() override { dict_source_ = nullptr; }

  std::shared_ptr<arrow::DataType> type_;
  arrow::MemoryPool* pool_;

  const parquet::ByteArray* dict_source_ = nullptr;  // the dictionary packed below
  int32_t dict_source_len_ = 0;
  std::vector<uint8_t> dict_bytes_;    // the values back to back, then 16 bytes of padding
  std::vector<int32_t> dict_offsets_;  // value i is dict_bytes_[offsets[i], offsets[i + 1])

  arrow::BufferBuilder data_;  // the batch's value bytes
  double bytes_per_row_ = 0;   // of the batches read so far: the next batch's bytes reserved once
  std::vector<parquet::ByteArray> values_;
};

}  // namespace quiver::datasource
