#include "quiver/exec/source/values_exec.h"

#include <arrow/array/builder_base.h>
#include <arrow/compute/cast.h>

#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

/// Emits the held batches in slices of at most batch_size rows.
class ValuesStream final : public OperatorStream {
 public:
  ValuesStream(std::shared_ptr<const ValuesExec> node,
               std::shared_ptr<physical::TaskContext> context)
      : OperatorStream(node, context, node->schema()), values_(std::move(node)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    const auto& batches = values_->batches();
    while (index_ < batches.size()) {
      const auto& batch = batches[index_];
      if (offset_ >= batch->num_rows()) {
        ++index_;
        offset_ = 0;
        continue;
      }
      const int64_t length = std::min(context()->batch_size(), batch->num_rows() - offset_);
      auto slice = batch->Slice(offset_, length);
      offset_ += length;
      return slice;
    }
    return nullptr;
  }

 private:
  std::shared_ptr<const ValuesExec> values_;
  size_t index_ = 0;
  int64_t offset_ = 0;
};

}  // namespace

ValuesExec::ValuesExec(std::shared_ptr<arrow::Schema> schema,
                       std::vector<std::shared_ptr<arrow::RecordBatch>> batches)
    : batches_(std::move(batches)) {
  properties_.schema = std::move(schema);
  properties_.partitioning = physical::Partitioning::unknown(1);
}

arrow::Result<std::shared_ptr<ValuesExec>> ValuesExec::Make(
    std::shared_ptr<arrow::Schema> schema,
    std::vector<std::shared_ptr<arrow::RecordBatch>> batches) {
  for (const auto& batch : batches) {
    if (!batch->schema()->Equals(*schema, /*check_metadata=*/false)) {
      return arrow::Status::UnknownError("ValuesExec: batch schema ", batch->schema()->ToString(),
                                         " differs from ", schema->ToString());
    }
  }
  return std::shared_ptr<ValuesExec>(new ValuesExec(std::move(schema), std::move(batches)));
}

arrow::Result<std::shared_ptr<ValuesExec>> ValuesExec::from_rows(
    std::shared_ptr<arrow::Schema> schema,
    const std::vector<std::vector<std::shared_ptr<arrow::Scalar>>>& rows) {
  const int num_fields = schema->num_fields();
  std::vector<std::unique_ptr<arrow::ArrayBuilder>> builders;
  for (const auto& field : schema->fields()) {
    ARROW_ASSIGN_OR_RAISE(auto builder, arrow::MakeBuilder(field->type()));
    ARROW_RETURN_NOT_OK(builder->Reserve(static_cast<int64_t>(rows.size())));
    builders.push_back(std::move(builder));
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    if (static_cast<int>(rows[r].size()) != num_fields) {
      return arrow::Status::Invalid("VALUES row ", r + 1, " has ", rows[r].size(),
                                    " values, expected ", num_fields);
    }
    for (int c = 0; c < num_fields; ++c) {
      const auto& value = rows[r][static_cast<size_t>(c)];
      const auto& type = schema->field(c)->type();
      std::shared_ptr<arrow::Scalar> cast = value;
      if (!value->type->Equals(*type)) {
        auto converted = value->CastTo(type);
        if (!converted.ok()) {
          return arrow::Status::Invalid("VALUES row ", r + 1, ", column ", c + 1, ": cannot cast ",
                                        value->ToString(), " to ", type->ToString(), ": ",
                                        converted.status().message());
        }
        cast = *converted;
      }
      ARROW_RETURN_NOT_OK(builders[static_cast<size_t>(c)]->AppendScalar(*cast));
    }
  }
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (auto& builder : builders) {
    ARROW_ASSIGN_OR_RAISE(auto array, builder->Finish());
    columns.push_back(std::move(array));
  }
  auto batch =
      arrow::RecordBatch::Make(schema, static_cast<int64_t>(rows.size()), std::move(columns));
  return Make(std::move(schema), {std::move(batch)});
}

arrow::Result<physical::ExecutionPlanPtr> ValuesExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return shared_from_this();
}

arrow::Result<physical::RecordBatchStreamPtr> ValuesExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  auto self = std::static_pointer_cast<const ValuesExec>(shared_from_this());
  return std::make_unique<ValuesStream>(std::move(self), context);
}

}  // namespace quiver::exec
