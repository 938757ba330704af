#pragma once

#include <arrow/type_fwd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/datasource/data_source.h"
#include "quiver/datasource/file_group.h"
#include "quiver/datasource/file_source.h"
#include "quiver/logical/expr.h"

namespace quiver::datasource {

/// A scan over files of one format: one partition per file group; each partition reads its
/// group's files in order, applies the projection, and stops after `limit` rows.
///
/// Display: `file_groups={3 groups: [[a.parquet], [b.parquet], [c.parquet]]},
/// projection=[RainToday], limit=10, file_type=parquet, predicate=RainToday@19 = Yes`.
class FileScanConfig final : public DataSource {
 public:
  /// The parts of a scan.
  struct Options {
    std::shared_ptr<const FileSource> source;
    std::shared_ptr<arrow::Schema> table_schema;
    std::vector<FileGroup> file_groups;
    /// Indices into table_schema; nullopt = every column.
    std::optional<std::vector<int>> projection;
    /// Pushed-down predicates over table_schema (sources use them to skip data, inexactly).
    std::vector<logical::ExprPtr> filters;
    /// How the filters are shown after `predicate=` (empty = not shown).
    std::string predicate_display;
    /// Rows each partition needs at most.
    std::optional<int64_t> limit;
  };

  /// Creates a scan; fails when the projection does not fit the schema.
  static arrow::Result<std::shared_ptr<FileScanConfig>> Make(Options options);

  /// Returns the parts of the scan.
  const Options& options() const { return options_; }
  /// Returns the file groups (one per partition).
  const std::vector<FileGroup>& file_groups() const { return options_.file_groups; }
  /// Returns a copy reading other file groups (a task's share of the files).
  std::shared_ptr<FileScanConfig> with_file_groups(std::vector<FileGroup> groups) const;

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  int partition_count() const override { return static_cast<int>(options_.file_groups.size()); }
  arrow::Result<physical::RecordBatchStreamPtr> open(
      int partition, const std::shared_ptr<physical::TaskContext>& context,
      physical::MetricsSet& metrics) const override;
  std::string display() const override;

  /// Creates a scan with its output schema already computed; use Make().
  FileScanConfig(Options options, std::shared_ptr<arrow::Schema> schema)
      : options_(std::move(options)), schema_(std::move(schema)) {}

 private:
  Options options_;
  std::shared_ptr<arrow::Schema> schema_;
};

}  // namespace quiver::datasource
