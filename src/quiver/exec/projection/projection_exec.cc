#include "quiver/exec/projection/projection_exec.h"

#include "quiver/exec/exchange/hash_partitioned.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

class ProjectionStream final : public OperatorStream {
 public:
  ProjectionStream(std::shared_ptr<const ProjectionExec> node,
                   std::shared_ptr<physical::TaskContext> context,
                   physical::RecordBatchStreamPtr input)
      : OperatorStream(node, std::move(context), node->schema()),
        projection_(std::move(node)),
        input_(std::move(input)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    ARROW_ASSIGN_OR_RAISE(auto batch, input_->next());
    if (batch == nullptr) return nullptr;
    physical::ScopedTimer timer(metrics());
    std::vector<std::shared_ptr<arrow::Array>> columns;
    columns.reserve(projection_->exprs().size());
    for (const auto& e : projection_->exprs()) {
      ARROW_ASSIGN_OR_RAISE(auto column, physical::evaluate_to_array(*e.expr, *batch));
      columns.push_back(std::move(column));
    }
    return arrow::RecordBatch::Make(schema(), batch->num_rows(), std::move(columns));
  }

 private:
  std::shared_ptr<const ProjectionExec> projection_;
  physical::RecordBatchStreamPtr input_;
};

}  // namespace

ProjectionExec::ProjectionExec(std::vector<ProjectionExpr> exprs, physical::ExecutionPlanPtr input,
                               std::shared_ptr<arrow::Schema> schema)
    : exprs_(std::move(exprs)), input_(std::move(input)) {
  properties_.schema = std::move(schema);
  properties_.partitioning = physical::Partitioning::unknown(input_->output_partitions());
  // Hash keys follow the columns passed through as they are (the first output of each).
  properties_.hash_keys = map_hash_keys(input_->properties().hash_keys, [&](int c) {
    for (size_t i = 0; i < exprs_.size(); ++i) {
      if (plain_column_index(exprs_[i].expr) == c) return static_cast<int>(i);
    }
    return -1;
  });
  properties_.emission = input_->properties().emission;
  properties_.boundedness = input_->properties().boundedness;
}

arrow::Result<std::shared_ptr<ProjectionExec>> ProjectionExec::Make(
    std::vector<ProjectionExpr> exprs, physical::ExecutionPlanPtr input) {
  arrow::FieldVector fields;
  for (const auto& e : exprs) {
    ARROW_ASSIGN_OR_RAISE(auto type, e.expr->data_type(*input->schema()));
    ARROW_ASSIGN_OR_RAISE(bool nullable, e.expr->nullable(*input->schema()));
    fields.push_back(arrow::field(e.name, std::move(type), nullable));
  }
  auto schema = arrow::schema(std::move(fields));
  return std::shared_ptr<ProjectionExec>(
      new ProjectionExec(std::move(exprs), std::move(input), std::move(schema)));
}

arrow::Result<physical::ExecutionPlanPtr> ProjectionExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(exprs_, std::move(children[0]));
}

arrow::Result<physical::RecordBatchStreamPtr> ProjectionExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto input, input_->execute(partition, context));
  auto self = std::static_pointer_cast<const ProjectionExec>(shared_from_this());
  return std::make_unique<ProjectionStream>(std::move(self), context, std::move(input));
}

std::string ProjectionExec::display() const {
  std::string out = "ProjectionExec: expr=[";
  for (size_t i = 0; i < exprs_.size(); ++i) {
    if (i > 0) out += ", ";
    out += exprs_[i].expr->to_string() + " as " + exprs_[i].name;
  }
  return out + "]";
}

}  // namespace quiver::exec
