#pragma once

#include <arrow/buffer.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/datasource/json_stream/json_batch_builder.h"
#include "quiver/datasource/json_stream/record_splitter.h"

namespace quiver::datasource::json {

/// A source of raw JSON bytes, pulled chunk by chunk (an HTTP body, a file, a socket). Chunks may
/// cut records anywhere.
class ByteChunkStream {
 public:
  virtual ~ByteChunkStream() = default;
  /// Returns the next chunk, or nullptr at the end of the input.
  virtual arrow::Result<std::shared_ptr<arrow::Buffer>> next() = 0;
};

/// A ByteChunkStream over chunks held in memory (tests, benchmarks); JSON values given as
/// separate texts make an NDJSON stream with `values_as_ndjson`.
class VectorChunkStream final : public ByteChunkStream {
 public:
  /// Streams `chunks` in order.
  explicit VectorChunkStream(std::vector<std::string> chunks) : chunks_(std::move(chunks)) {}
  /// Returns the next chunk (copied), nullptr at the end.
  arrow::Result<std::shared_ptr<arrow::Buffer>> next() override;

 private:
  std::vector<std::string> chunks_;
  size_t index_ = 0;
};

/// Returns a stream of one chunk per JSON value (each value one NDJSON line).
std::unique_ptr<ByteChunkStream> values_as_ndjson(std::vector<std::string> values);

/// Reads batches of at most `batch_size` rows from a ByteChunkStream: splits records and converts
/// them as the chunks come, holding only the unfinished record's bytes and one batch's builders.
class JsonBatchReader {
 public:
  /// Reads `input` with `builder` (which fixes the output schema).
  JsonBatchReader(std::unique_ptr<ByteChunkStream> input, std::unique_ptr<JsonBatchBuilder> builder,
                  JsonFormat format, int64_t batch_size)
      : input_(std::move(input)),
        builder_(std::move(builder)),
        splitter_(format),
        batch_size_(batch_size < 1 ? 1 : batch_size) {}

  /// Returns the output schema.
  const std::shared_ptr<arrow::Schema>& schema() const { return builder_->output_schema(); }
  /// Returns the next batch, nullptr at the end.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next();
  /// Returns the number of records read from the input so far.
  int64_t records_read() const { return splitter_.records(); }

 private:
  std::unique_ptr<ByteChunkStream> input_;
  std::unique_ptr<JsonBatchBuilder> builder_;
  JsonRecordSplitter splitter_;
  int64_t batch_size_;
  bool input_done_ = false;
};

}  // namespace quiver::datasource::json
