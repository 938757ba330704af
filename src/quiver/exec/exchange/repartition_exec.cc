#include "quiver/exec/exchange/repartition_exec.h"

#include <arrow/compute/api_vector.h>
#include <arrow/record_batch.h>
#include <arrow/util/byte_size.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "quiver/exec/exchange/bounded_channel.h"
#include "quiver/exec/exchange/hash_partitioned.h"
#include "quiver/exec/exchange/hash_partitioner.h"
#include "quiver/exec/exchange/partition_pump.h"
#include "quiver/exec/operator_stream.h"
#include "quiver/physical/memory_pool.h"

namespace quiver::exec {

namespace {
// Batches each output may hold before its producers wait.
constexpr size_t kOutputCapacity = 2;
}  // namespace

/// One run of a RepartitionExec: the producer threads, the output queues and the memory held by
/// buffered batches. Owned by the node (the current run) and by the run's output streams.
class RepartitionState {
 public:
  RepartitionState(physical::ExecutionPlanPtr input, physical::Partitioning partitioning,
                   std::shared_ptr<physical::TaskContext> context, physical::MetricsSet& metrics)
      : input_(std::move(input)),
        partitioning_(std::move(partitioning)),
        context_(std::move(context)),
        metrics_(metrics),
        channel_(partitioning_.count, input_->output_partitions(), kOutputCapacity),
        taken_(static_cast<size_t>(partitioning_.count), false),
        reservation_(context_->memory_pool(), "RepartitionExec") {}

  ~RepartitionState() { stop(); }

  /// Starts one producer per input partition.
  void start() {
    const int n = input_->output_partitions();
    producers_.reserve(static_cast<size_t>(n));
    for (int p = 0; p < n; ++p) {
      producers_.emplace_back([this, p] {
        produce(p);
        channel_.close_sender();
      });
    }
  }

  /// Cancels the producers and joins them (idempotent).
  void stop() {
    channel_.cancel();
    std::lock_guard<std::mutex> lock(join_mutex_);
    for (auto& t : producers_) {
      if (t.joinable()) t.join();
    }
  }

  /// Returns the next batch of `output`, or nullptr at the end.
  BatchResult receive(int output) {
    auto item = channel_.receive(output);
    if (!item.has_value()) {
      if (channel_.cancelled() && !context_->cancelled()) {
        return arrow::Status::UnknownError("RepartitionExec: output ", output,
                                           " read after its run was stopped");
      }
      return nullptr;
    }
    if (item->ok() && **item != nullptr) release(arrow::util::TotalBufferSize(***item));
    return std::move(*item);
  }

  /// Marks `output`'s consumer as gone; stops the producers once every output is gone.
  void drop(int output) {
    for (const auto& item : channel_.drop_receiver(output)) {
      if (item.ok() && *item != nullptr) release(arrow::util::TotalBufferSize(**item));
    }
    if (channel_.all_receivers_dropped()) stop();
  }

  /// Returns whether `context` runs this state and `output` was not executed yet.
  bool can_take(int output, const std::shared_ptr<physical::TaskContext>& context) const {
    return context == context_ && !taken_[static_cast<size_t>(output)];
  }

  /// Marks `output` as executed.
  void take(int output) {
    if (!taken_[static_cast<size_t>(output)]) ++num_taken_;
    taken_[static_cast<size_t>(output)] = true;
  }

  /// Returns whether every output was executed.
  bool all_taken() const { return num_taken_ == static_cast<int>(taken_.size()); }

 private:
  void produce(int partition) {
    auto stream = input_->execute(partition, context_);
    if (!stream.ok()) return fail(stream.status());
    size_t next_output = static_cast<size_t>(partition);  // spreads round robin starts
    const int n = partitioning_.count;
    while (true) {
      if (channel_.cancelled() || failed_.load()) return;
      if (auto st = check_cancelled(*context_, "RepartitionExec"); !st.ok()) return fail(st);
      auto batch = (*stream)->next();
      if (!batch.ok()) return fail(batch.status());
      if (*batch == nullptr) return;
      if ((*batch)->num_rows() == 0) continue;
      if (partitioning_.kind == physical::Partitioning::Kind::kRoundRobinBatch) {
        const int output = static_cast<int>(next_output++ % static_cast<size_t>(n));
        if (auto st = send(output, std::move(*batch)); !st.ok()) return fail(st);
        continue;
      }
      arrow::Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts = split(*batch);
      if (!parts.ok()) return fail(parts.status());
      for (int output = 0; output < n; ++output) {
        auto& part = (*parts)[static_cast<size_t>(output)];
        if (part == nullptr) continue;
        if (auto st = send(output, std::move(part)); !st.ok()) return fail(st);
      }
    }
  }

  // Splits a batch by hash into one (possibly null) batch per output.
  arrow::Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> split(
      const std::shared_ptr<arrow::RecordBatch>& batch) {
    physical::ScopedTimer timer(metrics_);
    ARROW_ASSIGN_OR_RAISE(auto indices,
                          hash_partition(*batch, partitioning_.exprs, partitioning_.count));
    std::vector<std::shared_ptr<arrow::RecordBatch>> parts(indices.size());
    for (size_t o = 0; o < indices.size(); ++o) {
      if (indices[o]->length() == 0) continue;
      if (indices[o]->length() == batch->num_rows()) {
        parts[o] = batch;
        continue;
      }
      ARROW_ASSIGN_OR_RAISE(arrow::Datum taken, arrow::compute::Take(batch, indices[o]));
      parts[o] = taken.record_batch();
    }
    return parts;
  }

  // Reserves memory for a batch and queues it; a dropped output just discards it.
  arrow::Status send(int output, std::shared_ptr<arrow::RecordBatch> batch) {
    const int64_t bytes = arrow::util::TotalBufferSize(*batch);
    {
      std::lock_guard<std::mutex> lock(reservation_mutex_);
      ARROW_RETURN_NOT_OK(reservation_.grow(bytes));
    }
    if (!channel_.send(output, std::move(batch))) release(bytes);
    return arrow::Status::OK();
  }

  void release(int64_t bytes) {
    std::lock_guard<std::mutex> lock(reservation_mutex_);
    (void)reservation_.resize(std::max<int64_t>(0, reservation_.size() - bytes));
  }

  // Sends the error to every output (it must get through even to full queues).
  void fail(const arrow::Status& status) {
    if (failed_.exchange(true)) return;  // the first error wins
    for (int output = 0; output < partitioning_.count; ++output) {
      channel_.send_unbounded(output, status);
    }
  }

  physical::ExecutionPlanPtr input_;
  physical::Partitioning partitioning_;
  std::shared_ptr<physical::TaskContext> context_;
  physical::MetricsSet& metrics_;
  BoundedChannel<BatchResult> channel_;
  std::vector<bool> taken_;  // guarded by the node's mutex
  int num_taken_ = 0;
  std::mutex reservation_mutex_;
  physical::MemoryReservation reservation_;
  std::atomic<bool> failed_{false};
  std::mutex join_mutex_;
  std::vector<std::thread> producers_;
};

namespace {

/// One output partition of a run.
class RepartitionStream final : public OperatorStream {
 public:
  RepartitionStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
                    std::shared_ptr<RepartitionState> state, int output, int64_t coalesce_rows)
      : OperatorStream(node, std::move(context), node->schema()),
        state_(std::move(state)),
        output_(output),
        coalesce_rows_(coalesce_rows) {}

  ~RepartitionStream() override { state_->drop(output_); }

 protected:
  // Hash partitioning cuts every input batch into one slice per output, so slices can be small;
  // they are gathered here into batches of at least `coalesce_rows` so the operators above, and
  // the network when a shuffle reads this, do not pay per-batch costs on tiny batches.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    if (finished_) return nullptr;
    std::vector<std::shared_ptr<arrow::RecordBatch>> pending;
    int64_t rows = 0;
    while (rows < coalesce_rows_) {
      ARROW_ASSIGN_OR_RAISE(auto batch, state_->receive(output_));
      if (batch == nullptr) {
        finished_ = true;
        break;
      }
      if (batch->num_rows() == 0) continue;
      rows += batch->num_rows();
      pending.push_back(std::move(batch));
    }
    if (pending.empty()) return nullptr;
    if (pending.size() == 1) return pending.front();
    return arrow::ConcatenateRecordBatches(pending);
  }

 private:
  std::shared_ptr<RepartitionState> state_;
  int output_;
  int64_t coalesce_rows_;  // 1 = pass batches through as they come
  bool finished_ = false;
};

}  // namespace

RepartitionExec::RepartitionExec(physical::ExecutionPlanPtr input,
                                 physical::Partitioning partitioning)
    : input_(std::move(input)) {
  properties_.schema = input_->schema();
  properties_.partitioning = std::move(partitioning);
  if (properties_.partitioning.kind == physical::Partitioning::Kind::kHash) {
    std::vector<int> columns;
    for (const auto& expr : properties_.partitioning.exprs) {
      columns.push_back(plain_column_index(expr));
    }
    if (std::find(columns.begin(), columns.end(), -1) == columns.end()) {
      properties_.hash_keys = {std::move(columns)};
    }
  }
  properties_.emission = input_->properties().emission;
  properties_.boundedness = input_->properties().boundedness;
}

RepartitionExec::~RepartitionExec() = default;

arrow::Result<std::shared_ptr<RepartitionExec>> RepartitionExec::Make(
    physical::ExecutionPlanPtr input, physical::Partitioning partitioning) {
  using Kind = physical::Partitioning::Kind;
  if (partitioning.count < 1) {
    return arrow::Status::UnknownError("RepartitionExec: ", partitioning.count, " partitions");
  }
  if (partitioning.kind == Kind::kUnknown ||
      (partitioning.kind == Kind::kHash && partitioning.exprs.empty())) {
    return arrow::Status::UnknownError("RepartitionExec: unsupported partitioning ",
                                       partitioning.to_string());
  }
  for (const auto& expr : partitioning.exprs) {
    ARROW_RETURN_NOT_OK(expr->data_type(*input->schema()).status());
  }
  return std::shared_ptr<RepartitionExec>(
      new RepartitionExec(std::move(input), std::move(partitioning)));
}

arrow::Result<physical::ExecutionPlanPtr> RepartitionExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(std::move(children[0]), properties_.partitioning);
}

arrow::Result<physical::RecordBatchStreamPtr> RepartitionExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  std::shared_ptr<RepartitionState> state;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = std::find_if(runs_.begin(), runs_.end(),
                           [&](const auto& run) { return run->can_take(partition, context); });
    if (it == runs_.end()) {
      auto run =
          std::make_shared<RepartitionState>(input_, properties_.partitioning, context, metrics());
      run->start();
      runs_.push_back(run);
      it = std::prev(runs_.end());
    }
    state = *it;
    state->take(partition);
    if (state->all_taken()) runs_.erase(it);
  }
  // Gather hash slices up to a quarter of the batch size: slices that are already that large
  // (few outputs) pass through without a copy; tiny ones (many outputs, as in a shuffle feeding
  // several tasks) are merged.
  const int64_t coalesce_rows = properties_.partitioning.kind == physical::Partitioning::Kind::kHash
                                    ? std::max<int64_t>(1, context->batch_size() / 4)
                                    : 1;
  return std::make_unique<RepartitionStream>(shared_from_this(), context, std::move(state),
                                             partition, coalesce_rows);
}

std::string RepartitionExec::display() const {
  return "RepartitionExec: partitioning=" + properties_.partitioning.to_string() +
         ", input_partitions=" + std::to_string(input_->output_partitions());
}

}  // namespace quiver::exec
