#pragma once

#include <arrow/ipc/options.h>
#include <arrow/result.h>
#include <arrow/status.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "quiver/distributed/task_metrics.h"
#include "quiver/distributed/transport.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// One task registered on a worker: its decoded plan, the context its partitions run with, and
/// which partitions have been handed out. Owned by the TaskRegistry; running partitions keep a
/// shared reference so that ending the task never frees what they still use.
struct RegisteredTask {
  TaskKey key;
  physical::ExecutionPlanPtr plan;
  std::shared_ptr<physical::TaskContext> context;
  /// How the task's partitions are written (the `distributed.compression` codec), made once when
  /// the task is submitted.
  arrow::ipc::IpcWriteOptions ipc_options;
  /// `distributed.compression = auto`: readers on the worker's host get plain bodies, others
  /// `ipc_options` (lz4).
  bool plain_to_local_readers = false;
  /// Per output partition: 0 = not fetched, 1 = streaming, 2 = finished (done, failed or dropped).
  std::vector<int> partition_state;
  int running = 0;
  std::chrono::steady_clock::time_point last_used;
};

/// The tasks a worker holds. A task is freed when every one of its partitions has been fetched and
/// finished, when it is ended, or when it has been idle (no partition streaming) for longer than
/// the idle timeout. Each partition may be fetched once. A task freed because it finished leaves
/// its metrics behind until it is ended or the idle timeout passes, for `metrics`. Freeing a task
/// closes its work unit inbox (deliveries still running end).
///
/// Thread-safety: every method may be called from many threads at once.
class TaskRegistry {
 public:
  /// Creates an empty registry whose idle tasks expire after `idle_timeout`.
  explicit TaskRegistry(std::chrono::milliseconds idle_timeout) : idle_timeout_(idle_timeout) {}

  /// Registers a task; a task already registered under the same key is kept (idempotent).
  void add(std::shared_ptr<RegisteredTask> task);

  /// Marks partition `partition` of task `key` as streaming and returns the task; fails when the
  /// task is unknown (never submitted, ended or expired) or the partition was already fetched.
  arrow::Result<std::shared_ptr<RegisteredTask>> start_partition(const TaskKey& key, int partition);

  /// Returns the held task `key` (for work unit deliveries); Invalid when the worker does not
  /// hold it.
  arrow::Result<std::shared_ptr<RegisteredTask>> find(const TaskKey& key) const;

  /// Marks a partition as finished; frees the task when all its partitions are finished.
  void finish_partition(const std::shared_ptr<RegisteredTask>& task, int partition);

  /// Returns the metrics of a held task (now) or of a finished one (at its end); fails when the
  /// worker knows neither.
  arrow::Result<TaskMetrics> metrics(const TaskKey& key) const;

  /// Cancels and frees a task (and forgets its metrics); unknown keys are ignored (idempotent).
  void end(const TaskKey& key);

  /// Cancels and frees every task idle since before `now - idle_timeout`; returns how many.
  size_t expire_idle(std::chrono::steady_clock::time_point now);

  /// Cancels and frees every task (on shutdown).
  void clear();

  /// Returns the number of tasks held.
  size_t size() const;

  /// Returns the idle timeout.
  std::chrono::milliseconds idle_timeout() const { return idle_timeout_; }

 private:
  const std::chrono::milliseconds idle_timeout_;
  mutable std::mutex mutex_;
  std::map<TaskKey, std::shared_ptr<RegisteredTask>> tasks_;
  struct FinishedTask {
    TaskMetrics metrics;
    std::chrono::steady_clock::time_point finished;
  };
  std::map<TaskKey, FinishedTask> finished_;
};

}  // namespace quiver::distributed
