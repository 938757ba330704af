#include "quiver/distributed/distributed_leaf_exec.h"

namespace quiver::distributed {

namespace {

// Counts the rows and the time of the wrapped leaf's stream in the DistributedLeafExec's metrics
// (the leaf itself may be shared by the tasks of an in-process cluster).
class LeafStream final : public physical::RecordBatchStream {
 public:
  LeafStream(physical::RecordBatchStreamPtr inner, physical::MetricsSet& metrics)
      : inner_(std::move(inner)), metrics_(metrics) {}
  std::shared_ptr<arrow::Schema> schema() const override { return inner_->schema(); }
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    physical::ScopedTimer timer(metrics_);
    auto batch = inner_->next();
    if (batch.ok() && *batch != nullptr) metrics_.add_output_rows((*batch)->num_rows());
    return batch;
  }

 private:
  physical::RecordBatchStreamPtr inner_;
  physical::MetricsSet& metrics_;
};

}  // namespace

arrow::Result<std::shared_ptr<DistributedLeafExec>> DistributedLeafExec::Make(
    physical::ExecutionPlanPtr leaf, int task_count) {
  if (leaf == nullptr || task_count < 1) {
    return arrow::Status::UnknownError(
        "DistributedLeafExec needs a leaf and a positive task "
        "count, got ",
        task_count);
  }
  return std::make_shared<DistributedLeafExec>(std::move(leaf), task_count);
}

arrow::Result<physical::ExecutionPlanPtr> DistributedLeafExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return std::make_shared<DistributedLeafExec>(leaf_, task_count_);
}

arrow::Result<physical::RecordBatchStreamPtr> DistributedLeafExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  const auto& task = context->distributed();
  if (task.task_count != task_count_) {
    return arrow::Status::UnknownError("DistributedLeafExec split over ", task_count_,
                                       " tasks runs in a stage of ", task.task_count);
  }
  if (partition % task_count_ != task.task_index) {
    return physical::make_vector_stream(schema(), {});
  }
  ARROW_ASSIGN_OR_RAISE(auto stream, leaf_->execute(partition, context));
  return std::make_unique<LeafStream>(std::move(stream), metrics());
}

std::string DistributedLeafExec::display() const {
  return "DistributedLeafExec: " + leaf_->display();
}

}  // namespace quiver::distributed
