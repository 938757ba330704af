#include "quiver/distributed/network/network_boundary.h"

#include <thread>

#include "quiver/exec/exchange/bounded_channel.h"

namespace quiver::distributed {

namespace {

class ConcatStream final : public physical::RecordBatchStream {
 public:
  ConcatStream(std::shared_ptr<arrow::Schema> schema,
               std::vector<physical::RecordBatchStreamPtr> streams, physical::MetricsSet& metrics)
      : schema_(std::move(schema)), streams_(std::move(streams)), metrics_(metrics) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    while (current_ < streams_.size()) {
      auto batch = streams_[current_]->next();
      if (!batch.ok()) {
        streams_.clear();
        current_ = 0;
        return batch.status();
      }
      if (*batch != nullptr) {
        metrics_.add_output_rows((*batch)->num_rows());
        return batch;
      }
      streams_[current_].reset();  // free the finished producer stream early
      ++current_;
    }
    return nullptr;
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  std::vector<physical::RecordBatchStreamPtr> streams_;
  size_t current_ = 0;
  physical::MetricsSet& metrics_;
};

using BatchResult = arrow::Result<std::shared_ptr<arrow::RecordBatch>>;

// Reads every producer stream on a thread of its own into one bounded channel (2 batches per
// producer), so that the producers' network round trips overlap. A full channel blocks the
// readers (back-pressure); an error ends the stream; destroying the stream cancels the channel,
// which makes every reader stop at its next batch and destroy its producer stream (cancelling
// the fetch), and joins them.
class ConcurrentStream final : public physical::RecordBatchStream {
 public:
  ConcurrentStream(std::shared_ptr<arrow::Schema> schema,
                   std::vector<physical::RecordBatchStreamPtr> streams,
                   physical::MetricsSet& metrics)
      : schema_(std::move(schema)),
        channel_(std::make_shared<exec::BoundedChannel<BatchResult>>(
            1, static_cast<int>(streams.size()), 2 * streams.size())),
        metrics_(metrics) {
    for (auto& stream : streams) {
      readers_.emplace_back([channel = channel_, stream = std::move(stream)]() mutable {
        while (true) {
          auto batch = stream->next();
          if (!batch.ok()) {
            channel->send_unbounded(0, batch.status());
            break;
          }
          if (*batch == nullptr || !channel->send(0, std::move(batch))) break;
        }
        stream.reset();
        channel->close_sender();
      });
    }
  }

  ~ConcurrentStream() override {
    channel_->cancel();
    for (auto& reader : readers_) reader.join();
  }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (done_) return nullptr;
    auto item = channel_->receive(0);
    if (!item.has_value()) {
      done_ = true;
      return nullptr;
    }
    if (!item->ok()) {
      done_ = true;
      channel_->cancel();
      return item->status();
    }
    metrics_.add_output_rows((**item)->num_rows());
    return std::move(*item);
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  std::shared_ptr<exec::BoundedChannel<BatchResult>> channel_;
  std::vector<std::thread> readers_;
  physical::MetricsSet& metrics_;
  bool done_ = false;
};

}  // namespace

physical::RecordBatchStreamPtr merge_streams(std::shared_ptr<arrow::Schema> schema,
                                             std::vector<physical::RecordBatchStreamPtr> streams,
                                             physical::MetricsSet& metrics) {
  if (streams.size() < 2) return concat_streams(std::move(schema), std::move(streams), metrics);
  return std::make_unique<ConcurrentStream>(std::move(schema), std::move(streams), metrics);
}

physical::RecordBatchStreamPtr concat_streams(std::shared_ptr<arrow::Schema> schema,
                                              std::vector<physical::RecordBatchStreamPtr> streams,
                                              physical::MetricsSet& metrics) {
  return std::make_unique<ConcatStream>(std::move(schema), std::move(streams), metrics);
}

arrow::Result<physical::ExecutionPlanPtr> NetworkBoundary::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return with_input_and_routing(std::move(children[0]), routing_);
}

arrow::Result<physical::RecordBatchStreamPtr> NetworkBoundary::fetch(
    int task, int partition, const physical::TaskContext& context) const {
  if (!routing_.has_value()) {
    return arrow::Status::UnknownError(name(), " reading stage ", plan_.stage,
                                       " was executed before DistributedExec routed it");
  }
  if (task < 0 || task >= static_cast<int>(routing_->task_workers.size())) {
    return arrow::Status::UnknownError(name(), ": stage ", plan_.stage, " has no task ", task);
  }
  ARROW_ASSIGN_OR_RAISE(auto transport, transport_of(context));
  return transport->fetch_partition(routing_->task_workers[static_cast<size_t>(task)],
                                    routing_->task_key(task), partition, input_->schema());
}

}  // namespace quiver::distributed
