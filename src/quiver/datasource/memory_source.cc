#include "quiver/datasource/memory_source.h"

#include "quiver/datasource/file_source.h"

namespace quiver::datasource {

arrow::Result<std::shared_ptr<MemorySource>> MemorySource::Make(
    std::shared_ptr<arrow::Schema> table_schema,
    std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions,
    std::optional<std::vector<int>> projection, std::optional<int64_t> limit) {
  ARROW_ASSIGN_OR_RAISE(auto schema, projected_schema(*table_schema, projection));
  return std::make_shared<MemorySource>(std::move(schema), std::move(partitions),
                                        std::move(projection), limit);
}

arrow::Result<physical::RecordBatchStreamPtr> MemorySource::open(
    int partition, const std::shared_ptr<physical::TaskContext>& context,
    physical::MetricsSet& metrics) const {
  if (partition < 0 || partition >= partition_count()) {
    return arrow::Status::UnknownError("memory source: partition ", partition, " out of range (",
                                       partition_count(), " partitions)");
  }
  auto self = std::static_pointer_cast<const MemorySource>(shared_from_this());
  size_t index = 0;
  int64_t produced = 0;
  return physical::make_generator_stream(
      schema_,
      [self, partition, context, &metrics, index,
       produced]() mutable -> arrow::Result<std::shared_ptr<arrow::RecordBatch>> {
        const auto& batches = self->partitions_[static_cast<size_t>(partition)];
        while (true) {
          if (context->cancelled()) return arrow::Status::Cancelled("query cancelled");
          if (index >= batches.size()) return nullptr;
          if (self->limit_ && produced >= *self->limit_) return nullptr;
          std::shared_ptr<arrow::RecordBatch> batch = batches[index++];
          if (batch->num_rows() == 0) continue;
          if (self->projection_) {
            ARROW_ASSIGN_OR_RAISE(batch, batch->SelectColumns(*self->projection_));
          }
          if (self->limit_ && produced + batch->num_rows() > *self->limit_) {
            batch = batch->Slice(0, *self->limit_ - produced);
          }
          produced += batch->num_rows();
          metrics.add_output_rows(batch->num_rows());
          return batch;
        }
      });
}

std::string MemorySource::display() const {
  std::string out = "partitions=" + std::to_string(partitions_.size()) + ", partition_sizes=[";
  for (size_t i = 0; i < partitions_.size(); ++i) {
    if (i > 0) out += ", ";
    out += std::to_string(partitions_[i].size());
  }
  out += "]";
  if (limit_) out += ", fetch=" + std::to_string(*limit_);
  return out;
}

}  // namespace quiver::datasource
