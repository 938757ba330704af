#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

arrow::Result<std::shared_ptr<arrow::RecordBatch>> OperatorStream::next() {
  if (done_) return nullptr;
  if (auto st = check_cancelled(*context_, node_->name()); !st.ok()) {
    done_ = true;
    return st;
  }
  auto result = poll_next();
  if (!result.ok() || *result == nullptr) {
    done_ = true;
    return result;
  }
  node_->metrics().add_output_rows((*result)->num_rows());
  return result;
}

arrow::Status check_cancelled(const physical::TaskContext& context, std::string_view where) {
  if (context.cancelled()) return arrow::Status::Cancelled(where, ": the query was cancelled");
  return arrow::Status::OK();
}

}  // namespace quiver::exec
