#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <memory>
#include <vector>

#include "quiver/datasource/json_stream/json_stream_options.h"
#include "quiver/datasource/json_stream/record_splitter.h"

namespace quiver::datasource::json {

class RecordConverter;

/// Turns JSON records straight into Arrow builders for a declared schema (simdjson On-Demand:
/// values are read once, into their builder; no DOM is built).
///
/// Types: integers (signed and unsigned), float32/float64, bool, utf8/large_utf8, date32 (from
/// "YYYY-MM-DD"), timestamp (from ISO-8601 strings, or integers in the column's unit),
/// decimal128 (from numbers or strings, rescaled without loss), struct (from objects) and list
/// (from arrays), nested freely. A missing field or JSON null gives null; null in a non-nullable
/// field is an error. Projection: the fields not selected are skipped by the parser, not built.
/// Errors name the record index, its byte offset and the field path.
class JsonBatchBuilder {
 public:
  /// Creates a builder for `schema`, producing the fields at `projection` (indices into
  /// `schema`; empty = all fields), plus the raw column under DriftPolicy::kRaw.
  static arrow::Result<std::unique_ptr<JsonBatchBuilder>> Make(
      std::shared_ptr<arrow::Schema> schema, std::vector<int> projection,
      const JsonParseOptions& options);
  ~JsonBatchBuilder();

  /// Returns the schema of the batches produced.
  const std::shared_ptr<arrow::Schema>& output_schema() const { return output_schema_; }
  /// Parses one record and appends it as one row.
  arrow::Status append(const JsonRecord& record);
  /// Returns the number of rows appended since the last flush.
  int64_t num_rows() const { return num_rows_; }
  /// Returns the rows appended since the last flush as a batch (possibly empty) and resets.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> flush();

 private:
  JsonBatchBuilder() = default;

  std::shared_ptr<arrow::Schema> output_schema_;
  std::unique_ptr<RecordConverter> converter_;
  int64_t num_rows_ = 0;
};

}  // namespace quiver::datasource::json
