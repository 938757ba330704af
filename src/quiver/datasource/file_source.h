#pragma once

#include <arrow/memory_pool.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/catalog/table_provider.h"
#include "quiver/datasource/file_listing.h"
#include "quiver/logical/expr.h"
#include "quiver/physical/metrics.h"
#include "quiver/physical/record_batch_stream.h"

namespace quiver::datasource {

/// What a scan asks of one file.
struct FileOpenArgs {
  /// The table's schema, which every file must have (the first file's, or declared).
  std::shared_ptr<arrow::Schema> table_schema;
  /// Columns to produce, as indices into table_schema; nullopt = all.
  std::optional<std::vector<int>> projection;
  /// Pushed-down predicates over table_schema's columns (a source may use them to skip data).
  std::vector<logical::ExprPtr> filters;
  /// Rows the scan still needs at most (a source may stop early; the scan trims anyway).
  std::optional<int64_t> limit;
  /// Target rows per batch.
  int64_t batch_size = 8192;
  /// The scan node's metrics, for source-specific counters.
  physical::MetricsSet* metrics = nullptr;
  /// Memory for the readers' buffers.
  arrow::MemoryPool* pool = arrow::default_memory_pool();
};

/// A file format: how to infer a table schema from a file, and how to read one file into
/// batches. Implementations: ParquetSource, CsvSource, JsonSource. Immutable and thread-safe.
///
/// Errors name the file: `<path>: <what went wrong>` (with the line where the format has lines).
class FileSource {
 public:
  virtual ~FileSource() = default;
  /// Returns the name shown as `file_type=` in plans ("parquet", "csv", "json").
  virtual std::string_view file_type() const = 0;
  /// Returns the extensions of the format's files, with the dot ({".parquet"}); a directory
  /// table reads the files that have one of them.
  virtual std::vector<std::string> extensions() const = 0;
  /// Reads a file's schema (from metadata or from its first rows).
  virtual arrow::Result<std::shared_ptr<arrow::Schema>> infer_schema(
      const FileEntry& file) const = 0;
  /// What one look at a file's metadata gives (FileSource::inspect_file).
  struct FileInspection {
    std::shared_ptr<arrow::Schema> schema;  ///< the table schema the statistics are about
    catalog::TableStatistics statistics;
  };
  /// Looks at a file's metadata once: returns what it says about its rows and the columns of the
  /// table schema (default: nothing known). `table_schema` null means the table's schema is
  /// this file's own (read with infer_schema; returned). Otherwise, when `schema_from` is set
  /// (where the table's schema comes from, as errors say it: "the schema of 'a.parquet'", "the
  /// declared schema"), first checks, where that is cheap, that the file's own schema is
  /// `table_schema`: an error names both otherwise. Only metadata is read (a Parquet footer,
  /// once), never the data.
  virtual arrow::Result<FileInspection> inspect_file(const FileEntry& file,
                                                     const arrow::Schema* table_schema,
                                                     const std::string* schema_from) const {
    FileInspection out;
    if (table_schema == nullptr) {
      ARROW_ASSIGN_OR_RAISE(out.schema, infer_schema(file));
    }
    return out;
  }
  /// Returns how the format handles each filter (default: unsupported).
  virtual std::vector<catalog::FilterPushdown> supports_filters_pushdown(
      const std::vector<logical::ExprPtr>& filters, const arrow::Schema& table_schema) const {
    return std::vector<catalog::FilterPushdown>(filters.size(),
                                                catalog::FilterPushdown::kUnsupported);
  }
  /// Opens one file; the stream yields batches of the projected table schema.
  virtual arrow::Result<physical::RecordBatchStreamPtr> open(const FileEntry& file,
                                                             const FileOpenArgs& args) const = 0;
  /// Returns extra plan text after `file_type=...` (e.g. `, has_header=false`), usually "".
  virtual std::string display_options() const { return ""; }
};

/// Returns the projected schema of `args` (table_schema itself without a projection).
arrow::Result<std::shared_ptr<arrow::Schema>> projected_schema(
    const arrow::Schema& table_schema, const std::optional<std::vector<int>>& projection);

/// Returns `status` with its message prefixed by `<path>: ` (same code).
arrow::Status with_file_context(const arrow::Status& status, const std::string& path);

}  // namespace quiver::datasource
