#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

/// The stream shared by LocalLimitExec and GlobalLimitExec: skips `skip` rows, then passes at
/// most `fetch` rows, and releases its input as soon as the limit is reached (which cancels the
/// work under it).
class LimitStream final : public OperatorStream {
 public:
  /// Creates a stream limiting `input`.
  LimitStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
              physical::RecordBatchStreamPtr input, int64_t skip, std::optional<int64_t> fetch);

 protected:
  /// Returns the next limited batch.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override;

 private:
  physical::RecordBatchStreamPtr input_;
  int64_t to_skip_;
  std::optional<int64_t> remaining_;
};

}  // namespace quiver::exec
