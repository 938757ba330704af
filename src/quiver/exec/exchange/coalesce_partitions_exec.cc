#include "quiver/exec/exchange/coalesce_partitions_exec.h"

#include "quiver/exec/exchange/partition_pump.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

/// Passes a single input partition through (no thread needed).
class PassThroughStream final : public OperatorStream {
 public:
  PassThroughStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
                    physical::RecordBatchStreamPtr input)
      : OperatorStream(std::move(node), std::move(context), input->schema()),
        input_(std::move(input)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override { return input_->next(); }

 private:
  physical::RecordBatchStreamPtr input_;
};

/// Receives from the channel fed by one pump per input partition.
class CoalesceStream final : public OperatorStream {
 public:
  CoalesceStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
                 const physical::ExecutionPlanPtr& input)
      : OperatorStream(std::move(node), context, input->schema()) {
    const int n = input->output_partitions();
    channel_ = std::make_shared<BoundedChannel<BatchResult>>(1, n, static_cast<size_t>(n) + 1);
    pumps_.reserve(static_cast<size_t>(n));
    for (int p = 0; p < n; ++p) {
      pumps_.push_back(std::make_unique<PartitionPump>(input, p, context, channel_, 0));
    }
  }

  ~CoalesceStream() override {
    channel_->cancel();
    pumps_.clear();  // joins the threads
  }

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    auto item = channel_->receive(0);
    if (!item.has_value()) return nullptr;
    return std::move(*item);
  }

 private:
  std::shared_ptr<BoundedChannel<BatchResult>> channel_;
  std::vector<std::unique_ptr<PartitionPump>> pumps_;
};

}  // namespace

CoalescePartitionsExec::CoalescePartitionsExec(physical::ExecutionPlanPtr input)
    : input_(std::move(input)) {
  properties_.schema = input_->schema();
  properties_.partitioning = physical::Partitioning::unknown(1);
  if (input_->output_partitions() == 1)
    properties_.output_ordering = input_->properties().output_ordering;
  properties_.emission = input_->properties().emission;
  properties_.boundedness = input_->properties().boundedness;
}

arrow::Result<std::shared_ptr<CoalescePartitionsExec>> CoalescePartitionsExec::Make(
    physical::ExecutionPlanPtr input) {
  return std::shared_ptr<CoalescePartitionsExec>(new CoalescePartitionsExec(std::move(input)));
}

arrow::Result<physical::ExecutionPlanPtr> CoalescePartitionsExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(std::move(children[0]));
}

arrow::Result<physical::RecordBatchStreamPtr> CoalescePartitionsExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  if (input_->output_partitions() == 1) {
    ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(0, context));
    return std::make_unique<PassThroughStream>(shared_from_this(), context, std::move(input));
  }
  return std::make_unique<CoalesceStream>(shared_from_this(), context, input_);
}

}  // namespace quiver::exec
