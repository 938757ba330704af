#pragma once

#include <arrow/result.h>
#include <arrow/status.h>
#include <arrow/type_fwd.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "quiver/distributed/feed/work_unit_sink.h"
#include "quiver/distributed/task_metrics.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// Identifies one task of one stage of one query.
struct TaskKey {
  std::string query_id;
  int stage = 0;
  int task = 0;
  /// Renders as "<query>/s<stage>/t<task>".
  std::string to_string() const {
    return query_id + "/s" + std::to_string(stage) + "/t" + std::to_string(task);
  }
  bool operator<(const TaskKey& o) const {
    return std::tie(query_id, stage, task) < std::tie(o.query_id, o.stage, o.task);
  }
  bool operator==(const TaskKey& o) const = default;
};

/// Everything a worker needs to run one task: the stage's plan (already specialised to this
/// task), the task's identity, and the session options that must reach the worker (including
/// user config extensions, as text).
struct TaskSpec {
  TaskKey key;
  int task_count = 1;
  physical::ExecutionPlanPtr plan;
  std::map<std::string, std::string> options;
  /// The ids of the work unit feeds the task's plan reads (its worker accepts deliveries for
  /// these only; see open_work_unit_feed).
  std::vector<std::string> work_unit_feeds;
};

/// Moves tasks and their data between the coordinator and the workers. Implementations: an
/// in-process transport (tasks run in this process; for tests and single-process clusters) and
/// the Arrow Flight transport (plans travel encoded by the plan codec, data as Arrow IPC streams).
///
/// Concurrency: every method may be called from many threads at once. `fetch_partition` may be
/// called before `submit_task` has returned on another thread for the same task only if the
/// implementation says so; callers submit every task of a query before fetching.
class Transport {
 public:
  virtual ~Transport() = default;
  /// Starts (registers) a task on the worker at `worker_url`. Idempotent for the same key.
  virtual arrow::Status submit_task(const std::string& worker_url, const TaskSpec& spec) = 0;
  /// Streams output partition `partition` of a submitted task; `schema` is the stage plan's
  /// output schema. Errors name the worker URL and the task.
  virtual arrow::Result<physical::RecordBatchStreamPtr> fetch_partition(
      const std::string& worker_url, const TaskKey& key, int partition,
      std::shared_ptr<arrow::Schema> schema) = 0;
  /// Ends a task on its worker (after success, failure or cancellation): its state is freed and
  /// running partitions are cancelled. Idempotent.
  virtual arrow::Status end_task(const std::string& worker_url, const TaskKey& key) = 0;
  /// Returns the metrics of a task's operators (stage_nodes() order of its stage plan), once
  /// its partitions have been read and before end_task. The default knows no metrics and returns
  /// an empty list.
  virtual arrow::Result<TaskMetrics> task_metrics(const std::string& worker_url,
                                                  const TaskKey& key) {
    (void)worker_url;
    (void)key;
    return TaskMetrics{};
  }
  /// Opens the delivery of work unit feed `feed_id`, local partition `partition`, to a submitted
  /// task that was declared with the feed (TaskSpec::work_unit_feeds): the returned sink feeds
  /// the task's bounded queue of that partition. The default cannot deliver feeds.
  virtual arrow::Result<std::unique_ptr<WorkUnitSink>> open_work_unit_feed(
      const std::string& worker_url, const TaskKey& key, const std::string& feed_id,
      int partition) {
    (void)worker_url;
    (void)partition;
    return arrow::Status::NotImplemented("this transport cannot deliver work unit feed ", feed_id,
                                         " to task ", key.to_string());
  }
};

}  // namespace quiver::distributed
