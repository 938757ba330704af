#include "quiver/datasource/parquet_direct_column.h"

#include <parquet/metadata.h>
#include <parquet/schema.h>

#include <exception>

namespace quiver::datasource {

ParquetDirectColumn::ParquetDirectColumn(parquet::ParquetFileReader* file, int column,
                                         std::vector<int> row_groups)
    : file_(file), column_(column), row_groups_(std::move(row_groups)) {
  max_def_level_ = file_->metadata()->schema()->Column(column_)->max_definition_level();
}

std::string ParquetDirectColumn::column_name() const {
  return file_->metadata()->schema()->Column(column_)->name();
}

bool ParquetDirectColumn::next_chunk() {
  while (chunk_ == nullptr || !chunk_->HasNext()) {
    if (next_row_group_ >= row_groups_.size()) return false;
    auto row_group = file_->RowGroup(row_groups_[next_row_group_++]);
    chunk_ = row_group->ColumnWithExposeEncoding(column_, parquet::ExposedEncoding::DICTIONARY);
    chunk_is_dictionary_ = chunk_->GetExposedEncoding() == parquet::ExposedEncoding::DICTIONARY;
    on_new_chunk();
  }
  return true;
}

int16_t* ParquetDirectColumn::def_levels(int64_t want) {
  if (max_def_level_ == 0) return nullptr;
  def_levels_.resize(static_cast<size_t>(want));
  return def_levels_.data();
}

arrow::Status ParquetDirectColumn::check_indices(const int32_t* idx, int64_t n, int32_t dict_len) {
  uint32_t bad = 0;
  for (int64_t k = 0; k < n; ++k) {
    bad |= static_cast<uint32_t>(static_cast<uint32_t>(idx[k]) >= static_cast<uint32_t>(dict_len));
  }
  if (bad != 0) return arrow::Status::IOError("dictionary index out of range");
  return arrow::Status::OK();
}

arrow::Status ParquetDirectColumn::read_rows(
    int64_t rows, const std::function<arrow::Result<int64_t>(int64_t, int64_t)>& read_some) {
  int64_t filled = 0;
  // parquet's readers throw on corrupt data (also from HasNext and when opening a chunk).
  try {
    while (filled < rows) {
      if (!next_chunk()) {
        return arrow::Status::IOError("column '", column_name(),
                                      "' ended before the other columns");
      }
      ARROW_ASSIGN_OR_RAISE(int64_t got, read_some(filled, rows - filled));
      if (got == 0 && chunk_->HasNext()) {
        return arrow::Status::IOError("column '", column_name(), "' made no progress");
      }
      filled += got;
    }
  } catch (const std::exception& e) {
    return arrow::Status::IOError(e.what());
  }
  return arrow::Status::OK();
}

}  // namespace quiver::datasource
