#pragma once

#include <memory>

#include "quiver/distributed/transport.h"
#include "quiver/distributed/worker/channel_resolver.h"
#include "quiver/distributed/worker/task_wire.h"

namespace quiver::distributed {

/// The Arrow Flight transport: tasks are sent with the "submit_task" action (plan encoded by the
/// PlanEncoder), partitions are read with DoGet as Arrow IPC streams, work unit feeds are
/// delivered with DoPut (FlightWorkUnitSink), tasks end with "end_task".
/// Errors keep the kind they had on the worker and name the worker URL and the task.
///
/// Thread-safety: every method may be called from many threads at once (see Transport).
class FlightTransport final : public Transport {
 public:
  /// Creates a transport that encodes plans with `encoder` and reaches workers through
  /// `channels` (shared, so that several transports reuse the same connections).
  FlightTransport(PlanEncoder encoder, std::shared_ptr<ChannelResolver> channels);

  /// Encodes the task and registers it on the worker. Idempotent for the same key.
  arrow::Status submit_task(const std::string& worker_url, const TaskSpec& spec) override;
  /// Opens the DoGet stream of one partition; destroying the stream early cancels it on the
  /// worker.
  arrow::Result<physical::RecordBatchStreamPtr> fetch_partition(
      const std::string& worker_url, const TaskKey& key, int partition,
      std::shared_ptr<arrow::Schema> schema) override;
  /// Ends the task on the worker. Idempotent.
  arrow::Status end_task(const std::string& worker_url, const TaskKey& key) override;
  /// Asks the worker for the task's metrics (the "task_metrics" action).
  arrow::Result<TaskMetrics> task_metrics(const std::string& worker_url,
                                          const TaskKey& key) override;

  /// Opens a DoPut delivery of one feed partition to the task (FlightWorkUnitSink).
  arrow::Result<std::unique_ptr<WorkUnitSink>> open_work_unit_feed(const std::string& worker_url,
                                                                   const TaskKey& key,
                                                                   const std::string& feed_id,
                                                                   int partition) override;

  /// Returns the channel resolver.
  const std::shared_ptr<ChannelResolver>& channels() const { return channels_; }

 private:
  arrow::Status run_action(const std::string& worker_url, std::string_view type, std::string body,
                           const std::string& where);

  PlanEncoder encoder_;
  std::shared_ptr<ChannelResolver> channels_;
};

}  // namespace quiver::distributed
