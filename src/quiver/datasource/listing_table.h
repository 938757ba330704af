#pragma once

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/catalog/table_provider.h"
#include "quiver/datasource/file_listing.h"
#include "quiver/datasource/file_source.h"

namespace quiver::datasource {

/// A table over files of one format named by a path (a file, a directory, or a glob). The files
/// are listed once, when the table is made; each scan splits them into file groups (one per
/// partition, up to `execution.target_partitions`) and reads them with a DataSourceExec.
class ListingTable final : public catalog::TableProvider {
 public:
  /// Lists `path` and fixes the schema: `schema` when given, else the first file's. Every other
  /// file is checked against it where that is cheap (Parquet footers); a mismatch is a user
  /// error naming both files. A path with no files of the format is an error unless a schema
  /// is given.
  static arrow::Result<std::shared_ptr<ListingTable>> Make(
      std::string path, std::shared_ptr<const FileSource> source,
      std::shared_ptr<arrow::Schema> schema = nullptr);

  /// Returns the path the table was made from.
  const std::string& path() const { return path_; }
  /// Returns the files, sorted by path.
  const std::vector<FileEntry>& files() const { return files_; }
  /// Returns the file format.
  const std::shared_ptr<const FileSource>& source() const { return source_; }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs& args) const override;
  std::vector<catalog::FilterPushdown> supports_filters_pushdown(
      const std::vector<logical::ExprPtr>& filters) const override;
  std::optional<int64_t> num_rows() const override { return statistics_.num_rows; }
  catalog::ColumnStatistics column_statistics(int index) const override;
  bool supports_empty_projection() const override { return true; }

  /// Creates a table from parts already checked; use Make().
  ListingTable(std::string path, std::shared_ptr<const FileSource> source,
               std::vector<FileEntry> files, std::shared_ptr<arrow::Schema> schema,
               catalog::TableStatistics statistics)
      : path_(std::move(path)),
        source_(std::move(source)),
        files_(std::move(files)),
        schema_(std::move(schema)),
        statistics_(std::move(statistics)) {}

 private:
  std::string path_;
  std::shared_ptr<const FileSource> source_;
  std::vector<FileEntry> files_;
  std::shared_ptr<arrow::Schema> schema_;
  catalog::TableStatistics statistics_;  // from the files' metadata, merged
};

/// Returns the format for a path's extension (.parquet, .csv, .json/.ndjson/.jsonl); for a
/// directory, the extension of its files. Unknown extensions are a user error naming the path.
arrow::Result<std::shared_ptr<const FileSource>> source_for_path(const std::string& path);

}  // namespace quiver::datasource
