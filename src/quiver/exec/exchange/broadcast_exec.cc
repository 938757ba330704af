#include "quiver/exec/exchange/broadcast_exec.h"

#include <arrow/record_batch.h>
#include <arrow/util/byte_size.h>

#include <algorithm>
#include <condition_variable>
#include <optional>
#include <string>

#include "quiver/physical/memory_pool.h"

namespace quiver::exec {

using physical::ExecutionPlanPtr;
using physical::RecordBatchStreamPtr;

/// One input partition's batches: filled by the first consumer, replayed by the others.
struct BroadcastExec::Buffer {
  std::mutex mutex;
  std::condition_variable filled_cv;
  bool started = false;                 // a consumer is executing the input partition
  std::optional<arrow::Status> status;  // set when filling ended (OK or the error)
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  std::unique_ptr<physical::MemoryReservation> reservation;
  int finished = 0;  // consumers done with the buffer
};

namespace {

/// Replays a filled buffer, then tells the node this consumer finished.
class ReplayStream : public physical::RecordBatchStream {
 public:
  ReplayStream(std::shared_ptr<arrow::Schema> schema, std::shared_ptr<BroadcastExec::Buffer> buffer,
               std::function<void()> on_done)
      : schema_(std::move(schema)), buffer_(std::move(buffer)), on_done_(std::move(on_done)) {}
  ~ReplayStream() override { done(); }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (buffer_ == nullptr) return nullptr;
    if (next_ < buffer_->batches.size()) return buffer_->batches[next_++];
    done();
    return nullptr;
  }

 private:
  void done() {
    if (buffer_ == nullptr) return;
    buffer_ = nullptr;
    on_done_();
  }

  std::shared_ptr<arrow::Schema> schema_;
  std::shared_ptr<BroadcastExec::Buffer> buffer_;
  std::function<void()> on_done_;
  size_t next_ = 0;
};

}  // namespace

BroadcastExec::BroadcastExec(ExecutionPlanPtr input, int consumers)
    : input_(std::move(input)), consumers_(consumers) {
  properties_.schema = input_->schema();
  properties_.partitioning =
      physical::Partitioning::unknown(std::max(1, input_->output_partitions()) * consumers_);
  properties_.emission = physical::EmissionType::kFinal;
}

arrow::Result<std::shared_ptr<BroadcastExec>> BroadcastExec::Make(ExecutionPlanPtr input,
                                                                  int consumers) {
  if (input == nullptr) return arrow::Status::UnknownError("BroadcastExec without an input");
  if (consumers < 1) {
    return arrow::Status::UnknownError("BroadcastExec needs at least one consumer, not ",
                                       consumers);
  }
  return std::shared_ptr<BroadcastExec>(new BroadcastExec(std::move(input), consumers));
}

arrow::Result<ExecutionPlanPtr> BroadcastExec::with_new_children(
    std::vector<ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(std::move(children[0]), consumers_);
}

std::shared_ptr<BroadcastExec::Buffer> BroadcastExec::buffer_for(
    const physical::TaskContext* context, int p) const {
  std::lock_guard lock(mutex_);
  for (const auto& [key, buffer] : buffers_) {
    if (key.first == context && key.second == p) return buffer;
  }
  auto buffer = std::make_shared<Buffer>();
  buffers_.push_back({{context, p}, buffer});
  return buffer;
}

void BroadcastExec::release(const physical::TaskContext* context, int p) const {
  std::lock_guard lock(mutex_);
  std::erase_if(buffers_, [&](const auto& entry) {
    return entry.first.first == context && entry.first.second == p;
  });
}

arrow::Result<RecordBatchStreamPtr> BroadcastExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  const int p = partition % std::max(1, input_->output_partitions());
  auto buffer = buffer_for(context.get(), p);
  std::unique_lock lock(buffer->mutex);
  if (!buffer->started) {
    // This consumer fills the buffer; the others wait for it below.
    buffer->started = true;
    lock.unlock();
    arrow::Status status = [&]() -> arrow::Status {
      physical::ScopedTimer timer(metrics());
      ARROW_ASSIGN_OR_RAISE(auto stream, input_->execute(p, context));
      auto reservation = std::make_unique<physical::MemoryReservation>(
          context->memory_pool(), "BroadcastExec[partition " + std::to_string(p) + "]");
      std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
      while (true) {
        if (context->cancelled()) return arrow::Status::Cancelled("query cancelled");
        ARROW_ASSIGN_OR_RAISE(auto batch, stream->next());
        if (batch == nullptr) break;
        ARROW_RETURN_NOT_OK(
            reservation->grow(static_cast<int64_t>(arrow::util::TotalBufferSize(*batch))));
        batches.push_back(std::move(batch));
      }
      std::lock_guard fill_lock(buffer->mutex);
      buffer->batches = std::move(batches);
      buffer->reservation = std::move(reservation);
      return arrow::Status::OK();
    }();
    lock.lock();
    buffer->status = status;
    buffer->filled_cv.notify_all();
  } else {
    buffer->filled_cv.wait(lock, [&] { return buffer->status.has_value(); });
  }
  if (!buffer->status->ok()) {
    const arrow::Status error = *buffer->status;
    lock.unlock();
    release(context.get(), p);
    return error;
  }
  int64_t rows = 0;
  for (const auto& batch : buffer->batches) rows += batch->num_rows();
  lock.unlock();
  metrics().add_output_rows(rows);
  auto on_done = [self = std::static_pointer_cast<const BroadcastExec>(shared_from_this()), buffer,
                  ctx = context.get(), p]() {
    std::lock_guard done_lock(buffer->mutex);
    if (++buffer->finished == self->consumers_) {
      buffer->batches.clear();
      buffer->reservation.reset();
      self->release(ctx, p);
    }
  };
  return RecordBatchStreamPtr(
      std::make_unique<ReplayStream>(schema(), std::move(buffer), std::move(on_done)));
}

std::string BroadcastExec::display() const {
  return "BroadcastExec: input_partitions=" + std::to_string(input_->output_partitions()) +
         ", consumers=" + std::to_string(consumers_);
}

}  // namespace quiver::exec
