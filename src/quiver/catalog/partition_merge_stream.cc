#include "quiver/catalog/partition_merge_stream.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace quiver::catalog {

namespace {

class PartitionMergeStream final : public physical::RecordBatchStream {
 public:
  PartitionMergeStream(physical::ExecutionPlanPtr plan,
                       std::shared_ptr<physical::TaskContext> context)
      : plan_(std::move(plan)), context_(std::move(context)) {
    const int n = plan_->output_partitions();
    capacity_ = static_cast<size_t>(std::max(2, n * 2));
    running_ = n;
    threads_.reserve(static_cast<size_t>(n));
    for (int p = 0; p < n; ++p) threads_.emplace_back([this, p] { produce(p); });
  }

  ~PartitionMergeStream() override {
    bool running = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      running = running_ > 0;
    }
    if (running) context_->cancel();
    not_full_.notify_all();
    for (auto& t : threads_) t.join();
  }

  std::shared_ptr<arrow::Schema> schema() const override { return plan_->schema(); }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || !error_.ok() || running_ == 0; });
    if (!error_.ok()) {
      arrow::Status st = error_;
      if (!reported_) {
        reported_ = true;
        return st;
      }
      return nullptr;
    }
    if (queue_.empty()) return nullptr;
    auto batch = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return batch;
  }

 private:
  void produce(int partition) {
    arrow::Status st = run(partition);
    std::lock_guard<std::mutex> lock(mutex_);
    if (!st.ok() && error_.ok() && !stopping_) {
      error_ = st;
      context_->cancel();
    }
    --running_;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  arrow::Status run(int partition) {
    ARROW_ASSIGN_OR_RAISE(auto stream, plan_->execute(partition, context_));
    while (true) {
      ARROW_ASSIGN_OR_RAISE(auto batch, stream->next());
      if (batch == nullptr) return arrow::Status::OK();
      std::unique_lock<std::mutex> lock(mutex_);
      not_full_.wait(lock, [&] { return queue_.size() < capacity_ || stopping_ || !error_.ok(); });
      if (stopping_ || !error_.ok()) return arrow::Status::OK();
      queue_.push_back(std::move(batch));
      not_empty_.notify_one();
    }
  }

  physical::ExecutionPlanPtr plan_;
  std::shared_ptr<physical::TaskContext> context_;
  std::mutex mutex_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<std::shared_ptr<arrow::RecordBatch>> queue_;
  size_t capacity_ = 2;
  int running_ = 0;
  bool stopping_ = false;
  bool reported_ = false;
  arrow::Status error_;
  std::vector<std::thread> threads_;
};

}  // namespace

arrow::Result<physical::RecordBatchStreamPtr> merge_partitions(
    const physical::ExecutionPlanPtr& plan, const std::shared_ptr<physical::TaskContext>& context) {
  if (plan->output_partitions() == 1) return plan->execute(0, context);
  if (plan->output_partitions() == 0) return physical::make_vector_stream(plan->schema(), {});
  return std::make_unique<PartitionMergeStream>(plan, context);
}

}  // namespace quiver::catalog
