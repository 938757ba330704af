#pragma once

#include <arrow/result.h>

#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "quiver/distributed/feed/work_unit_feed_registry.h"
#include "quiver/distributed/network/network_boundary.h"
#include "quiver/distributed/transport.h"
#include "quiver/distributed/worker_resolver.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// One stage of a distributed plan as the display and the scheduler see it: its number, its
/// task count and its plan (the input of the boundary that reads it).
struct StageView {
  int number = 0;
  int task_count = 1;
  physical::ExecutionPlanPtr plan;
};

/// Per stage number, per task index: the metrics of the task's operators (stage_nodes() order).
using StageTaskMetrics = std::map<int, std::vector<TaskMetrics>>;

/// Returns every stage read by a boundary under `plan`, deepest first within each branch (the
/// order in which stage numbers were given).
std::vector<StageView> stages_under(const physical::ExecutionPlanPtr& plan);

/// The root of a distributed plan. Its child is the head stage (one task, run on the
/// coordinator); the other stages hang under the network boundaries. `execute(0)` gives the
/// query an id, assigns each stage's tasks to workers round robin, routes every boundary to its
/// producer's workers, submits every task through the Transport with its stage's own plan only
/// (without_lower_stages: the boundaries read StageInputExec placeholders), then runs the head
/// stage here. The planned plan (display, EXPLAIN) keeps every stage.
/// Every task is ended (Transport::end_task) when the returned stream finishes, fails or is
/// dropped; before that, when `distributed.collect_metrics` is on, each task's metrics are asked
/// from its worker (Transport::task_metrics), kept per task (task_metrics()) and added to the
/// planned stage's operators, which then hold the sum over the tasks (the head stage's operators
/// hold the head task's). When `feeds` finds work unit feeds in a stage, each of its tasks is
/// submitted declaring them and, while the query runs, FeedPumps stream every feed partition a
/// task owns to it; the pumps stop when the stream ends. Displays as
/// `DistributedExec`; display_distributed_plan draws the stages (with metrics for EXPLAIN
/// ANALYZE).
class DistributedExec final : public physical::ExecutionPlan {
 public:
  /// Creates the root over the head stage's plan, which must have one output partition.
  static arrow::Result<std::shared_ptr<DistributedExec>> Make(
      physical::ExecutionPlanPtr head, std::shared_ptr<WorkerResolver> resolver,
      std::shared_ptr<Transport> transport, std::shared_ptr<const WorkUnitFeedRegistry> feeds = {});

  /// Returns the head stage's plan.
  const physical::ExecutionPlanPtr& head() const { return head_; }
  /// Returns the worker resolver used at execution.
  const std::shared_ptr<WorkerResolver>& resolver() const { return resolver_; }
  /// Returns the transport used at execution.
  const std::shared_ptr<Transport>& transport() const { return transport_; }

  /// Returns the per-task metrics gathered when the last run ended (empty before the first run
  /// or with `distributed.collect_metrics` off). Tasks whose worker sent none are empty lists.
  StageTaskMetrics task_metrics() const;

  /// Returns "DistributedExec".
  std::string_view name() const override { return "DistributedExec"; }
  /// Returns the head's properties.
  const physical::PlanProperties& properties() const override { return head_->properties(); }
  /// Returns the head stage's plan.
  std::vector<physical::ExecutionPlanPtr> children() const override { return {head_}; }
  /// Returns a copy over another head plan.
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Runs the query over the workers and streams the head's output (partition must be 0).
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  /// Returns "DistributedExec".
  std::string display() const override { return "DistributedExec"; }

  /// Creates the node without checks; use Make().
  DistributedExec(physical::ExecutionPlanPtr head, std::shared_ptr<WorkerResolver> resolver,
                  std::shared_ptr<Transport> transport,
                  std::shared_ptr<const WorkUnitFeedRegistry> feeds = {})
      : head_(std::move(head)),
        resolver_(std::move(resolver)),
        transport_(std::move(transport)),
        feeds_(std::move(feeds)) {}

  /// Where a run stores the metrics its tasks reported (shared with the run's stream).
  struct MetricsStore {
    std::mutex mutex;
    StageTaskMetrics stages;
  };

 private:
  physical::ExecutionPlanPtr head_;
  std::shared_ptr<WorkerResolver> resolver_;
  std::shared_ptr<Transport> transport_;
  std::shared_ptr<const WorkUnitFeedRegistry> feeds_;
  std::shared_ptr<MetricsStore> store_ = std::make_shared<MetricsStore>();
};

}  // namespace quiver::distributed
