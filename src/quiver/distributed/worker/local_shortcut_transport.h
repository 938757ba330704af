#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "quiver/distributed/transport.h"

namespace quiver::distributed {

class WorkerService;

/// The transport a worker's tasks read other stages through: a fetch from a task this same
/// worker holds (the URL is the worker's own) is served in the process by
/// WorkerService::open_local_partition, with no Arrow IPC, gRPC or socket copies; every other
/// call goes to `remote` (a FlightTransport). A URL naming this worker differently (a host name
/// instead of its address) takes the remote path, which gives the same rows.
///
/// Thread-safety: attach() once, before or while tasks run; every other method may be called
/// from many threads.
class LocalShortcutTransport final : public Transport {
 public:
  /// Wraps `remote`; fetches are all remote until attach().
  explicit LocalShortcutTransport(std::shared_ptr<Transport> remote) : remote_(std::move(remote)) {}

  /// Names the worker this transport runs in: its URL (as Worker::url() gives it) and its
  /// service, which must outlive this transport's use.
  void attach(std::string url, WorkerService* service);

  /// Forwards to the remote transport.
  arrow::Status submit_task(const std::string& worker_url, const TaskSpec& spec) override {
    return remote_->submit_task(worker_url, spec);
  }
  /// Reads this worker's own tasks in the process, others through the remote transport.
  arrow::Result<physical::RecordBatchStreamPtr> fetch_partition(
      const std::string& worker_url, const TaskKey& key, int partition,
      std::shared_ptr<arrow::Schema> schema) override;
  /// Forwards to the remote transport.
  arrow::Status end_task(const std::string& worker_url, const TaskKey& key) override {
    return remote_->end_task(worker_url, key);
  }
  /// Forwards to the remote transport.
  arrow::Result<TaskMetrics> task_metrics(const std::string& worker_url,
                                          const TaskKey& key) override {
    return remote_->task_metrics(worker_url, key);
  }
  /// Forwards to the remote transport.
  arrow::Result<std::unique_ptr<WorkUnitSink>> open_work_unit_feed(const std::string& worker_url,
                                                                   const TaskKey& key,
                                                                   const std::string& feed_id,
                                                                   int partition) override {
    return remote_->open_work_unit_feed(worker_url, key, feed_id, partition);
  }

  /// Returns how many partitions were read in the process (for tests).
  int64_t local_fetches() const { return local_fetches_.load(); }

 private:
  std::shared_ptr<Transport> remote_;
  std::string url_;  // written before service_ is published
  std::atomic<WorkerService*> service_{nullptr};
  std::atomic<int64_t> local_fetches_{0};
};

}  // namespace quiver::distributed
