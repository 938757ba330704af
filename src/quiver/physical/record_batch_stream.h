#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <functional>
#include <memory>
#include <vector>

namespace quiver::physical {

/// A pull-based stream of record batches: the output of one partition of an ExecutionPlan.
///
/// Concurrency contract: one consumer calls next() from one thread at a time. Destroying the
/// stream before its end cancels the work under it (producer threads stop, remote tasks end);
/// destruction must not block for long.
class RecordBatchStream {
 public:
  virtual ~RecordBatchStream() = default;
  /// Returns the schema every batch of this stream has.
  virtual std::shared_ptr<arrow::Schema> schema() const = 0;
  /// Returns the next batch, or nullptr at the end of the stream. After an error or the end,
  /// further calls return the end again.
  virtual arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() = 0;
};

using RecordBatchStreamPtr = std::unique_ptr<RecordBatchStream>;

/// Returns a stream over batches already in memory.
RecordBatchStreamPtr make_vector_stream(std::shared_ptr<arrow::Schema> schema,
                                        std::vector<std::shared_ptr<arrow::RecordBatch>> batches);

/// Returns a stream whose next() calls `generate` (which returns nullptr at the end).
RecordBatchStreamPtr make_generator_stream(
    std::shared_ptr<arrow::Schema> schema,
    std::function<arrow::Result<std::shared_ptr<arrow::RecordBatch>>()> generate);

/// Drains a stream into a vector of batches.
arrow::Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> collect_stream(
    RecordBatchStream& stream);

}  // namespace quiver::physical
