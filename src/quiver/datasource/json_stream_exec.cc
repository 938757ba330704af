#include "quiver/datasource/json_stream_exec.h"

#include <thread>

#include "quiver/datasource/json_stream/schema_inference.h"
#include "quiver/exec/exchange/bounded_channel.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::datasource {

namespace {

using BatchResult = arrow::Result<std::shared_ptr<arrow::RecordBatch>>;

std::string_view drift_name(json::DriftPolicy drift) {
  switch (drift) {
    case json::DriftPolicy::kError:
      return "error";
    case json::DriftPolicy::kWiden:
      return "widen";
    case json::DriftPolicy::kRaw:
      return "raw";
  }
  return "?";
}

/// Receives the batches of one producer thread that runs a JsonBatchReader.
class JsonStreamExecStream final : public exec::OperatorStream {
 public:
  JsonStreamExecStream(physical::ExecutionPlanPtr node,
                       std::shared_ptr<physical::TaskContext> context,
                       std::unique_ptr<json::JsonBatchReader> reader, size_t capacity)
      : OperatorStream(node, context, reader->schema()),
        channel_(std::make_shared<exec::BoundedChannel<BatchResult>>(1, 1, capacity)) {
    producer_ = std::thread([channel = channel_, reader = std::move(reader), context]() mutable {
      while (!context->cancelled()) {
        auto batch = reader->next();
        if (!batch.ok()) {
          channel->send_unbounded(0, batch.status());
          break;
        }
        if (*batch == nullptr || !channel->send(0, std::move(batch))) break;
      }
      channel->close_sender();
    });
  }

  ~JsonStreamExecStream() override {
    channel_->cancel();
    if (producer_.joinable()) producer_.join();
  }

 protected:
  BatchResult poll_next() override {
    auto item = channel_->receive(0);
    if (!item.has_value()) {
      ARROW_RETURN_NOT_OK(exec::check_cancelled(*context(), "JsonStreamExec"));
      return nullptr;
    }
    return std::move(*item);
  }

 private:
  std::shared_ptr<exec::BoundedChannel<BatchResult>> channel_;
  std::thread producer_;
};

}  // namespace

arrow::Result<std::shared_ptr<JsonStreamExec>> JsonStreamExec::Make(
    std::shared_ptr<arrow::Schema> schema, ByteChunkStreamFactory factory, int partitions,
    std::vector<int> projection, json::JsonParseOptions options, json::StreamConfig config,
    std::string source) {
  if (partitions < 1) return arrow::Status::Invalid("JsonStreamExec: partitions must be >= 1");
  if (config.batch_size < 1) {
    return arrow::Status::Invalid("JsonStreamExec: batch_size must be >= 1, got ",
                                  config.batch_size);
  }
  // The producer always holds one batch being built plus at least one waiting (the channel has
  // no zero capacity), so fewer than two records cannot be honoured.
  if (config.max_buffered_items < 2) {
    return arrow::Status::Invalid("JsonStreamExec: max_buffered_items must be >= 2, got ",
                                  config.max_buffered_items);
  }
  // Validates the schema, projection and options once (a builder is made per partition).
  ARROW_ASSIGN_OR_RAISE(auto probe, json::JsonBatchBuilder::Make(schema, projection, options));
  std::shared_ptr<JsonStreamExec> node(new JsonStreamExec());
  node->declared_ = std::move(schema);
  node->factory_ = std::move(factory);
  node->source_ = std::move(source);
  node->projection_ = std::move(projection);
  node->options_ = std::move(options);
  // The producer holds the batch being built plus `capacity_` waiting ones: with batch_size_ <=
  // max / 2, capacity_ = max / batch_size_ - 1 >= 1 and together at most
  // (capacity_ + 1) * batch_size_ <= max_buffered_items records. The channel keeps that bound
  // even when the consumer is slow to wake (see BoundedChannel's flow control).
  node->batch_size_ =
      std::max<int64_t>(1, std::min(config.batch_size, config.max_buffered_items / 2));
  node->capacity_ =
      static_cast<size_t>(std::max<int64_t>(1, config.max_buffered_items / node->batch_size_ - 1));
  node->properties_.schema = probe->output_schema();
  node->properties_.partitioning = physical::Partitioning::unknown(partitions);
  return node;
}

arrow::Result<std::shared_ptr<arrow::Schema>> JsonStreamExec::infer_schema(
    const ByteChunkStreamFactory& factory, const json::JsonParseOptions& options,
    int64_t sample_records) {
  ARROW_ASSIGN_OR_RAISE(auto input, factory(0));
  if (input == nullptr) {
    return arrow::Status::Invalid("JsonStreamExec: the stream factory returned no stream");
  }
  return json::infer_json_schema(*input, options.format, sample_records, options.drift);
}

arrow::Result<physical::ExecutionPlanPtr> JsonStreamExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return shared_from_this();
}

arrow::Result<physical::RecordBatchStreamPtr> JsonStreamExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto input, factory_(partition));
  if (input == nullptr) {
    return arrow::Status::Invalid(
        "JsonStreamExec: the stream factory returned no stream for "
        "partition ",
        partition);
  }
  ARROW_ASSIGN_OR_RAISE(auto builder,
                        json::JsonBatchBuilder::Make(declared_, projection_, options_));
  auto reader = std::make_unique<json::JsonBatchReader>(std::move(input), std::move(builder),
                                                        options_.format, batch_size_);
  return std::make_unique<JsonStreamExecStream>(shared_from_this(), context, std::move(reader),
                                                capacity_);
}

std::string JsonStreamExec::display() const {
  std::string out = "JsonStreamExec: ";
  if (!source_.empty()) out += "source=" + source_ + ", ";
  out += "partitions=" + std::to_string(output_partitions()) + ", projection=[";
  for (int i = 0; i < schema()->num_fields(); ++i) {
    if (i > 0) out += ", ";
    out += schema()->field(i)->name();
  }
  out += "], drift=";
  out += drift_name(options_.drift);
  return out;
}

}  // namespace quiver::datasource
