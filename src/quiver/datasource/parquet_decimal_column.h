#pragma once

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

/// Reads one flat FIXED_LEN_BYTE_ARRAY decimal column of a Parquet file straight into
/// Decimal128 arrays, bypassing parquet::arrow's generic path (which decodes every value through
/// a builder and converts each big-endian value on its own). A fully dictionary-encoded column
/// chunk is read as dictionary indices: its dictionary is converted once and the indices are
/// gathered; any other chunk is read value by value with a tight big-endian conversion. Nulls
/// come from the definition levels.
///
/// The column is read across the given row groups in order, so it stays aligned with a
/// parquet::arrow reader over the same row groups however that reader cuts its batches.
class ParquetDecimalColumn final : public ParquetDirectColumn {
 public:
  /// Returns whether `descr` (the Parquet leaf) read as `type` (its Arrow type) can be read by
  /// this class: a flat (not repeated, at most optional) FIXED_LEN_BYTE_ARRAY of at most 16
  /// bytes read as decimal128.
  static bool supports(const parquet::ColumnDescriptor& descr, const arrow::DataType& type);

  /// Reads leaf `column` of `file` over `row_groups` as `type` (a decimal128 type). `file` must
  /// outlive this object.
  ParquetDecimalColumn(parquet::ParquetFileReader* file, int column, std::vector<int> row_groups,
                       std::shared_ptr<arrow::DataType> type, arrow::MemoryPool* pool);

  /// Returns the next `rows` values; an error if the column ends before them (the file's row
  /// groups disagree on their row counts) or holds a dictionary index out of range.
  arrow::Result<std::shared_ptr<arrow::Array>> read(int64_t rows) override;

 private:
  // Forgets the converted dictionary (it belonged to the previous chunk).
  void on_new_chunk() override;
  // Converts the dictionary `dict` (of `len` entries) once per column chunk.
  void convert_dictionary(const parquet::FixedLenByteArray* dict, int32_t len);
  // Reads up to `want` levels into out[0..), setting validity bits from bit `offset`; returns
  // the levels read and adds the nulls found to *nulls.
  arrow::Result<int64_t> read_some(int64_t want, uint8_t* out, uint8_t* validity, int64_t offset,
                                   int64_t* nulls);

  std::shared_ptr<arrow::DataType> type_;
  arrow::MemoryPool* pool_;
  int type_length_;

  const parquet::FixedLenByteArray* dict_source_ = nullptr;  // the dictionary converted below
  int32_t dict_source_len_ = -1;
  std::vector<uint8_t> dictionary_;  // 16 bytes per entry, little-endian Decimal128

  std::vector<parquet::FixedLenByteArray> values_;
};

}  // namespace quiver::datasource
