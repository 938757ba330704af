#pragma once

#include <arrow/result.h>
#include <arrow/type_fwd.h>
#include <parquet/column_reader.h>
#include <parquet/file_reader.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace quiver::datasource {

/// A Parquet column that quiver decodes itself instead of parquet::arrow (where that is much
/// faster): ParquetDecimalColumn, ParquetStringColumn. It reads its column chunks over the same
/// row groups as the parquet::arrow reader of the file's other columns, in step with it. This
/// base walks the column chunks; subclasses decode the values.
class ParquetDirectColumn {
 public:
  virtual ~ParquetDirectColumn() = default;
  /// Returns the next `rows` values; an error if the column ends before them or is corrupt.
  virtual arrow::Result<std::shared_ptr<arrow::Array>> read(int64_t rows) = 0;

 protected:
  /// Reads leaf `column` of `file` (which must outlive this object) over `row_groups`.
  ParquetDirectColumn(parquet::ParquetFileReader* file, int column, std::vector<int> row_groups);

  /// Calls `read_some(filled, want)` until `rows` levels are read, moving to the next column
  /// chunk as each ends; `read_some` reads up to `want` levels of the current chunk (`chunk_`)
  /// into rows `filled...` and returns how many. Errors name the column: a column that ends
  /// before `rows`, a chunk that makes no progress, and parquet's exceptions (corrupt data).
  arrow::Status read_rows(int64_t rows,
                          const std::function<arrow::Result<int64_t>(int64_t, int64_t)>& read_some);
  /// Returns a buffer for `want` definition levels, or null for a required column.
  int16_t* def_levels(int64_t want);
  /// Checks that the `n` dictionary indices at `idx` are below `dict_len`.
  static arrow::Status check_indices(const int32_t* idx, int64_t n, int32_t dict_len);
  /// Returns the column's name (for errors).
  std::string column_name() const;
  /// Called when a new column chunk becomes `chunk_` (to drop per-chunk caches).
  virtual void on_new_chunk() {}

  parquet::ParquetFileReader* file_;
  int column_;
  int16_t max_def_level_;
  std::shared_ptr<parquet::ColumnReader> chunk_;  ///< the current column chunk
  bool chunk_is_dictionary_ = false;              ///< fully dictionary-encoded
  std::vector<int32_t> indices_;                  ///< dictionary indices of one read

 private:
  // Moves to the next row group with values left; false when there is none.
  bool next_chunk();

  std::vector<int> row_groups_;
  size_t next_row_group_ = 0;
  std::vector<int16_t> def_levels_;
};

}  // namespace quiver::datasource
