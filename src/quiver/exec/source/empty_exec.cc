#include "quiver/exec/source/empty_exec.h"

#include <arrow/array/util.h>

#include "quiver/exec/operator_stream.h"

namespace quiver::exec {

namespace {

/// Emits one row of nulls once, then ends.
class PlaceholderRowStream final : public OperatorStream {
 public:
  using OperatorStream::OperatorStream;

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override {
    if (emitted_) return nullptr;
    emitted_ = true;
    std::vector<std::shared_ptr<arrow::Array>> columns;
    for (const auto& field : schema()->fields()) {
      ARROW_ASSIGN_OR_RAISE(auto column, arrow::MakeArrayOfNull(field->type(), 1));
      columns.push_back(std::move(column));
    }
    return arrow::RecordBatch::Make(schema(), 1, std::move(columns));
  }

 private:
  bool emitted_ = false;
};

}  // namespace

EmptyExec::EmptyExec(std::shared_ptr<arrow::Schema> schema, bool produce_one_row)
    : produce_one_row_(produce_one_row) {
  properties_.schema = std::move(schema);
  properties_.partitioning = physical::Partitioning::unknown(1);
}

arrow::Result<std::shared_ptr<EmptyExec>> EmptyExec::Make(std::shared_ptr<arrow::Schema> schema,
                                                          bool produce_one_row) {
  if (schema == nullptr) return arrow::Status::UnknownError("EmptyExec: null schema");
  return std::shared_ptr<EmptyExec>(new EmptyExec(std::move(schema), produce_one_row));
}

std::string_view EmptyExec::name() const {
  return produce_one_row_ ? "PlaceholderRowExec" : "EmptyExec";
}

arrow::Result<physical::ExecutionPlanPtr> EmptyExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return shared_from_this();
}

arrow::Result<physical::RecordBatchStreamPtr> EmptyExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  if (!produce_one_row_) return physical::make_vector_stream(schema(), {});
  return std::make_unique<PlaceholderRowStream>(shared_from_this(), context, schema());
}

}  // namespace quiver::exec
