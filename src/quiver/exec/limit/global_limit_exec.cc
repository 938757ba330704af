#include "quiver/exec/limit/global_limit_exec.h"

#include "quiver/exec/limit/limit_stream.h"

namespace quiver::exec {

GlobalLimitExec::GlobalLimitExec(physical::ExecutionPlanPtr input, int64_t skip,
                                 std::optional<int64_t> fetch)
    : input_(std::move(input)), skip_(skip), fetch_(fetch) {
  properties_ = input_->properties();
}

arrow::Result<std::shared_ptr<GlobalLimitExec>> GlobalLimitExec::Make(
    physical::ExecutionPlanPtr input, int64_t skip, std::optional<int64_t> fetch) {
  if (input->output_partitions() != 1) {
    return arrow::Status::UnknownError("GlobalLimitExec requires a single input partition, got ",
                                       input->output_partitions());
  }
  if (skip < 0 || (fetch.has_value() && *fetch < 0)) {
    return arrow::Status::UnknownError("GlobalLimitExec: negative skip or fetch");
  }
  return std::shared_ptr<GlobalLimitExec>(new GlobalLimitExec(std::move(input), skip, fetch));
}

arrow::Result<physical::ExecutionPlanPtr> GlobalLimitExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(std::move(children[0]), skip_, fetch_);
}

arrow::Result<physical::RecordBatchStreamPtr> GlobalLimitExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(partition, context));
  return std::make_unique<LimitStream>(shared_from_this(), context, std::move(input), skip_,
                                       fetch_);
}

std::string GlobalLimitExec::display() const {
  return "GlobalLimitExec: skip=" + std::to_string(skip_) +
         ", fetch=" + (fetch_.has_value() ? std::to_string(*fetch_) : std::string("None"));
}

}  // namespace quiver::exec
