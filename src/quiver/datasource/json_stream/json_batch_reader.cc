#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace quiver::datasource::json {

arrow::Result<std::shared_ptr<arrow::Buffer>> VectorChunkStream::next() {
  if (index_ >= chunks_.size()) return nullptr;
  return arrow::Buffer::FromString(std::move(chunks_[index_++]));
}

std::unique_ptr<ByteChunkStream> values_as_ndjson(std::vector<std::string> values) {
  for (auto& value : values) value.push_back('\n');
  return std::make_unique<VectorChunkStream>(std::move(values));
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> JsonBatchReader::next() {
  while (true) {
    JsonRecord record;
    while (builder_->num_rows() < batch_size_) {
      ARROW_ASSIGN_OR_RAISE(bool found, splitter_.next(&record));
      if (!found) break;
      ARROW_RETURN_NOT_OK(builder_->append(record));
    }
    if (builder_->num_rows() >= batch_size_) return builder_->flush();
    if (input_done_) {
      if (builder_->num_rows() > 0) return builder_->flush();
      return nullptr;
    }
    ARROW_ASSIGN_OR_RAISE(auto chunk, input_->next());
    if (chunk == nullptr) {
      input_done_ = true;
      ARROW_RETURN_NOT_OK(splitter_.finish());
      continue;
    }
    splitter_.feed(std::string_view(reinterpret_cast<const char*>(chunk->data()),
                                    static_cast<size_t>(chunk->size())));
  }
}

}  // namespace quiver::datasource::json
