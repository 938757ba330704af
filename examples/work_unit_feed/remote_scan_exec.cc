#include "work_unit_feed/remote_scan_exec.h"

#include <arrow/array/builder_primitive.h>
#include <arrow/record_batch.h>

namespace quiver::examples {

std::shared_ptr<arrow::Schema> RemoteScanExec::table_schema() {
  static const auto schema = arrow::schema({arrow::field("task", arrow::int64(), false),
                                            arrow::field("partition", arrow::int64(), false)});
  return schema;
}

RemoteScanExec::RemoteScanExec(std::vector<std::vector<int64_t>> chunks, int partitions,
                               int requested_tasks, int tasks, ChunkFeed feed,
                               std::vector<int> projection)
    : chunks_(std::move(chunks)),
      partitions_(partitions),
      requested_tasks_(requested_tasks),
      tasks_(tasks),
      feed_(std::move(feed)),
      projection_(std::move(projection)) {
  arrow::FieldVector fields;
  for (int i : projection_) fields.push_back(table_schema()->field(i));
  properties_.schema = arrow::schema(std::move(fields));
  properties_.partitioning = physical::Partitioning::unknown((partitions_ + tasks_ - 1) / tasks_);
}

arrow::Result<std::shared_ptr<RemoteScanExec>> RemoteScanExec::Make(
    std::vector<std::vector<int64_t>> partition_chunks, int partitions, int requested_tasks,
    int tasks, ChunkFeed feed, std::vector<int> projection) {
  if (partitions < 1 || tasks < 1 || requested_tasks < 1) {
    return arrow::Status::Invalid("RemoteScanExec needs at least one partition and one task");
  }
  for (int i : projection) {
    if (i < 0 || i >= table_schema()->num_fields()) {
      return arrow::Status::Invalid("RemoteScanExec: no column ", i);
    }
  }
  return std::make_shared<RemoteScanExec>(std::move(partition_chunks), partitions, requested_tasks,
                                          tasks, std::move(feed), std::move(projection));
}

arrow::Result<std::shared_ptr<RemoteScanExec>> RemoteScanExec::with_tasks(int tasks) const {
  return Make(chunks_, partitions_, requested_tasks_, tasks, feed_, projection_);
}

arrow::Result<physical::ExecutionPlanPtr> RemoteScanExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return std::static_pointer_cast<const physical::ExecutionPlan>(shared_from_this());
}

arrow::Result<physical::RecordBatchStreamPtr> RemoteScanExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  // The units of this partition: streamed by the coordinator while the query runs.
  ARROW_ASSIGN_OR_RAISE(auto units, feed_.feed(partition, context));
  const int64_t task = context->distributed().task_index;
  auto schema = properties_.schema;
  auto projection = projection_;
  auto metrics = &this->metrics();
  return physical::make_generator_stream(
      schema, [=]() mutable -> arrow::Result<std::shared_ptr<arrow::RecordBatch>> {
        ARROW_ASSIGN_OR_RAISE(auto chunk, units());
        if (!chunk.has_value()) return nullptr;
        physical::ScopedTimer timer(*metrics);
        arrow::ArrayVector columns;
        for (int column : projection) {
          const int64_t value = column == 0 ? task : chunk->partition;
          arrow::Int64Builder builder;
          ARROW_RETURN_NOT_OK(builder.Reserve(chunk->rows));
          for (int64_t i = 0; i < chunk->rows; ++i) builder.UnsafeAppend(value);
          ARROW_ASSIGN_OR_RAISE(auto array, builder.Finish());
          columns.push_back(std::move(array));
        }
        metrics->add_output_rows(chunk->rows);
        return arrow::RecordBatch::Make(schema, chunk->rows, std::move(columns));
      });
}

std::string RemoteScanExec::display() const {
  std::string out = "RemoteScanExec: tasks=" + std::to_string(tasks_) + ", partition_chunks=[";
  for (size_t p = 0; p < chunks_.size(); ++p) {
    if (p > 0) out += ", ";
    out += "[";
    for (size_t c = 0; c < chunks_[p].size(); ++c) {
      if (c > 0) out += ", ";
      out += std::to_string(chunks_[p][c]);
    }
    out += "]";
  }
  return out + "]";
}

}  // namespace quiver::examples
