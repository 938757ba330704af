#include "quiver/physical/record_batch_stream.h"

namespace quiver::physical {

namespace {

class VectorStream final : public RecordBatchStream {
 public:
  VectorStream(std::shared_ptr<arrow::Schema> schema,
               std::vector<std::shared_ptr<arrow::RecordBatch>> batches)
      : schema_(std::move(schema)), batches_(std::move(batches)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (index_ >= batches_.size()) return nullptr;
    return batches_[index_++];
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches_;
  size_t index_ = 0;
};

class GeneratorStream final : public RecordBatchStream {
 public:
  GeneratorStream(std::shared_ptr<arrow::Schema> schema,
                  std::function<arrow::Result<std::shared_ptr<arrow::RecordBatch>>()> generate)
      : schema_(std::move(schema)), generate_(std::move(generate)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (done_) return nullptr;
    auto result = generate_();
    if (!result.ok() || *result == nullptr) done_ = true;
    return result;
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
  std::function<arrow::Result<std::shared_ptr<arrow::RecordBatch>>()> generate_;
  bool done_ = false;
};

}  // namespace

RecordBatchStreamPtr make_vector_stream(std::shared_ptr<arrow::Schema> schema,
                                        std::vector<std::shared_ptr<arrow::RecordBatch>> batches) {
  return std::make_unique<VectorStream>(std::move(schema), std::move(batches));
}

RecordBatchStreamPtr make_generator_stream(
    std::shared_ptr<arrow::Schema> schema,
    std::function<arrow::Result<std::shared_ptr<arrow::RecordBatch>>()> generate) {
  return std::make_unique<GeneratorStream>(std::move(schema), std::move(generate));
}

arrow::Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> collect_stream(
    RecordBatchStream& stream) {
  std::vector<std::shared_ptr<arrow::RecordBatch>> out;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto batch, stream.next());
    if (batch == nullptr) break;
    out.push_back(std::move(batch));
  }
  return out;
}

}  // namespace quiver::physical
