#include "custom_execution_plan/numbers_exec.h"

#include <arrow/array/builder_primitive.h>
#include <arrow/record_batch.h>

#include <algorithm>

namespace quiver::examples {

std::shared_ptr<arrow::Schema> NumbersExec::table_schema() {
  static const auto schema = arrow::schema({arrow::field("number", arrow::int64(), false)});
  return schema;
}

NumbersExec::NumbersExec(std::vector<NumberRange> ranges, bool with_column)
    : ranges_(std::move(ranges)), with_column_(with_column) {
  properties_.schema = with_column_ ? table_schema() : arrow::schema(arrow::FieldVector{});
  properties_.partitioning = physical::Partitioning::unknown(1);
}

arrow::Result<std::shared_ptr<NumbersExec>> NumbersExec::Make(std::vector<NumberRange> ranges,
                                                              bool with_column) {
  if (ranges.empty()) return arrow::Status::Invalid("NumbersExec needs at least one range");
  for (const auto& r : ranges) {
    if (r.end < r.start) {
      return arrow::Status::Invalid("NumbersExec: invalid range [", r.start, "-", r.end, ")");
    }
  }
  return std::make_shared<NumbersExec>(std::move(ranges), with_column);
}

arrow::Result<physical::ExecutionPlanPtr> NumbersExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return std::static_pointer_cast<const physical::ExecutionPlan>(shared_from_this());
}

arrow::Result<physical::RecordBatchStreamPtr> NumbersExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  const auto& task = context->distributed();
  if (task.task_index < 0 || task.task_index >= static_cast<int>(ranges_.size())) {
    return arrow::Status::Invalid("NumbersExec has ", ranges_.size(),
                                  " task ranges but runs as task ", task.task_index);
  }
  const NumberRange range = ranges_[static_cast<size_t>(task.task_index)];
  const int64_t batch_size = context->batch_size();
  auto schema = properties_.schema;
  const bool with_column = with_column_;
  auto metrics = &this->metrics();
  int64_t next = range.start;
  return physical::make_generator_stream(
      schema, [=]() mutable -> arrow::Result<std::shared_ptr<arrow::RecordBatch>> {
        if (next >= range.end) return nullptr;
        physical::ScopedTimer timer(*metrics);
        const int64_t n = std::min(batch_size, range.end - next);
        std::shared_ptr<arrow::RecordBatch> batch;
        if (with_column) {
          arrow::Int64Builder builder;
          ARROW_RETURN_NOT_OK(builder.Reserve(n));
          for (int64_t i = 0; i < n; ++i) builder.UnsafeAppend(next + i);
          ARROW_ASSIGN_OR_RAISE(auto array, builder.Finish());
          batch = arrow::RecordBatch::Make(schema, n, {array});
        } else {
          batch = arrow::RecordBatch::Make(schema, n, arrow::ArrayVector{});
        }
        next += n;
        metrics->add_output_rows(n);
        return batch;
      });
}

std::string NumbersExec::display() const {
  std::string out = "NumbersExec: ";
  for (size_t i = 0; i < ranges_.size(); ++i) {
    if (i > 0) out += ", ";
    out += "t" + std::to_string(i) + ":[" + std::to_string(ranges_[i].start) + "-" +
           std::to_string(ranges_[i].end) + ")";
  }
  return out;
}

}  // namespace quiver::examples
