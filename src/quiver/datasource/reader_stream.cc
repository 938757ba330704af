#include "quiver/datasource/reader_stream.h"

#include <arrow/array.h>
#include <arrow/type.h>

#include <algorithm>
#include <exception>

namespace quiver::datasource {

namespace {

class ReaderStream final : public physical::RecordBatchStream {
 public:
  ReaderStream(std::shared_ptr<arrow::Schema> schema,
               std::shared_ptr<arrow::RecordBatchReader> reader, int64_t batch_size,
               ReadErrorMapper on_error)
      : schema_(std::move(schema)),
        reader_(std::move(reader)),
        batch_size_(std::max<int64_t>(1, batch_size)),
        on_error_(std::move(on_error)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    while (pending_ == nullptr || offset_ >= pending_->num_rows()) {
      if (reader_ == nullptr) return nullptr;
      std::shared_ptr<arrow::RecordBatch> batch;
      arrow::Status st;
      try {
        st = reader_->ReadNext(&batch);
      } catch (const std::exception& e) {
        st = arrow::Status::IOError(e.what());
      }
      if (!st.ok()) {
        reader_.reset();
        return on_error_ ? on_error_(st) : st;
      }
      if (batch == nullptr) {
        reader_.reset();
        return nullptr;
      }
      ARROW_ASSIGN_OR_RAISE(pending_, select(*batch));
      offset_ = 0;
    }
    const int64_t n = std::min(batch_size_, pending_->num_rows() - offset_);
    auto out = (offset_ == 0 && n == pending_->num_rows()) ? pending_ : pending_->Slice(offset_, n);
    offset_ += n;
    return out;
  }

 private:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> select(const arrow::RecordBatch& batch) const {
    std::vector<std::shared_ptr<arrow::Array>> columns;
    columns.reserve(static_cast<size_t>(schema_->num_fields()));
    for (const auto& field : schema_->fields()) {
      auto column = batch.GetColumnByName(field->name());
      if (column == nullptr) {
        arrow::Status st = arrow::Status::Invalid("column '", field->name(), "' is missing");
        return on_error_ ? on_error_(st) : st;
      }
      if (!column->type()->Equals(*field->type())) {
        arrow::Status st = arrow::Status::Invalid("column '", field->name(), "' has type ",
                                                  column->type()->ToString(), ", expected ",
                                                  field->type()->ToString());
        return on_error_ ? on_error_(st) : st;
      }
      columns.push_back(std::move(column));
    }
    return arrow::RecordBatch::Make(schema_, batch.num_rows(), std::move(columns));
  }

  std::shared_ptr<arrow::Schema> schema_;
  std::shared_ptr<arrow::RecordBatchReader> reader_;
  int64_t batch_size_;
  ReadErrorMapper on_error_;
  std::shared_ptr<arrow::RecordBatch> pending_;
  int64_t offset_ = 0;
};

}  // namespace

physical::RecordBatchStreamPtr make_reader_stream(std::shared_ptr<arrow::Schema> schema,
                                                  std::shared_ptr<arrow::RecordBatchReader> reader,
                                                  int64_t batch_size, ReadErrorMapper on_error) {
  return std::make_unique<ReaderStream>(std::move(schema), std::move(reader), batch_size,
                                        std::move(on_error));
}

}  // namespace quiver::datasource
