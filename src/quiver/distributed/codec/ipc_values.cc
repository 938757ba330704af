#include "quiver/distributed/codec/ipc_values.h"

#include <arrow/buffer.h>
#include <arrow/io/memory.h>
#include <arrow/ipc/dictionary.h>
#include <arrow/ipc/reader.h>
#include <arrow/ipc/writer.h>

namespace quiver::distributed::codec {

namespace {

constexpr const char* kValueField = "v";

std::shared_ptr<arrow::Buffer> view_buffer(std::string_view bytes) {
  return std::make_shared<arrow::Buffer>(reinterpret_cast<const uint8_t*>(bytes.data()),
                                         static_cast<int64_t>(bytes.size()));
}

arrow::Status malformed(const char* what, const arrow::Status& status) {
  return arrow::Status::Invalid("plan codec: malformed ", what, ": ", status.message());
}

}  // namespace

arrow::Result<std::string> encode_schema(const arrow::Schema& schema) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::ipc::SerializeSchema(schema));
  return buffer->ToString();
}

arrow::Result<std::shared_ptr<arrow::Schema>> decode_schema(std::string_view bytes) {
  arrow::io::BufferReader reader(view_buffer(bytes));
  arrow::ipc::DictionaryMemo memo;
  auto schema = arrow::ipc::ReadSchema(&reader, &memo);
  if (!schema.ok()) return malformed("schema", schema.status());
  return schema;
}

arrow::Result<std::string> encode_type(const std::shared_ptr<arrow::DataType>& type) {
  return encode_schema(arrow::Schema({arrow::field("t", type)}));
}

arrow::Result<std::shared_ptr<arrow::DataType>> decode_type(std::string_view bytes) {
  ARROW_ASSIGN_OR_RAISE(auto schema, decode_schema(bytes));
  if (schema->num_fields() != 1) {
    return arrow::Status::Invalid("plan codec: malformed type: expected one field, got ",
                                  schema->num_fields());
  }
  return schema->field(0)->type();
}

arrow::Result<std::string> encode_batches(
    const std::shared_ptr<arrow::Schema>& schema,
    const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
  ARROW_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
  ARROW_ASSIGN_OR_RAISE(auto writer, arrow::ipc::MakeStreamWriter(sink, schema));
  for (const auto& batch : batches) ARROW_RETURN_NOT_OK(writer->WriteRecordBatch(*batch));
  ARROW_RETURN_NOT_OK(writer->Close());
  ARROW_ASSIGN_OR_RAISE(auto buffer, sink->Finish());
  return buffer->ToString();
}

arrow::Result<DecodedBatches> decode_batches(std::string_view bytes) {
  // The reader may keep slices of the buffer, so it owns a copy of the bytes.
  std::shared_ptr<arrow::Buffer> owned = arrow::Buffer::FromString(std::string(bytes));
  auto input = std::make_shared<arrow::io::BufferReader>(owned);
  auto reader = arrow::ipc::RecordBatchStreamReader::Open(input);
  if (!reader.ok()) return malformed("batches", reader.status());
  DecodedBatches out;
  out.schema = (*reader)->schema();
  while (true) {
    std::shared_ptr<arrow::RecordBatch> batch;
    auto status = (*reader)->ReadNext(&batch);
    if (!status.ok()) return malformed("batches", status);
    if (batch == nullptr) break;
    out.batches.push_back(std::move(batch));
  }
  return out;
}

arrow::Result<std::string> encode_array(const std::shared_ptr<arrow::Array>& array) {
  auto schema = arrow::schema({arrow::field(kValueField, array->type())});
  return encode_batches(schema, {arrow::RecordBatch::Make(schema, array->length(), {array})});
}

arrow::Result<std::shared_ptr<arrow::Array>> decode_array(std::string_view bytes) {
  ARROW_ASSIGN_OR_RAISE(auto decoded, decode_batches(bytes));
  if (decoded.schema->num_fields() != 1 || decoded.batches.size() != 1) {
    return arrow::Status::Invalid("plan codec: malformed array: expected one column in one batch");
  }
  return decoded.batches[0]->column(0);
}

arrow::Result<std::string> encode_scalar(const arrow::Scalar& scalar) {
  ARROW_ASSIGN_OR_RAISE(auto array, arrow::MakeArrayFromScalar(scalar, 1));
  return encode_array(array);
}

arrow::Result<std::shared_ptr<arrow::Scalar>> decode_scalar(std::string_view bytes) {
  ARROW_ASSIGN_OR_RAISE(auto array, decode_array(bytes));
  if (array->length() != 1) {
    return arrow::Status::Invalid("plan codec: malformed scalar: expected one value, got ",
                                  array->length());
  }
  return array->GetScalar(0);
}

}  // namespace quiver::distributed::codec
