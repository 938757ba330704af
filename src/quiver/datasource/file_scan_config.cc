#include "quiver/datasource/file_scan_config.h"

#include <arrow/record_batch.h>
#include <arrow/type.h>

namespace quiver::datasource {

namespace {

// Reads the files of one group one after another, trimming to the limit.
class FileGroupStream final : public physical::RecordBatchStream {
 public:
  FileGroupStream(std::shared_ptr<const FileScanConfig> scan, FileGroup files,
                  std::shared_ptr<physical::TaskContext> context, physical::MetricsSet& metrics)
      : scan_(std::move(scan)),
        files_(std::move(files)),
        context_(std::move(context)),
        metrics_(metrics) {}

  std::shared_ptr<arrow::Schema> schema() const override { return scan_->schema(); }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (done_) return nullptr;
    auto result = next_batch();
    if (!result.ok() || *result == nullptr) {
      done_ = true;
      current_.reset();
    }
    return result;
  }

 private:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next_batch() {
    const auto& limit = scan_->options().limit;
    while (true) {
      if (context_->cancelled()) return arrow::Status::Cancelled("query cancelled");
      if (limit && produced_ >= *limit) return nullptr;
      if (current_ == nullptr) {
        if (file_index_ >= files_.size()) return nullptr;
        const FileEntry& file = files_[file_index_++];
        physical::ScopedTimer timer(metrics_);
        FileOpenArgs args;
        args.table_schema = scan_->options().table_schema;
        args.projection = scan_->options().projection;
        args.filters = scan_->options().filters;
        if (limit) args.limit = *limit - produced_;
        args.batch_size = context_->batch_size();
        args.metrics = &metrics_;
        ARROW_ASSIGN_OR_RAISE(current_, scan_->options().source->open(file, args));
        continue;
      }
      std::shared_ptr<arrow::RecordBatch> batch;
      {
        physical::ScopedTimer timer(metrics_);
        ARROW_ASSIGN_OR_RAISE(batch, current_->next());
      }
      if (batch == nullptr) {
        current_.reset();
        continue;
      }
      if (batch->num_rows() == 0) continue;
      if (limit && produced_ + batch->num_rows() > *limit) {
        batch = batch->Slice(0, *limit - produced_);
      }
      produced_ += batch->num_rows();
      metrics_.add_output_rows(batch->num_rows());
      return batch;
    }
  }

  std::shared_ptr<const FileScanConfig> scan_;
  FileGroup files_;
  std::shared_ptr<physical::TaskContext> context_;
  physical::MetricsSet& metrics_;
  size_t file_index_ = 0;
  physical::RecordBatchStreamPtr current_;
  int64_t produced_ = 0;
  bool done_ = false;
};

}  // namespace

arrow::Result<std::shared_ptr<FileScanConfig>> FileScanConfig::Make(Options options) {
  if (options.source == nullptr || options.table_schema == nullptr) {
    return arrow::Status::UnknownError("a file scan needs a file source and a table schema");
  }
  ARROW_ASSIGN_OR_RAISE(auto schema, projected_schema(*options.table_schema, options.projection));
  return std::make_shared<FileScanConfig>(std::move(options), std::move(schema));
}

std::shared_ptr<FileScanConfig> FileScanConfig::with_file_groups(
    std::vector<FileGroup> groups) const {
  Options copy = options_;
  copy.file_groups = std::move(groups);
  return std::make_shared<FileScanConfig>(std::move(copy), schema_);
}

arrow::Result<physical::RecordBatchStreamPtr> FileScanConfig::open(
    int partition, const std::shared_ptr<physical::TaskContext>& context,
    physical::MetricsSet& metrics) const {
  if (partition < 0 || partition >= partition_count()) {
    return arrow::Status::UnknownError("file scan: partition ", partition, " out of range (",
                                       partition_count(), " file groups)");
  }
  auto self = std::static_pointer_cast<const FileScanConfig>(shared_from_this());
  return std::make_unique<FileGroupStream>(
      std::move(self), options_.file_groups[static_cast<size_t>(partition)], context, metrics);
}

std::string FileScanConfig::display() const {
  std::string out = "file_groups=" + display_file_groups(options_.file_groups);
  if (schema_->num_fields() > 0) {
    out += ", projection=[";
    for (int i = 0; i < schema_->num_fields(); ++i) {
      if (i > 0) out += ", ";
      out += schema_->field(i)->name();
    }
    out += "]";
  }
  if (options_.limit) out += ", limit=" + std::to_string(*options_.limit);
  out += ", file_type=" + std::string(options_.source->file_type());
  out += options_.source->display_options();
  if (!options_.predicate_display.empty()) out += ", predicate=" + options_.predicate_display;
  return out;
}

}  // namespace quiver::datasource
