#include "quiver/exec/sort/sort_exec.h"

#include <arrow/util/byte_size.h>

#include <algorithm>

#include "quiver/exec/operator_stream.h"
#include "quiver/exec/sort/sort_batch.h"
#include "quiver/exec/sort/topk_filter.h"
#include "quiver/physical/memory_pool.h"

namespace quiver::exec {

namespace {

/// Buffers every input batch, sorts once at the end (or cuts back to `fetch` rows as the buffer
/// grows), then emits the result in batch_size slices.
class SortStream final : public OperatorStream {
 public:
  SortStream(std::shared_ptr<const SortExec> node, std::shared_ptr<physical::TaskContext> context,
             std::vector<physical::RecordBatchStreamPtr> inputs, int partition)
      : OperatorStream(node, context, node->schema()),
        sort_(std::move(node)),
        inputs_(std::move(inputs)),
        reservation_(context->memory_pool(),
                     "SortExec[partition " + std::to_string(partition) + "]") {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    if (!sorted_) {
      ARROW_RETURN_NOT_OK(consume_inputs());
      sorted_ = true;
    }
    if (result_ == nullptr || offset_ >= result_->num_rows()) {
      result_.reset();
      reservation_.free();
      return nullptr;
    }
    const int64_t length = std::min(context()->batch_size(), result_->num_rows() - offset_);
    auto out = result_->Slice(offset_, length);
    offset_ += length;
    return out;
  }

 private:
  arrow::Status consume_inputs() {
    const auto fetch = sort_->fetch();
    // Top-k: cut the buffer back to `fetch` rows whenever it holds this many rows.
    const int64_t compact_at =
        fetch.has_value() ? std::max<int64_t>(2 * *fetch, context()->batch_size()) : 0;
    for (auto& input : inputs_) {
      while (true) {
        ARROW_ASSIGN_OR_RAISE(auto batch, input->next());
        if (batch == nullptr) break;
        if (batch->num_rows() == 0) continue;
        ARROW_RETURN_NOT_OK(check_cancelled(*context(), "SortExec"));
        physical::ScopedTimer timer(metrics());
        if (threshold_ != nullptr) {
          ARROW_ASSIGN_OR_RAISE(
              batch, filter_topk_candidates(batch, sort_->ordering().front(), threshold_));
          if (batch->num_rows() == 0) continue;
        }
        ARROW_RETURN_NOT_OK(reservation_.grow(arrow::util::TotalBufferSize(*batch)));
        buffered_rows_ += batch->num_rows();
        buffer_.push_back(std::move(batch));
        if (fetch.has_value() && buffered_rows_ >= compact_at) ARROW_RETURN_NOT_OK(compact(fetch));
      }
      input.reset();  // release the input's resources as soon as it is drained
    }
    physical::ScopedTimer timer(metrics());
    ARROW_RETURN_NOT_OK(compact(fetch));
    result_ = buffer_.empty() ? nullptr : buffer_.front();
    buffer_.clear();
    return arrow::Status::OK();
  }

  // Replaces the buffer by one sorted batch (cut to `limit` rows).
  arrow::Status compact(std::optional<int64_t> limit) {
    if (buffer_.empty()) return arrow::Status::OK();
    std::shared_ptr<arrow::RecordBatch> all;
    if (buffer_.size() == 1) {
      all = buffer_.front();
    } else {
      ARROW_ASSIGN_OR_RAISE(all, arrow::ConcatenateRecordBatches(buffer_));
    }
    ARROW_ASSIGN_OR_RAISE(auto sorted, sort_batch(all, sort_->ordering(), limit));
    buffer_.clear();
    all.reset();
    buffered_rows_ = sorted->num_rows();
    if (limit.has_value() && *limit > 0 && sorted->num_rows() == *limit) {
      // The top-k is full: later rows worse than its last row on the first key cannot enter.
      ARROW_ASSIGN_OR_RAISE(auto key,
                            physical::evaluate_to_array(*sort_->ordering().front().expr, *sorted));
      ARROW_ASSIGN_OR_RAISE(threshold_, key->GetScalar(*limit - 1));
    }
    ARROW_RETURN_NOT_OK(reservation_.resize(arrow::util::TotalBufferSize(*sorted)));
    if (sorted->num_rows() > 0) buffer_.push_back(std::move(sorted));
    return arrow::Status::OK();
  }

  std::shared_ptr<const SortExec> sort_;
  std::vector<physical::RecordBatchStreamPtr> inputs_;
  physical::MemoryReservation reservation_;
  std::vector<std::shared_ptr<arrow::RecordBatch>> buffer_;
  int64_t buffered_rows_ = 0;
  std::shared_ptr<arrow::Scalar> threshold_;  // first-key value of the k-th row, once full
  bool sorted_ = false;
  std::shared_ptr<arrow::RecordBatch> result_;
  int64_t offset_ = 0;
};

}  // namespace

SortExec::SortExec(physical::LexOrdering ordering, physical::ExecutionPlanPtr input,
                   bool preserve_partitioning, std::optional<int64_t> fetch)
    : ordering_(std::move(ordering)),
      input_(std::move(input)),
      preserve_partitioning_(preserve_partitioning),
      fetch_(fetch) {
  properties_.schema = input_->schema();
  properties_.partitioning =
      physical::Partitioning::unknown(preserve_partitioning_ ? input_->output_partitions() : 1);
  if (preserve_partitioning_) {
    properties_.partitioning = input_->properties().partitioning;
    properties_.hash_keys = input_->properties().hash_keys;
  }
  properties_.output_ordering = ordering_;
  properties_.emission = physical::EmissionType::kFinal;
  properties_.boundedness = input_->properties().boundedness;
}

arrow::Result<std::shared_ptr<SortExec>> SortExec::Make(physical::LexOrdering ordering,
                                                        physical::ExecutionPlanPtr input,
                                                        bool preserve_partitioning,
                                                        std::optional<int64_t> fetch) {
  if (ordering.empty()) return arrow::Status::UnknownError("SortExec: no sort keys");
  for (const auto& key : ordering) {
    ARROW_RETURN_NOT_OK(key.expr->data_type(*input->schema()).status());
  }
  if (fetch.has_value() && *fetch < 0) {
    return arrow::Status::UnknownError("SortExec: negative fetch ", *fetch);
  }
  return std::shared_ptr<SortExec>(
      new SortExec(std::move(ordering), std::move(input), preserve_partitioning, fetch));
}

arrow::Result<physical::ExecutionPlanPtr> SortExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(ordering_, std::move(children[0]), preserve_partitioning_, fetch_);
}

arrow::Result<physical::RecordBatchStreamPtr> SortExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  std::vector<physical::RecordBatchStreamPtr> inputs;
  if (preserve_partitioning_) {
    ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(partition, context));
    inputs.push_back(std::move(input));
  } else {
    for (int p = 0; p < input_->output_partitions(); ++p) {
      ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(p, context));
      inputs.push_back(std::move(input));
    }
  }
  auto self = std::static_pointer_cast<const SortExec>(shared_from_this());
  return std::make_unique<SortStream>(std::move(self), context, std::move(inputs), partition);
}

std::string SortExec::display() const {
  std::string out = "SortExec: ";
  if (fetch_.has_value()) out += "TopK(fetch=" + std::to_string(*fetch_) + "), ";
  return out + "expr=" + physical::to_string(ordering_) + ", preserve_partitioning=[" +
         (preserve_partitioning_ ? "true" : "false") + "]";
}

}  // namespace quiver::exec
