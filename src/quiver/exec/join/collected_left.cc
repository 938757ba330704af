#include "quiver/exec/join/collected_left.h"

#include <arrow/array/concatenate.h>
#include <arrow/builder.h>
#include <arrow/util/byte_size.h>

#include <chrono>

#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

CollectedLeft::CollectedLeft(std::shared_ptr<arrow::RecordBatch> batch)
    : batch_(std::move(batch)),
      matched_(std::make_unique<std::atomic<uint8_t>[]>(static_cast<size_t>(batch_->num_rows()))) {
  for (int64_t i = 0; i < batch_->num_rows(); ++i) matched_[static_cast<size_t>(i)].store(0);
}

arrow::Result<std::shared_ptr<arrow::UInt64Array>> CollectedLeft::rows_with_matched(
    bool matched) const {
  arrow::UInt64Builder builder;
  for (int64_t i = 0; i < num_rows(); ++i) {
    if (is_matched(i) == matched) ARROW_RETURN_NOT_OK(builder.Append(static_cast<uint64_t>(i)));
  }
  std::shared_ptr<arrow::UInt64Array> out;
  ARROW_RETURN_NOT_OK(builder.Finish(&out));
  return out;
}

SharedBuild::SharedBuild(std::string operator_name, physical::ExecutionPlanPtr left,
                         BuildExtension extension, int num_probe_partitions)
    : operator_name_(std::move(operator_name)),
      left_(std::move(left)),
      extension_(std::move(extension)),
      num_probe_partitions_(num_probe_partitions),
      result_(arrow::Status::UnknownError("not built")),
      attached_(static_cast<size_t>(num_probe_partitions), false),
      probes_left_(num_probe_partitions) {}

arrow::Result<std::shared_ptr<CollectedLeft>> SharedBuild::get(
    const std::shared_ptr<physical::TaskContext>& context, physical::MetricsSet& metrics) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (phase_ == Phase::kDone) return result_;
    if (phase_ == Phase::kBuilding) {
      built_cv_.wait(lock, [&] { return phase_ == Phase::kDone; });
      return result_;
    }
    phase_ = Phase::kBuilding;
  }
  auto result = build(context, metrics);
  if (!result.ok() && reservation_ != nullptr) reservation_->free();  // nothing is kept
  {
    std::lock_guard<std::mutex> lock(mutex_);
    result_ = result;
    phase_ = Phase::kDone;
  }
  built_cv_.notify_all();
  return result;
}

arrow::Result<std::shared_ptr<CollectedLeft>> SharedBuild::build(
    const std::shared_ptr<physical::TaskContext>& context, physical::MetricsSet& metrics) {
  reservation_ = std::make_unique<physical::MemoryReservation>(context->memory_pool(),
                                                               operator_name_ + "[build]");
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  int64_t rows = 0;
  for (int p = 0; p < left_->output_partitions(); ++p) {
    ARROW_ASSIGN_OR_RAISE(auto stream, left_->execute(p, context));
    while (true) {
      ARROW_RETURN_NOT_OK(check_cancelled(*context, operator_name_));
      ARROW_ASSIGN_OR_RAISE(auto batch, stream->next());
      if (batch == nullptr) break;
      if (batch->num_rows() == 0) continue;
      ARROW_RETURN_NOT_OK(reservation_->grow(arrow::util::TotalBufferSize(*batch)));
      rows += batch->num_rows();
      batches.push_back(std::move(batch));
    }
  }
  // build_time covers the work on the collected rows, not the wait for them.
  const auto start = std::chrono::steady_clock::now();
  physical::ScopedTimer timer(metrics);
  const auto& schema = left_->schema();
  std::shared_ptr<arrow::RecordBatch> all;
  if (batches.empty()) {
    ARROW_ASSIGN_OR_RAISE(all, arrow::RecordBatch::MakeEmpty(schema));
  } else if (batches.size() == 1) {
    all = arrow::RecordBatch::Make(schema, rows, batches.front()->columns());
  } else {
    std::vector<std::shared_ptr<arrow::Array>> columns;
    for (int c = 0; c < schema->num_fields(); ++c) {
      arrow::ArrayVector chunks;
      for (const auto& b : batches) chunks.push_back(b->column(c));
      ARROW_ASSIGN_OR_RAISE(auto column, arrow::Concatenate(chunks));
      columns.push_back(std::move(column));
    }
    all = arrow::RecordBatch::Make(schema, rows, std::move(columns));
  }
  batches.clear();
  // The collected rows plus one matched flag per row.
  ARROW_RETURN_NOT_OK(reservation_->resize(arrow::util::TotalBufferSize(*all) + rows));
  auto collected = std::make_shared<CollectedLeft>(std::move(all));
  if (extension_) {
    ARROW_ASSIGN_OR_RAISE(collected->built_,
                          extension_(collected->batch(), *context, *reservation_));
  }
  metrics.add("build_rows", rows);
  metrics.add("build_time_ns", std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now() - start)
                                   .count());
  return collected;
}

bool SharedBuild::finish_probe() {
  return probes_left_.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

SharedBuildSide::SharedBuildSide(std::string operator_name, physical::ExecutionPlanPtr left,
                                 BuildExtension extension)
    : operator_name_(std::move(operator_name)),
      left_(std::move(left)),
      extension_(std::move(extension)) {}

std::shared_ptr<SharedBuild> SharedBuildSide::acquire(
    const std::shared_ptr<physical::TaskContext>& context, int partition,
    int num_probe_partitions) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Forget the states of finished executions (context gone, or every stream gone).
  for (auto it = entries_.begin(); it != entries_.end();) {
    const bool dead =
        it->second.context.expired() || (it->second.strong == nullptr && it->second.weak.expired());
    it = dead ? entries_.erase(it) : std::next(it);
  }
  auto& entry = entries_[context.get()];
  std::shared_ptr<SharedBuild> state = entry.strong ? entry.strong : entry.weak.lock();
  const auto slot = static_cast<size_t>(partition);
  if (state == nullptr || entry.context.lock() != context ||
      state->num_probe_partitions_ != num_probe_partitions || slot >= state->attached_.size() ||
      state->attached_[slot]) {
    // A new execution (or this partition ran before under this context: a new one).
    state = std::make_shared<SharedBuild>(operator_name_, left_, extension_, num_probe_partitions);
    entry = Entry{context, state, state};
  }
  if (slot < state->attached_.size()) {
    state->attached_[slot] = true;
    ++state->attached_count_;
  }
  if (state->attached_count_ >= num_probe_partitions) entry.strong.reset();
  return state;
}

}  // namespace quiver::exec
