#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "quiver/common/config.h"
#include "quiver/distributed/transport.h"

namespace quiver::distributed {

/// A Transport whose workers live in this process: submitted tasks are kept in memory under
/// their worker URL and `fetch_partition` executes the task's plan here, with a TaskContext of
/// its own per task (task index and count from the TaskSpec, options = `base` plus the spec's
/// options; an option the base does not know is an error naming it, as on a Flight worker,
/// except `distributed.*` transport settings). Each task runs its own copy of the stage's
/// operators, so `task_metrics` reports that task alone; a leaf that returns itself from
/// with_new_children is shared by the tasks and reported as zeros (its own metrics, on the
/// planned plan, hold the sum over the tasks). Work unit feeds are delivered into a WorkUnitInbox
/// on each task's context, closed when the task ends. Used by tests and by single-process clusters.
/// Thread-safe.
class InProcessTransport final : public Transport,
                                 public std::enable_shared_from_this<InProcessTransport> {
 public:
  /// Creates a transport serving `worker_urls` (any URL when empty); task options start from
  /// `base` (register config extensions on it that workers must know).
  static std::shared_ptr<InProcessTransport> Make(std::vector<std::string> worker_urls = {},
                                                  common::ConfigOptions base = {});

  /// Registers the task; submitting the same key again is a no-op.
  arrow::Status submit_task(const std::string& worker_url, const TaskSpec& spec) override;
  /// Executes one output partition of a submitted task.
  arrow::Result<physical::RecordBatchStreamPtr> fetch_partition(
      const std::string& worker_url, const TaskKey& key, int partition,
      std::shared_ptr<arrow::Schema> schema) override;
  /// Cancels and forgets the task; ending an unknown task is a no-op.
  arrow::Status end_task(const std::string& worker_url, const TaskKey& key) override;
  /// Returns the metrics of the task's own copy of its stage plan.
  arrow::Result<TaskMetrics> task_metrics(const std::string& worker_url,
                                          const TaskKey& key) override;

  /// Delivers into the task's own queue of (feed, partition); push blocks while it is full.
  arrow::Result<std::unique_ptr<WorkUnitSink>> open_work_unit_feed(const std::string& worker_url,
                                                                   const TaskKey& key,
                                                                   const std::string& feed_id,
                                                                   int partition) override;

  /// Returns how many tasks are registered now (0 after every query has ended its tasks).
  size_t live_tasks() const;
  /// Returns how many tasks were ever submitted.
  size_t submitted_tasks() const;
  /// Returns the URLs that received tasks, one entry per submitted task.
  std::vector<std::string> task_workers() const;

  /// Creates the transport; use Make() (it must be owned by a shared_ptr).
  InProcessTransport(std::vector<std::string> worker_urls, common::ConfigOptions base)
      : worker_urls_(std::move(worker_urls)), base_(std::move(base)) {}

 private:
  struct Task;
  arrow::Status check_worker(const std::string& worker_url) const;

  std::vector<std::string> worker_urls_;
  common::ConfigOptions base_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, TaskKey>, std::shared_ptr<Task>> tasks_;
  std::vector<std::string> history_;
};

}  // namespace quiver::distributed
