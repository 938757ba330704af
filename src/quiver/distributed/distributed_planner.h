#pragma once

#include <arrow/result.h>

#include <memory>
#include <vector>

#include "quiver/common/config.h"
#include "quiver/distributed/feed/work_unit_feed_registry.h"
#include "quiver/distributed/task_estimator.h"
#include "quiver/distributed/transport.h"
#include "quiver/distributed/worker_resolver.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// Turns a single-node physical plan into a distributed one.
///
/// 1. Boundaries. If the plan already holds network boundaries (a user rule placed them), they
///    are kept as they are. Otherwise a plan with several output partitions is first wrapped in
///    a CoalescePartitionsExec, then a NetworkShuffleExec goes above every hash RepartitionExec
///    and a NetworkCoalesceExec below every CoalescePartitionsExec and SortPreservingMergeExec,
///    and (with distributed.broadcast_joins) a NetworkBroadcastExec above the left input of every
///    join that needs it whole (task_constraints.h).
///    With `distributed.partial_reduce_below_shuffles`, a shuffled hash RepartitionExec directly
///    over a grouped Partial AggregateExec of several partitions gets an
///    AggregateExec(PartialReduce) over a CoalescePartitionsExec between them, in the producer
///    stage: each task merges its partitions' partial states before they are shuffled.
/// 2. Task counts, bottom-up per stage. Each leaf asks the estimators (the first that answers
///    wins; a leaf none answers for is maximum(1), since it cannot be split); a stage fed by
///    other stages also asks for desired(ceil(2/3 of its widest input's tasks)), since the
///    stages below have reduced the rows; estimations merge as TaskEstimation says, and every
///    count is capped by distributed.max_tasks_per_stage (0 = the number of workers). The head
///    stage has one task, and so has a stage holding a join that must see all its rows in one
///    task (needs_single_task).
/// 3. A boundary with one producer task and one consumer task is removed. If no boundary is
///    left, the input plan is returned unchanged.
/// 4. Otherwise the stages are numbered bottom-up from 1, a shuffle's producer repartition gets
///    P * consumer_tasks partitions, a broadcast's producer ends in a BroadcastExec serving
///    consumer_tasks copies, leaves of stages with several tasks are scaled up by their
///    estimator, and the plan is wrapped in a DistributedExec.
class DistributedPlanner {
 public:
  /// Creates a planner; `resolver` gives the worker count at planning time, and `resolver` and
  /// `transport` are handed to the DistributedExec for execution.
  DistributedPlanner(std::vector<std::shared_ptr<const TaskEstimator>> estimators,
                     std::shared_ptr<WorkerResolver> resolver,
                     std::shared_ptr<Transport> transport);

  /// Returns the distributed plan for `plan`, or `plan` itself when no boundary survives.
  arrow::Result<physical::ExecutionPlanPtr> plan(const physical::ExecutionPlanPtr& plan,
                                                 const common::ConfigOptions& options) const;

  /// Same as plan() with an explicit worker count instead of asking the resolver.
  arrow::Result<physical::ExecutionPlanPtr> plan(const physical::ExecutionPlanPtr& plan,
                                                 const common::ConfigOptions& options,
                                                 int worker_count) const;

  /// Returns the registry of leaf types holding work unit feeds (shared with the DistributedExec
  /// nodes this planner makes; see with_distributed_work_unit_feed).
  const std::shared_ptr<WorkUnitFeedRegistry>& work_unit_feeds() const { return feeds_; }

 private:
  std::vector<std::shared_ptr<const TaskEstimator>> estimators_;
  std::shared_ptr<WorkerResolver> resolver_;
  std::shared_ptr<Transport> transport_;
  std::shared_ptr<WorkUnitFeedRegistry> feeds_ = std::make_shared<WorkUnitFeedRegistry>();
};

/// Returns whether `plan` holds a network boundary anywhere.
bool has_network_boundary(const physical::ExecutionPlan& plan);

}  // namespace quiver::distributed
