#pragma once

#include <arrow/io/type_fwd.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quiver::datasource {

/// The file formats a FileSink writes.
enum class SinkFormat {
  kParquet,  ///< Apache Parquet (parquet::arrow::FileWriter), the Arrow schema stored.
  kCsv,      ///< CSV (arrow::csv writer); NULL is an empty field, strings are quoted.
  kJson,     ///< Newline-delimited JSON: one object per row.
};

/// Parquet page compression of a FileSink.
enum class SinkCompression { kSnappy, kZstd, kNone };

/// How a FileSink writes its file.
struct FileSinkOptions {
  SinkFormat format = SinkFormat::kParquet;
  /// CSV: whether the first line names the columns.
  bool csv_header = true;
  /// CSV: the field separator.
  char csv_delimiter = ',';
  /// Parquet: the page compression.
  SinkCompression compression = SinkCompression::kSnappy;
};

/// Builds the options of a sink writing to `path` from `(name, value)` pairs as written in
/// `COPY ... TO path (name value, ...)`: FORMAT parquet|csv|json|ndjson (inferred from the
/// extension of `path` when absent: .parquet, .csv, .json, .ndjson), HEADER and DELIMITER (csv),
/// COMPRESSION snappy|zstd|none (parquet). Names are case-insensitive; an unknown name, a value
/// out of range or an option of another format is an error naming the option.
arrow::Result<FileSinkOptions> parse_file_sink_options(
    std::string_view path, const std::vector<std::pair<std::string, std::string>>& options);

/// Writes record batches to one file, atomically: the batches go to a temporary file in the
/// target's directory (`.<name>.tmp-<random>`), which commit() renames over the target. A sink
/// destroyed or aborted before commit() removes its temporary file, so a failed write leaves
/// neither a partial file nor the temporary one, and an existing target is only replaced on
/// success.
///
/// Thread-safety: not thread-safe; one writer at a time.
class FileSink {
 public:
  /// Creates the temporary file next to `path` and the format's writer for `schema`. Errors
  /// name `path` (for example when its directory is missing or not writable).
  static arrow::Result<std::unique_ptr<FileSink>> Make(std::string path,
                                                       std::shared_ptr<arrow::Schema> schema,
                                                       const FileSinkOptions& options);

  /// Removes the temporary file unless commit() succeeded.
  ~FileSink();

  FileSink(const FileSink&) = delete;
  FileSink& operator=(const FileSink&) = delete;

  /// Appends the rows of `batch` (which must have the sink's schema).
  arrow::Status write(const arrow::RecordBatch& batch);
  /// Finishes the file and renames it to the target path; on failure the temporary file is
  /// removed. Returns the number of rows written.
  arrow::Result<int64_t> commit();
  /// Drops what was written: closes and removes the temporary file. Idempotent.
  void abort();

  /// Returns the temporary file's path (for tests).
  const std::string& temp_path() const { return temp_path_; }

  /// The format-specific writer behind a sink.
  class Writer {
   public:
    virtual ~Writer() = default;
    /// Appends one batch.
    virtual arrow::Status write(const arrow::RecordBatch& batch) = 0;
    /// Writes the file's footer, if any (the stream is closed by the sink).
    virtual arrow::Status finish() = 0;
  };

 private:
  FileSink(std::string path, std::string temp_path);

  std::string path_;
  std::string temp_path_;
  std::shared_ptr<arrow::io::OutputStream> stream_;
  std::unique_ptr<Writer> writer_;
  int64_t rows_ = 0;
  bool done_ = false;
};

}  // namespace quiver::datasource
