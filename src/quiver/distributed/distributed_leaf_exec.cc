#include "quiver/distributed/distributed_leaf_exec.h"

namespace quiver::distributed {

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
  return shared_from_this();
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
  return leaf_->execute(partition, context);
}

std::string DistributedLeafExec::display() const {
  return "DistributedLeafExec: " + leaf_->display();
}

}  // namespace quiver::distributed
