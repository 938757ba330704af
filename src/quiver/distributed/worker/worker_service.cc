#include "quiver/distributed/worker/worker_service.h"

#include <arrow/ipc/options.h>
#include <arrow/record_batch.h>
#include <arrow/util/compression.h>

#include <algorithm>

#include "quiver/distributed/feed/work_unit_inbox.h"
#include "quiver/distributed/stage.h"
#include "quiver/distributed/worker/flight_error.h"

namespace quiver::distributed {

namespace flight = arrow::flight;

arrow::Result<arrow::ipc::IpcWriteOptions> ipc_write_options_for(std::string_view compression) {
  auto options = arrow::ipc::IpcWriteOptions::Defaults();
  if (compression == "none") return options;
  arrow::Compression::type type;
  if (compression == "lz4" || compression == "auto") {
    type = arrow::Compression::LZ4_FRAME;
  } else if (compression == "zstd") {
    type = arrow::Compression::ZSTD;
  } else {
    return arrow::Status::Invalid("option ", kCompressionOption,
                                  " must be 'auto', 'lz4', 'zstd' or 'none', not '", compression,
                                  "'");
  }
  ARROW_ASSIGN_OR_RAISE(auto codec, arrow::util::Codec::Create(type));
  options.codec = std::shared_ptr<arrow::util::Codec>(std::move(codec));
  return options;
}

bool is_local_peer(std::string_view peer) {
  auto starts_with = [&](std::string_view prefix) { return peer.rfind(prefix, 0) == 0; };
  return starts_with("ipv4:127.") || starts_with("ipv6:[::1]") || starts_with("ipv6:%5B::1%5D") ||
         starts_with("ipv6:[::ffff:127.") || starts_with("ipv6:%5B::ffff:127.") ||
         starts_with("unix:");
}

namespace {

// Builds the task's session options: the worker's base options with the task's options SET on
// top. `distributed.*` options the worker does not know are transport settings and are skipped.
arrow::Result<common::ConfigOptions> task_config(const WorkerServiceOptions& service,
                                                 const TaskMessage& message) {
  common::ConfigOptions config =
      service.make_config ? service.make_config() : common::ConfigOptions();
  for (const auto& [key, value] : message.options) {
    if (key.rfind("distributed.", 0) == 0 && !config.resolve_key(key).ok()) continue;
    auto st = config.set(key, value);
    if (!st.ok()) {
      return arrow::Status::Invalid("option '", key,
                                    "' cannot be applied on the worker (register its config "
                                    "extension on every worker): ",
                                    st.message());
    }
  }
  return config;
}

// One partition of a registered task being read: its stream, and the registry entry finished
// exactly once (at the end, on an error, when the reader stops early, or on destruction).
// Destroying the stream cancels the work under it.
class PartitionLease {
 public:
  PartitionLease(std::shared_ptr<TaskRegistry> registry, std::shared_ptr<RegisteredTask> task,
                 int partition, physical::RecordBatchStreamPtr stream)
      : registry_(std::move(registry)),
        task_(std::move(task)),
        partition_(partition),
        stream_(std::move(stream)) {}
  ~PartitionLease() { finish(); }
  PartitionLease(const PartitionLease&) = delete;
  PartitionLease& operator=(const PartitionLease&) = delete;

  /// Returns the next batch (nullptr at the end, or once finished); the end, an error or an
  /// ended task finishes the partition.
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() {
    if (finished_) return nullptr;
    if (task_->context->cancelled()) {
      finish();
      return arrow::Status::Cancelled("task ", task_->key.to_string(), " was ended");
    }
    auto batch = stream_->next();
    if (!batch.ok() || *batch == nullptr) finish();
    return batch;
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    stream_.reset();
    registry_->finish_partition(task_, partition_);
  }

  bool finished() const { return finished_; }
  const RegisteredTask& task() const { return *task_; }
  int partition() const { return partition_; }

 private:
  std::shared_ptr<TaskRegistry> registry_;
  std::shared_ptr<RegisteredTask> task_;
  int partition_;
  physical::RecordBatchStreamPtr stream_;
  bool finished_ = false;
};

// Adapts one partition's stream to the RecordBatchReader Flight serializes; a reader that
// dropped the call (the client went away) finishes the partition too.
class PartitionReader final : public arrow::RecordBatchReader {
 public:
  PartitionReader(std::shared_ptr<TaskRegistry> registry, std::shared_ptr<RegisteredTask> task,
                  int partition, physical::RecordBatchStreamPtr stream,
                  const flight::ServerCallContext* call)
      : lease_(std::move(registry), std::move(task), partition, std::move(stream)), call_(call) {}

  std::shared_ptr<arrow::Schema> schema() const override { return lease_.task().plan->schema(); }

  arrow::Status ReadNext(std::shared_ptr<arrow::RecordBatch>* batch) override {
    *batch = nullptr;
    if (!lease_.finished() && call_->is_cancelled()) {
      lease_.finish();
      return to_flight_error(arrow::Status::Cancelled("partition ", lease_.partition(), " of task ",
                                                      lease_.task().key.to_string(),
                                                      " was dropped by its reader"));
    }
    auto next = lease_.next();
    if (!next.ok()) return to_flight_error(next.status());
    *batch = std::move(*next);
    return arrow::Status::OK();
  }

 private:
  PartitionLease lease_;
  const flight::ServerCallContext* call_;
};

// One partition read in this process (open_local_partition).
class LocalPartitionStream final : public physical::RecordBatchStream {
 public:
  LocalPartitionStream(std::shared_ptr<TaskRegistry> registry, std::shared_ptr<RegisteredTask> task,
                       int partition, physical::RecordBatchStreamPtr stream)
      : lease_(std::move(registry), std::move(task), partition, std::move(stream)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return lease_.task().plan->schema(); }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override { return lease_.next(); }

 private:
  PartitionLease lease_;
};

}  // namespace

arrow::Result<physical::RecordBatchStreamPtr> WorkerService::open_local_partition(
    const TaskKey& key, int partition) {
  ARROW_ASSIGN_OR_RAISE(auto task, registry_->start_partition(key, partition));
  auto stream = task->plan->execute(partition, task->context);
  if (!stream.ok()) {
    registry_->finish_partition(task, partition);
    return stream.status();
  }
  return std::make_unique<LocalPartitionStream>(registry_, std::move(task), partition,
                                                std::move(*stream));
}

WorkerService::WorkerService(WorkerServiceOptions options)
    : options_(std::move(options)),
      registry_(std::make_shared<TaskRegistry>(options_.idle_timeout)) {
  expiry_thread_ = std::thread([this] { expire_loop(); });
}

WorkerService::~WorkerService() {
  {
    std::lock_guard<std::mutex> lock(expiry_mutex_);
    stopping_ = true;
  }
  expiry_cv_.notify_all();
  if (expiry_thread_.joinable()) expiry_thread_.join();
  registry_->clear();
}

void WorkerService::expire_loop() {
  auto period = std::clamp(options_.idle_timeout / 4, std::chrono::milliseconds(10),
                           std::chrono::milliseconds(1000));
  std::unique_lock<std::mutex> lock(expiry_mutex_);
  while (!stopping_) {
    expiry_cv_.wait_for(lock, period, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    registry_->expire_idle(std::chrono::steady_clock::now());
    lock.lock();
  }
}

arrow::Status WorkerService::ListActions(const flight::ServerCallContext&,
                                         std::vector<flight::ActionType>* actions) {
  *actions = {{std::string(kSubmitTaskAction), "Registers a task: plan, key, task count, options"},
              {std::string(kEndTaskAction), "Cancels and frees a task"},
              {std::string(kTaskMetricsAction), "Returns a task's operator metrics"}};
  return arrow::Status::OK();
}

arrow::Status WorkerService::DoAction(const flight::ServerCallContext&,
                                      const flight::Action& action,
                                      std::unique_ptr<flight::ResultStream>* result) {
  std::string_view body;
  if (action.body) {
    body = std::string_view(reinterpret_cast<const char*>(action.body->data()),
                            static_cast<size_t>(action.body->size()));
  }
  arrow::Status st;
  if (action.type == kSubmitTaskAction) {
    st = submit_task(body);
  } else if (action.type == kEndTaskAction) {
    auto key = decode_task_key(body);
    st = key.status();
    if (key.ok()) registry_->end(*key);
  } else if (action.type == kTaskMetricsAction) {
    auto key = decode_task_key(body);
    if (!key.ok()) return to_flight_error(key.status());
    auto metrics = registry_->metrics(*key);
    if (!metrics.ok()) return to_flight_error(metrics.status());
    flight::Result out;
    out.body = arrow::Buffer::FromString(encode_task_metrics(*metrics));
    *result = std::make_unique<flight::SimpleResultStream>(std::vector<flight::Result>{out});
    return arrow::Status::OK();
  } else {
    st = arrow::Status::NotImplemented("unknown worker action '", action.type, "'");
  }
  if (!st.ok()) return to_flight_error(st);
  *result = std::make_unique<flight::SimpleResultStream>(std::vector<flight::Result>{});
  return arrow::Status::OK();
}

arrow::Status WorkerService::submit_task(std::string_view body) {
  ARROW_ASSIGN_OR_RAISE(auto message, decode_task_message(body));
  if (!options_.decoder) return arrow::Status::UnknownError("worker has no plan decoder");
  auto plan = options_.decoder(message.plan_bytes);
  if (!plan.ok()) {
    return plan.status().WithMessage("cannot decode the task's plan: ", plan.status().message());
  }
  if (*plan == nullptr) return arrow::Status::UnknownError("plan decoder returned no plan");
  auto compression_it = message.options.find(std::string(kCompressionOption));
  std::string compression =
      compression_it == message.options.end() ? "auto" : compression_it->second;
  ARROW_ASSIGN_OR_RAISE(auto ipc_options, ipc_write_options_for(compression));
  ARROW_ASSIGN_OR_RAISE(auto config, task_config(options_, message));

  auto task = std::make_shared<RegisteredTask>();
  task->key = message.key;
  task->plan = std::move(*plan);
  physical::DistributedTaskContext identity{message.key.task, message.task_count};
  task->context = std::make_shared<physical::TaskContext>(std::move(config), identity);
  if (options_.transport != nullptr) {
    task->context = with_transport(*task->context, identity, options_.transport);
  }
  attach_work_unit_inbox(*task->context, message.work_unit_feeds);
  task->ipc_options = std::move(ipc_options);
  task->plain_to_local_readers = compression == "auto";
  task->partition_state.assign(static_cast<size_t>(task->plan->output_partitions()), 0);
  registry_->add(std::move(task));
  return arrow::Status::OK();
}

arrow::Status WorkerService::DoGet(const flight::ServerCallContext& context,
                                   const flight::Ticket& request,
                                   std::unique_ptr<flight::FlightDataStream>* stream) {
  return to_flight_error(fetch(context, request, stream));
}

arrow::Status WorkerService::fetch(const flight::ServerCallContext& context,
                                   const flight::Ticket& request,
                                   std::unique_ptr<flight::FlightDataStream>* stream) {
  ARROW_ASSIGN_OR_RAISE(auto ticket, decode_partition_ticket(request.ticket));
  ARROW_ASSIGN_OR_RAISE(auto task, registry_->start_partition(ticket.key, ticket.partition));
  auto partition_stream = task->plan->execute(ticket.partition, task->context);
  if (!partition_stream.ok()) {
    registry_->finish_partition(task, ticket.partition);
    return partition_stream.status();
  }
  auto reader = std::make_shared<PartitionReader>(registry_, task, ticket.partition,
                                                  std::move(*partition_stream), &context);
  const auto& ipc_options = task->plain_to_local_readers && is_local_peer(context.peer())
                                ? arrow::ipc::IpcWriteOptions::Defaults()
                                : task->ipc_options;
  *stream = count_wire_codecs(std::make_unique<flight::RecordBatchStream>(reader, ipc_options),
                              wire_codecs_);
  return arrow::Status::OK();
}

}  // namespace quiver::distributed

namespace quiver::distributed {

arrow::Status WorkerService::DoPut(const flight::ServerCallContext& context,
                                   std::unique_ptr<flight::FlightMessageReader> reader,
                                   std::unique_ptr<flight::FlightMetadataWriter> writer) {
  return to_flight_error(receive_feed(context, *reader, *writer));
}

arrow::Status WorkerService::receive_feed(const flight::ServerCallContext& context,
                                          flight::FlightMessageReader& reader,
                                          flight::FlightMetadataWriter& writer) {
  const auto& descriptor = reader.descriptor();
  if (descriptor.type != flight::FlightDescriptor::CMD) {
    return arrow::Status::Invalid("DoPut on a worker takes a work unit feed ticket command");
  }
  ARROW_ASSIGN_OR_RAISE(auto ticket, decode_feed_ticket(descriptor.cmd));
  ARROW_ASSIGN_OR_RAISE(auto task, registry_->find(ticket.key));
  auto inbox = work_unit_inbox_of(*task->context);
  if (inbox == nullptr) return arrow::Status::UnknownError("task has no work unit inbox");
  ARROW_ASSIGN_OR_RAISE(auto queue, inbox->queue(ticket.feed_id, ticket.partition));
  auto stop = [&] { return task->context->cancelled() || context.is_cancelled(); };
  const auto ack = arrow::Buffer::FromString("A");
  while (true) {
    auto chunk = reader.Next();
    if (!chunk.ok()) {
      queue->fail(arrow::Status::IOError("the coordinator's delivery of work unit feed ",
                                         ticket.feed_id, " partition ", ticket.partition,
                                         " broke: ", chunk.status().message()));
      return chunk.status();
    }
    if (chunk->app_metadata == nullptr) {
      if (chunk->data != nullptr) continue;
      queue->fail(arrow::Status::IOError("the coordinator's delivery of work unit feed ",
                                         ticket.feed_id, " partition ", ticket.partition,
                                         " ended without its end-of-feed"));
      return arrow::Status::OK();
    }
    ARROW_ASSIGN_OR_RAISE(auto message, decode_feed_message(chunk->app_metadata->ToString()));
    switch (message.kind) {
      case FeedMessage::Kind::kUnit:
        ARROW_RETURN_NOT_OK(queue->push(std::move(message.unit), stop));
        ARROW_RETURN_NOT_OK(writer.WriteMetadata(*ack));
        break;
      case FeedMessage::Kind::kEnd:
        queue->finish();
        return arrow::Status::OK();
      case FeedMessage::Kind::kError:
        queue->fail(std::move(message.error));
        return arrow::Status::OK();
    }
  }
}

}  // namespace quiver::distributed
