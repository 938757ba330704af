#pragma once

#include <arrow/result.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/datasource/json_stream/json_batch_reader.h"
#include "quiver/datasource/json_stream/json_stream_options.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::datasource {

/// Opens the byte stream of one partition; called once per execute(partition).
using ByteChunkStreamFactory =
    std::function<arrow::Result<std::unique_ptr<json::ByteChunkStream>>(int partition)>;

/// A leaf that streams JSON (NDJSON or arrays of objects) from a user-provided source into Arrow
/// batches. Each partition runs one producer thread (factory, record splitting, conversion)
/// that hands batches to the consumer through a bounded channel: the producer holds at most
/// `config.max_buffered_items` records (the batch being built plus the batches waiting), so
/// memory stays bounded whatever the input size and a slow consumer stops the producer from
/// reading. Dropping the stream cancels the producer (it stops at its next chunk or batch).
/// Displays as `JsonStreamExec: partitions=N, projection=[a, b], drift=error`, after
/// `source=...` when the node was given a source description.
class JsonStreamExec : public physical::ExecutionPlan {
 public:
  /// Creates the node: `schema` is the records' declared schema, `projection` the indices of the
  /// fields produced (empty = all), `partitions` how many times the factory is opened, `source`
  /// what the display names as the input (a URL without credentials; empty = nothing).
  static arrow::Result<std::shared_ptr<JsonStreamExec>> Make(
      std::shared_ptr<arrow::Schema> schema, ByteChunkStreamFactory factory, int partitions,
      std::vector<int> projection, json::JsonParseOptions options, json::StreamConfig config,
      std::string source = "");

  /// Infers the records' schema from the first `sample_records` records of partition 0 (opened
  /// once for the sample, then again by execute); see json::infer_json_schema.
  static arrow::Result<std::shared_ptr<arrow::Schema>> infer_schema(
      const ByteChunkStreamFactory& factory, const json::JsonParseOptions& options,
      int64_t sample_records = 1000);

  /// Returns "JsonStreamExec".
  std::string_view name() const override { return "JsonStreamExec"; }
  /// Returns the properties: `partitions` unknown partitions, unbounded-capable source.
  const physical::PlanProperties& properties() const override { return properties_; }
  /// Returns no children.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  /// Returns this node (a leaf takes no children).
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Opens partition `partition`'s byte stream and starts its producer.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns the one-line display.
  std::string display() const override;

  /// Returns the effective rows per batch (config.batch_size clamped to max_buffered_items / 2).
  int64_t batch_size() const { return batch_size_; }
  /// Returns how many full batches may wait for the consumer.
  size_t channel_capacity() const { return capacity_; }

 private:
  JsonStreamExec() = default;

  std::shared_ptr<arrow::Schema> declared_;
  ByteChunkStreamFactory factory_;
  std::string source_;
  std::vector<int> projection_;
  json::JsonParseOptions options_;
  int64_t batch_size_ = 1;
  size_t capacity_ = 1;
  physical::PlanProperties properties_;
};

}  // namespace quiver::datasource
