#pragma once

#include <arrow/array.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/scalar.h>
#include <arrow/type.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

/// How Arrow values travel inside plan messages: as Arrow IPC bytes, so types (with nested
/// children, time zones, decimal precision), nullability and values come back exactly.
namespace quiver::distributed::codec {

/// Returns the IPC-serialised schema.
arrow::Result<std::string> encode_schema(const arrow::Schema& schema);
/// Reads a schema written by encode_schema.
arrow::Result<std::shared_ptr<arrow::Schema>> decode_schema(std::string_view bytes);

/// Returns a type as the IPC schema of one field of that type.
arrow::Result<std::string> encode_type(const std::shared_ptr<arrow::DataType>& type);
/// Reads a type written by encode_type.
arrow::Result<std::shared_ptr<arrow::DataType>> decode_type(std::string_view bytes);

/// Returns an IPC stream: `schema`, then every batch.
arrow::Result<std::string> encode_batches(
    const std::shared_ptr<arrow::Schema>& schema,
    const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches);
/// The schema and batches read back from encode_batches's bytes.
struct DecodedBatches {
  std::shared_ptr<arrow::Schema> schema;
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
};
/// Reads an IPC stream written by encode_batches.
arrow::Result<DecodedBatches> decode_batches(std::string_view bytes);

/// Returns an array as an IPC stream of one batch with one column.
arrow::Result<std::string> encode_array(const std::shared_ptr<arrow::Array>& array);
/// Reads an array written by encode_array.
arrow::Result<std::shared_ptr<arrow::Array>> decode_array(std::string_view bytes);

/// Returns a scalar as encode_array of a one-element array.
arrow::Result<std::string> encode_scalar(const arrow::Scalar& scalar);
/// Reads a scalar written by encode_scalar.
arrow::Result<std::shared_ptr<arrow::Scalar>> decode_scalar(std::string_view bytes);

}  // namespace quiver::distributed::codec
