#include "quiver/distributed/network/network_boundary.h"

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

}  // namespace

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
