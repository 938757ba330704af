#include "quiver/exec/union/union_exec.h"

#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

/// Passes an input partition's batches through under the union's schema.
class UnionStream final : public OperatorStream {
 public:
  UnionStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
              std::shared_ptr<arrow::Schema> schema, physical::RecordBatchStreamPtr input)
      : OperatorStream(std::move(node), std::move(context), std::move(schema)),
        input_(std::move(input)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    ARROW_ASSIGN_OR_RAISE(auto batch, input_->next());
    if (batch == nullptr) return nullptr;
    if (batch->schema() == schema()) return batch;
    return arrow::RecordBatch::Make(schema(), batch->num_rows(), batch->columns());
  }

 private:
  physical::RecordBatchStreamPtr input_;
};

}  // namespace

UnionExec::UnionExec(std::vector<physical::ExecutionPlanPtr> inputs,
                     std::shared_ptr<arrow::Schema> schema)
    : inputs_(std::move(inputs)) {
  int partitions = 0;
  for (const auto& input : inputs_) partitions += input->output_partitions();
  properties_.schema = std::move(schema);
  properties_.partitioning = physical::Partitioning::unknown(partitions);
  properties_.emission = physical::EmissionType::kIncremental;
  for (const auto& input : inputs_) {
    if (input->properties().boundedness == physical::Boundedness::kUnbounded) {
      properties_.boundedness = physical::Boundedness::kUnbounded;
    }
  }
}

arrow::Result<std::shared_ptr<UnionExec>> UnionExec::Make(
    std::vector<physical::ExecutionPlanPtr> inputs, std::shared_ptr<arrow::Schema> schema) {
  if (inputs.empty()) return arrow::Status::UnknownError("UnionExec needs at least one input");
  if (schema == nullptr) schema = inputs[0]->schema();
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& input_schema = *inputs[i]->schema();
    if (input_schema.num_fields() != schema->num_fields()) {
      return arrow::Status::Invalid("UNION input ", i + 1, " has ", input_schema.num_fields(),
                                    " columns, expected ", schema->num_fields());
    }
    for (int c = 0; c < schema->num_fields(); ++c) {
      if (!input_schema.field(c)->type()->Equals(*schema->field(c)->type())) {
        return arrow::Status::Invalid("UNION input ", i + 1, ", column ", c + 1, " ('",
                                      schema->field(c)->name(), "') has type ",
                                      input_schema.field(c)->type()->ToString(), ", expected ",
                                      schema->field(c)->type()->ToString());
      }
    }
  }
  return std::shared_ptr<UnionExec>(new UnionExec(std::move(inputs), std::move(schema)));
}

arrow::Result<physical::ExecutionPlanPtr> UnionExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, inputs_.size()));
  return Make(std::move(children), schema());
}

arrow::Result<physical::RecordBatchStreamPtr> UnionExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  int local = partition;
  for (const auto& input : inputs_) {
    if (local < input->output_partitions()) {
      ARROW_ASSIGN_OR_RAISE(auto stream, input->execute(local, context));
      return std::make_unique<UnionStream>(shared_from_this(), context, schema(),
                                           std::move(stream));
    }
    local -= input->output_partitions();
  }
  return arrow::Status::UnknownError("UnionExec: partition ", partition, " maps to no input");
}

}  // namespace quiver::exec
