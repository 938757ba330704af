#pragma once

#include <memory>

#include "quiver/datasource/file_source.h"

namespace quiver::datasource {

/// CSV files, read with arrow::csv::StreamingReader. The table schema is declared or inferred
/// from the first file's first block; without a header the columns are named `column_1`,
/// `column_2`, ... Empty fields are NULL. A row with the wrong number of fields fails with
/// `<path>: line <n>: Expected 3 columns, got 4: ...`.
class CsvSource final : public FileSource {
 public:
  /// Creates a source for files with or without a header line and the given delimiter.
  explicit CsvSource(bool has_header = true, char delimiter = ',')
      : has_header_(has_header), delimiter_(delimiter) {}

  /// Returns whether the files start with a header line.
  bool has_header() const { return has_header_; }
  /// Returns the field delimiter.
  char delimiter() const { return delimiter_; }

  std::string_view file_type() const override { return "csv"; }
  std::vector<std::string> extensions() const override { return {".csv"}; }
  arrow::Result<std::shared_ptr<arrow::Schema>> infer_schema(const FileEntry& file) const override;
  arrow::Result<physical::RecordBatchStreamPtr> open(const FileEntry& file,
                                                     const FileOpenArgs& args) const override;
  std::string display_options() const override;

 private:
  bool has_header_;
  char delimiter_;
};

/// Returns the 1-based line where the first record with other than `expected_fields` fields
/// starts (quotes may span lines), or 0 when every record has that many.
int64_t find_csv_field_count_mismatch(const std::string& text, char delimiter,
                                      int64_t expected_fields, bool skip_header);

}  // namespace quiver::datasource
