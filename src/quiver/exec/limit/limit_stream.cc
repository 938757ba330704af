#include "quiver/exec/limit/limit_stream.h"

#include <algorithm>

namespace quiver::exec {

LimitStream::LimitStream(physical::ExecutionPlanPtr node,
                         std::shared_ptr<physical::TaskContext> context,
                         physical::RecordBatchStreamPtr input, int64_t skip,
                         std::optional<int64_t> fetch)
    : OperatorStream(std::move(node), std::move(context), input->schema()),
      input_(std::move(input)),
      to_skip_(skip),
      remaining_(fetch) {}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> LimitStream::poll_next() {
  while (true) {
    if (remaining_.has_value() && *remaining_ <= 0) {
      input_.reset();  // stop the work under this stream early
      return nullptr;
    }
    ARROW_ASSIGN_OR_RAISE(auto batch, input_->next());
    if (batch == nullptr) return nullptr;
    if (to_skip_ > 0) {
      if (batch->num_rows() <= to_skip_) {
        to_skip_ -= batch->num_rows();
        continue;
      }
      batch = batch->Slice(to_skip_);
      to_skip_ = 0;
    }
    if (remaining_.has_value()) {
      if (batch->num_rows() > *remaining_) batch = batch->Slice(0, *remaining_);
      *remaining_ -= batch->num_rows();
    }
    if (batch->num_rows() == 0) continue;
    return batch;
  }
}

}  // namespace quiver::exec
