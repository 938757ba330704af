#include "quiver/datasource/memory_table.h"

#include <arrow/compute/cast.h>

#include "quiver/datasource/data_source_exec.h"
#include "quiver/datasource/memory_source.h"

namespace quiver::datasource {

arrow::Result<std::shared_ptr<MemoryTable>> MemoryTable::Make(
    std::shared_ptr<arrow::Schema> schema,
    std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions) {
  if (schema == nullptr) return arrow::Status::UnknownError("a memory table needs a schema");
  auto table = std::make_shared<MemoryTable>(std::move(schema));
  for (auto& partition : partitions) {
    std::vector<std::shared_ptr<arrow::RecordBatch>> converted;
    converted.reserve(partition.size());
    for (const auto& batch : partition) {
      ARROW_ASSIGN_OR_RAISE(auto b, table->conform(batch));
      converted.push_back(std::move(b));
    }
    table->partitions_.push_back(std::move(converted));
  }
  return table;
}

arrow::Result<std::shared_ptr<MemoryTable>> MemoryTable::FromTable(const arrow::Table& table) {
  arrow::TableBatchReader reader(table);
  ARROW_ASSIGN_OR_RAISE(auto batches, reader.ToRecordBatches());
  return Make(table.schema(), {std::move(batches)});
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> MemoryTable::conform(
    const std::shared_ptr<arrow::RecordBatch>& batch) const {
  if (batch->num_columns() != schema_->num_fields()) {
    return arrow::Status::Invalid("cannot store ", batch->num_columns(), " columns in a table of ",
                                  schema_->num_fields(), " columns (", schema_->ToString(), ")");
  }
  std::vector<std::shared_ptr<arrow::Array>> columns = batch->columns();
  for (int i = 0; i < schema_->num_fields(); ++i) {
    const auto& want = schema_->field(i);
    auto& column = columns[static_cast<size_t>(i)];
    if (!column->type()->Equals(*want->type())) {
      auto cast = arrow::compute::Cast(*column, want->type());
      if (!cast.ok()) {
        return arrow::Status::Invalid("cannot store a value of type ", column->type()->ToString(),
                                      " in column '", want->name(), "' of type ",
                                      want->type()->ToString(), ": ", cast.status().message());
      }
      column = *cast;
    }
    if (!want->nullable() && column->null_count() > 0) {
      return arrow::Status::Invalid("column '", want->name(), "' does not accept NULL values");
    }
  }
  return arrow::RecordBatch::Make(schema_, batch->num_rows(), std::move(columns));
}

arrow::Status MemoryTable::append(const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> converted;
  converted.reserve(batches.size());
  for (const auto& batch : batches) {
    ARROW_ASSIGN_OR_RAISE(auto b, conform(batch));
    converted.push_back(std::move(b));
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (partitions_.size() == 1) {
    for (auto& b : converted) partitions_[0].push_back(std::move(b));
  } else {
    partitions_.push_back(std::move(converted));
  }
  return arrow::Status::OK();
}

std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> MemoryTable::partitions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return partitions_;
}

arrow::Result<physical::ExecutionPlanPtr> MemoryTable::scan(const catalog::ScanArgs& args) const {
  auto parts = partitions();
  // A scan always has at least one partition, even over an empty table.
  if (parts.empty()) parts.emplace_back();
  ARROW_ASSIGN_OR_RAISE(auto source,
                        MemorySource::Make(schema_, std::move(parts), args.projection, args.limit));
  return std::make_shared<DataSourceExec>(std::move(source));
}

std::optional<int64_t> MemoryTable::num_rows() const {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t total = 0;
  for (const auto& partition : partitions_) {
    for (const auto& batch : partition) total += batch->num_rows();
  }
  return total;
}

}  // namespace quiver::datasource
