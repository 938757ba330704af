#include "quiver/exec/filter/filter_exec.h"

#include "quiver/exec/filter/selective_conjunction.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

class FilterStream final : public OperatorStream {
 public:
  FilterStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
               physical::PhysicalExprPtr predicate, physical::RecordBatchStreamPtr input)
      : OperatorStream(std::move(node), std::move(context), input->schema()),
        conjunction_(predicate),
        input_(std::move(input)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    while (true) {
      ARROW_ASSIGN_OR_RAISE(auto batch, input_->next());
      if (batch == nullptr) return nullptr;
      ARROW_RETURN_NOT_OK(check_cancelled(*context(), "FilterExec"));
      physical::ScopedTimer timer(metrics());
      ARROW_ASSIGN_OR_RAISE(auto out, conjunction_.filter(batch));
      if (out->num_rows() > 0) return out;
    }
  }

 private:
  SelectiveConjunction conjunction_;
  physical::RecordBatchStreamPtr input_;
};

}  // namespace

FilterExec::FilterExec(physical::PhysicalExprPtr predicate, physical::ExecutionPlanPtr input)
    : predicate_(std::move(predicate)), input_(std::move(input)) {
  properties_ = input_->properties();
}

arrow::Result<std::shared_ptr<FilterExec>> FilterExec::Make(physical::PhysicalExprPtr predicate,
                                                            physical::ExecutionPlanPtr input) {
  ARROW_ASSIGN_OR_RAISE(auto type, predicate->data_type(*input->schema()));
  if (type->id() != arrow::Type::BOOL && type->id() != arrow::Type::NA) {
    return arrow::Status::Invalid("FilterExec: the predicate ", predicate->to_string(),
                                  " must be boolean, got ", type->ToString());
  }
  return std::shared_ptr<FilterExec>(new FilterExec(std::move(predicate), std::move(input)));
}

arrow::Result<physical::ExecutionPlanPtr> FilterExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(predicate_, std::move(children[0]));
}

arrow::Result<physical::RecordBatchStreamPtr> FilterExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(partition, context));
  return std::make_unique<FilterStream>(shared_from_this(), context, predicate_, std::move(input));
}

std::string FilterExec::display() const { return "FilterExec: " + predicate_->to_string(); }

}  // namespace quiver::exec
