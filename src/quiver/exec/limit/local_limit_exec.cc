#include "quiver/exec/limit/local_limit_exec.h"

#include "quiver/exec/limit/limit_stream.h"

namespace quiver::exec {

LocalLimitExec::LocalLimitExec(physical::ExecutionPlanPtr input, int64_t fetch)
    : input_(std::move(input)), fetch_(fetch) {
  properties_ = input_->properties();
}

arrow::Result<std::shared_ptr<LocalLimitExec>> LocalLimitExec::Make(
    physical::ExecutionPlanPtr input, int64_t fetch) {
  if (fetch < 0) return arrow::Status::UnknownError("LocalLimitExec: negative fetch ", fetch);
  return std::shared_ptr<LocalLimitExec>(new LocalLimitExec(std::move(input), fetch));
}

arrow::Result<physical::ExecutionPlanPtr> LocalLimitExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(std::move(children[0]), fetch_);
}

arrow::Result<physical::RecordBatchStreamPtr> LocalLimitExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(partition, context));
  return std::make_unique<LimitStream>(shared_from_this(), context, std::move(input), 0, fetch_);
}

std::string LocalLimitExec::display() const {
  return "LocalLimitExec: fetch=" + std::to_string(fetch_);
}

}  // namespace quiver::exec
