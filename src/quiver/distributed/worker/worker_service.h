#pragma once

#include <arrow/flight/server.h>
#include <arrow/ipc/options.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "quiver/common/config.h"
#include "quiver/distributed/worker/task_registry.h"
#include "quiver/distributed/worker/task_wire.h"
#include "quiver/distributed/worker/wire_codecs.h"

namespace quiver::distributed {

/// The session option naming the compression of result streams: "auto" (default: none to a
/// reader on the worker's host, lz4 to others), "lz4", "zstd", "none".
inline constexpr std::string_view kCompressionOption = "distributed.compression";

/// Returns the IPC write options for a `distributed.compression` value ("lz4", "zstd", "none";
/// "auto" gives lz4, the codec for readers on other hosts); any other value is an Invalid error
/// naming the option.
arrow::Result<arrow::ipc::IpcWriteOptions> ipc_write_options_for(std::string_view compression);

/// Returns whether a gRPC peer string ("ipv4:127.0.0.1:5000", "ipv6:[::1]:5000",
/// "ipv6:%5B::1%5D:5000", "unix:/path") names a reader on this host: a loopback address or a
/// Unix socket. Compressing for such a reader costs CPU on both ends and saves no network.
bool is_local_peer(std::string_view peer);

/// How a WorkerService decodes and runs tasks.
struct WorkerServiceOptions {
  /// Rebuilds stage plans from the bytes the coordinator's PlanEncoder made. Required.
  PlanDecoder decoder;
  /// Tasks with no partition streaming for this long are cancelled and freed.
  std::chrono::milliseconds idle_timeout{std::chrono::minutes(5)};
  /// Makes the base session options tasks start from (register user config extensions here, as
  /// on the coordinator); the task's options are SET on top. Default: the built-in options.
  std::function<common::ConfigOptions()> make_config;
  /// Encodes plans for the worker's own transport (the same codec as the coordinator's). Tasks
  /// only fetch from other workers, so it may stay unset.
  PlanEncoder encoder;
  /// The transport every task's network boundaries read other workers' stages through; it is set
  /// on each task's TaskContext under kTransportExtension. Worker::start fills an unset one with
  /// a FlightTransport over a ChannelResolver of the worker's own (carrying its token).
  std::shared_ptr<Transport> transport;
};

/// The Flight service of a worker.
///
/// Protocol:
/// - DoAction "submit_task", body = encode_task_message(...): decodes the plan and registers the
///   task (idempotent per task key).
/// - DoGet, ticket = encode_partition_ticket(...): executes that output partition of the task's
///   plan with a TaskContext built from the task's options and DistributedTaskContext{task,
///   task_count}, and streams it as Arrow IPC compressed as `distributed.compression` says.
///   Dropping the stream cancels the partition. Each partition may be fetched once.
/// - DoPut, descriptor command = encode_feed_ticket(...): the coordinator's delivery of one work
///   unit feed partition to a held task that was submitted with the feed. Each message's
///   app_metadata is an encode_feed_message(...): a unit is put into the task's bounded queue
///   (waiting while it is full) and then acknowledged with a one-byte metadata message; the end
///   or an error ends the queue. A call that breaks before the end fails the queue.
/// - DoAction "end_task", body = encode_task_key(...): cancels running partitions and frees the
///   task (idempotent).
/// - DoAction "task_metrics", body = encode_task_key(...): one result, encode_task_metrics(...) of
///   the task's plan (kept after the task finished, until it is ended or expires).
/// Every error leaves as to_flight_error(status), so the client rebuilds its kind and text.
///
/// Thread-safety: Flight calls arrive concurrently; all state is in a thread-safe TaskRegistry.
class WorkerService : public arrow::flight::FlightServerBase {
 public:
  /// Creates the service and starts the thread that expires idle tasks.
  explicit WorkerService(WorkerServiceOptions options);
  /// Stops the expiry thread and cancels every task still held.
  ~WorkerService() override;

  /// Handles "submit_task", "end_task" and "task_metrics".
  arrow::Status DoAction(const arrow::flight::ServerCallContext& context,
                         const arrow::flight::Action& action,
                         std::unique_ptr<arrow::flight::ResultStream>* result) override;
  /// Lists the actions this service handles.
  arrow::Status ListActions(const arrow::flight::ServerCallContext& context,
                            std::vector<arrow::flight::ActionType>* actions) override;
  /// Streams one output partition of a registered task.
  arrow::Status DoGet(const arrow::flight::ServerCallContext& context,
                      const arrow::flight::Ticket& request,
                      std::unique_ptr<arrow::flight::FlightDataStream>* stream) override;

  /// Receives a work unit feed delivery into the task's queue.
  arrow::Status DoPut(const arrow::flight::ServerCallContext& context,
                      std::unique_ptr<arrow::flight::FlightMessageReader> reader,
                      std::unique_ptr<arrow::flight::FlightMetadataWriter> writer) override;

  /// Streams output partition `partition` of a task this worker holds to a reader in this
  /// process (a task of another stage on the same worker), as DoGet would but without Arrow IPC
  /// or gRPC: the batches are handed over as they are. The same registry rules apply (each
  /// partition once; reaching the end, an error or dropping the stream finishes the partition).
  arrow::Result<physical::RecordBatchStreamPtr> open_local_partition(const TaskKey& key,
                                                                     int partition);

  /// Returns the number of tasks held (for tests and monitoring).
  size_t task_count() const { return registry_->size(); }
  /// Returns how many record batches this worker sent, by the codec of their IPC bodies.
  const WireCodecCounts& wire_codecs() const { return *wire_codecs_; }
  /// Cancels and frees every task now (on shutdown).
  void cancel_all_tasks() { registry_->clear(); }

 private:
  arrow::Status submit_task(std::string_view body);
  arrow::Status fetch(const arrow::flight::ServerCallContext& context,
                      const arrow::flight::Ticket& request,
                      std::unique_ptr<arrow::flight::FlightDataStream>* stream);
  arrow::Status receive_feed(const arrow::flight::ServerCallContext& context,
                             arrow::flight::FlightMessageReader& reader,
                             arrow::flight::FlightMetadataWriter& writer);
  void expire_loop();

  WorkerServiceOptions options_;
  std::shared_ptr<TaskRegistry> registry_;
  std::shared_ptr<WireCodecCounts> wire_codecs_ = std::make_shared<WireCodecCounts>();
  std::mutex expiry_mutex_;
  std::condition_variable expiry_cv_;
  bool stopping_ = false;
  std::thread expiry_thread_;
};

}  // namespace quiver::distributed
