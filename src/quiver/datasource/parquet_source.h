#pragma once

#include "quiver/datasource/file_source.h"

namespace quiver::datasource {

/// Parquet files, read with parquet::arrow::FileReader (flat decimal and string columns with the
/// faster ParquetDecimalColumn and ParquetStringColumn): only the projected columns are decoded,
/// row groups whose statistics rule out the pushed-down filters are skipped (counted in the
/// `row_groups_pruned` metric), and reading stops once a pushed-down limit is reached. The
/// schema, row counts and column statistics (min, max, NULL count) come from the footer. A
/// truncated or corrupted file is an error naming it.
class ParquetSource final : public FileSource {
 public:
  std::string_view file_type() const override { return "parquet"; }
  std::vector<std::string> extensions() const override { return {".parquet"}; }
  arrow::Result<std::shared_ptr<arrow::Schema>> infer_schema(const FileEntry& file) const override;
  arrow::Result<FileInspection> inspect_file(const FileEntry& file,
                                             const arrow::Schema* table_schema,
                                             const std::string* schema_from) const override;
  std::vector<catalog::FilterPushdown> supports_filters_pushdown(
      const std::vector<logical::ExprPtr>& filters,
      const arrow::Schema& table_schema) const override;
  arrow::Result<physical::RecordBatchStreamPtr> open(const FileEntry& file,
                                                     const FileOpenArgs& args) const override;
};

}  // namespace quiver::datasource
