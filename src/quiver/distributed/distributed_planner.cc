#include "quiver/distributed/distributed_planner.h"

#include <algorithm>
#include <map>
#include <optional>

#include "quiver/distributed/distributed_config.h"
#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/network/network_broadcast_exec.h"
#include "quiver/distributed/network/network_coalesce_exec.h"
#include "quiver/distributed/network/network_shuffle_exec.h"
#include "quiver/distributed/partition_identity.h"
#include "quiver/distributed/small_build_broadcast.h"
#include "quiver/distributed/task_constraints.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/broadcast_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/sort/sort_preserving_merge_exec.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::distributed {

using physical::ExecutionPlan;
using physical::ExecutionPlanPtr;

namespace {

bool is_hash_repartition(const ExecutionPlan& plan) {
  const auto* repartition = dynamic_cast<const exec::RepartitionExec*>(&plan);
  return repartition != nullptr &&
         repartition->partitioning().kind == physical::Partitioning::Kind::kHash;
}

bool gathers_partitions(const ExecutionPlan& plan) {
  return dynamic_cast<const exec::CoalescePartitionsExec*>(&plan) != nullptr ||
         dynamic_cast<const exec::SortPreservingMergeExec*>(&plan) != nullptr;
}

// Returns the hash repartition `node` over a Partial aggregate rebuilt as
// RepartitionExec <- AggregateExec(PartialReduce) <- CoalescePartitionsExec <- the Partial
// aggregate, so that each producer task merges the partial states of all its partitions before
// they cross the network; any other node is returned as it is.
arrow::Result<ExecutionPlanPtr> reduce_partials(const ExecutionPlanPtr& node) {
  const auto& repartition = static_cast<const exec::RepartitionExec&>(*node);
  const ExecutionPlanPtr input = repartition.children()[0];
  const auto* partial = dynamic_cast<const exec::AggregateExec*>(input.get());
  if (partial == nullptr || partial->mode() != exec::AggregateMode::kPartial ||
      partial->group_exprs().empty() || partial->input()->output_partitions() < 2) {
    return node;
  }
  // The reduce reads the group columns where the Partial aggregate put them.
  std::vector<exec::GroupExpr> groups;
  for (size_t i = 0; i < partial->group_exprs().size(); ++i) {
    const std::string& name = partial->group_exprs()[i].name;
    groups.push_back({physical::make_column(name, static_cast<int>(i)), name});
  }
  ARROW_ASSIGN_OR_RAISE(auto gathered, exec::CoalescePartitionsExec::Make(input));
  ARROW_ASSIGN_OR_RAISE(
      auto reduced, exec::AggregateExec::Make(exec::AggregateMode::kPartialReduce,
                                              std::move(groups), partial->aggr_exprs(),
                                              std::move(gathered), partial->raw_input_schema()));
  return exec::RepartitionExec::Make(std::move(reduced), repartition.partitioning());
}

// Returns the build side `left` of a join that needs its whole left input, read through a
// broadcast. A build side that gathers the partitions of a lower stage
// (CoalescePartitionsExec <- NetworkCoalesceExec <- X) is broadcast from X's own stage and
// gathered in each consumer task, CoalescePartitionsExec <- NetworkBroadcastExec <- X: no stage
// of one task that only gathers and re-sends the rows, and each row crosses the network once.
arrow::Result<ExecutionPlanPtr> broadcast_build(const ExecutionPlanPtr& left) {
  if (dynamic_cast<const exec::CoalescePartitionsExec*>(left.get()) != nullptr) {
    const auto* gather = dynamic_cast<const NetworkCoalesceExec*>(left->children()[0].get());
    if (gather != nullptr && !gather->planned()) {
      ARROW_ASSIGN_OR_RAISE(auto broadcast, NetworkBroadcastExec::Make(gather->input()));
      return left->with_new_children({std::move(broadcast)});
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto broadcast, NetworkBroadcastExec::Make(left));
  return broadcast;
}

// Places the automatic boundaries (step 1 of the class comment).
arrow::Result<ExecutionPlanPtr> insert_boundaries(const ExecutionPlanPtr& plan,
                                                  bool broadcast_joins, bool partial_reduce) {
  std::vector<ExecutionPlanPtr> children;
  for (const auto& child : plan->children()) {
    ARROW_ASSIGN_OR_RAISE(auto rewritten,
                          insert_boundaries(child, broadcast_joins, partial_reduce));
    children.push_back(std::move(rewritten));
  }
  if (gathers_partitions(*plan) && children.size() == 1) {
    ARROW_ASSIGN_OR_RAISE(children[0], NetworkCoalesceExec::Make(children[0]));
  }
  if (broadcast_joins && needs_whole_left(*plan) && children.size() == 2 &&
      dynamic_cast<const NetworkBoundary*>(children[0].get()) == nullptr) {
    ARROW_ASSIGN_OR_RAISE(children[0], broadcast_build(children[0]));
  }
  ExecutionPlanPtr node = plan;
  if (!children.empty()) {
    ARROW_ASSIGN_OR_RAISE(node, plan->with_new_children(std::move(children)));
  }
  if (is_hash_repartition(*node)) {
    if (repartition_keeps_partitions(static_cast<const exec::RepartitionExec&>(*node))) {
      // Every row stays in its partition: no shuffle, and the stages above and below merge.
      return node->children()[0];
    }
    if (partial_reduce) {
      ARROW_ASSIGN_OR_RAISE(node, reduce_partials(node));
    }
    ARROW_ASSIGN_OR_RAISE(auto shuffle, NetworkShuffleExec::Make(node));
    return shuffle;
  }
  return node;
}

TaskEstimation merge(const std::optional<TaskEstimation>& a, const TaskEstimation& b) {
  if (!a.has_value()) return b;
  using Kind = TaskEstimation::Kind;
  if (a->kind == Kind::kMaximum && b.kind == Kind::kMaximum) {
    return TaskEstimation::maximum(std::min(a->count, b.count));
  }
  if (a->kind == Kind::kMaximum) return *a;
  if (b.kind == Kind::kMaximum) return b;
  return TaskEstimation::desired(std::max(a->count, b.count));
}

class Planning {
 public:
  Planning(const std::vector<std::shared_ptr<const TaskEstimator>>& estimators,
           const common::ConfigOptions& options, int cap, bool user_placed)
      : estimators_(estimators),
        options_(options),
        cap_(std::max(1, cap)),
        user_placed_(user_placed) {}

  // Step 2: the task count of the stage rooted at `root` (recording its inputs' counts).
  int count_stage(const ExecutionPlanPtr& root) {
    std::optional<TaskEstimation> estimation;
    int widest_input = 0;
    estimate_fragment(root, estimation, widest_input);
    if (widest_input > 0) {
      estimation = merge(estimation, TaskEstimation::desired((2 * widest_input + 2) / 3));
    }
    const int count = estimation.has_value() ? estimation->count : 1;
    return std::clamp(count, 1, cap_);
  }

  // Steps 3 and 4 for the part of a stage under `node`, the stage running `tasks` tasks.
  arrow::Result<ExecutionPlanPtr> finalize(const ExecutionPlanPtr& node, int tasks) {
    if (const auto* boundary = dynamic_cast<const NetworkBoundary*>(node.get())) {
      const int producers = producer_tasks_.at(node.get());
      if (producers == 1 && tasks == 1) return finalize(boundary->input(), 1);
      if (dynamic_cast<const NetworkShuffleExec*>(boundary) != nullptr) {
        const auto& repartition = static_cast<const exec::RepartitionExec&>(*boundary->input());
        ARROW_ASSIGN_OR_RAISE(auto input, finalize(repartition.children()[0], producers));
        const int per_task = boundary->output_partitions();
        ARROW_ASSIGN_OR_RAISE(
            auto producer,
            exec::RepartitionExec::Make(
                std::move(input),
                physical::Partitioning::hash(repartition.partitioning().exprs, per_task * tasks)));
        ++kept_;
        ARROW_ASSIGN_OR_RAISE(
            auto shuffle,
            NetworkShuffleExec::Make(std::move(producer), {next_stage_++, producers, tasks}));
        return shuffle;
      }
      if (dynamic_cast<const NetworkBroadcastExec*>(boundary) != nullptr && tasks > 1) {
        // Producer tasks serve each of their partitions once to every consumer task.
        ARROW_ASSIGN_OR_RAISE(auto input, finalize(boundary->input(), producers));
        ARROW_ASSIGN_OR_RAISE(auto producer, exec::BroadcastExec::Make(std::move(input), tasks));
        ++kept_;
        ARROW_ASSIGN_OR_RAISE(
            auto broadcast,
            NetworkBroadcastExec::Make(std::move(producer), {next_stage_++, producers, tasks}));
        return broadcast;
      }
      // A gather, or a broadcast to one task: streamed without buffering the partitions.
      ARROW_ASSIGN_OR_RAISE(auto input, finalize(boundary->input(), producers));
      ++kept_;
      ARROW_ASSIGN_OR_RAISE(
          auto coalesce,
          NetworkCoalesceExec::Make(std::move(input), {next_stage_++, producers, tasks}));
      return coalesce;
    }
    auto children = node->children();
    if (children.empty()) return scale_leaf(node, tasks);
    for (auto& child : children) {
      ARROW_ASSIGN_OR_RAISE(child, finalize(child, tasks));
    }
    return node->with_new_children(std::move(children));
  }

  // Returns how many boundaries finalize() kept.
  int kept() const { return kept_; }

 private:
  void estimate_fragment(const ExecutionPlanPtr& node, std::optional<TaskEstimation>& estimation,
                         int& widest_input, const ExecutionPlan* parent = nullptr) {
    if (const auto* boundary = dynamic_cast<const NetworkBoundary*>(node.get())) {
      const int producers = count_stage(boundary->input());
      producer_tasks_[node.get()] = producers;
      // Every task reads all of a broadcast: its producers say nothing of this stage's width.
      if (dynamic_cast<const NetworkBroadcastExec*>(boundary) == nullptr) {
        widest_input = std::max(widest_input, producers);
      }
      return;
    }
    if (needs_single_task(*node, user_placed_) && !is_task_local_gather(*node, parent)) {
      // The operator must see every row of its input in one task (task_constraints.h).
      estimation = merge(estimation, TaskEstimation::maximum(1));
    }
    auto children = node->children();
    if (children.empty()) {
      estimation = merge(estimation, estimate_leaf(*node));
      return;
    }
    for (const auto& child : children) {
      estimate_fragment(child, estimation, widest_input, node.get());
    }
  }

  // The gather reduce_partials() puts under a PartialReduce aggregate merges one task's
  // partitions only (partial_reduce_below_shuffles): it does not need all rows in one task.
  static bool is_task_local_gather(const ExecutionPlan& node, const ExecutionPlan* parent) {
    const auto* aggregate = dynamic_cast<const exec::AggregateExec*>(parent);
    return aggregate != nullptr && aggregate->mode() == exec::AggregateMode::kPartialReduce &&
           dynamic_cast<const exec::CoalescePartitionsExec*>(&node) != nullptr;
  }

  TaskEstimation estimate_leaf(const ExecutionPlan& leaf) const {
    for (const auto& estimator : estimators_) {
      if (auto estimation = estimator->task_estimation(leaf, options_)) {
        return TaskEstimation{estimation->kind, std::max(1, estimation->count)};
      }
    }
    return TaskEstimation::maximum(1);
  }

  arrow::Result<ExecutionPlanPtr> scale_leaf(const ExecutionPlanPtr& leaf, int tasks) const {
    if (tasks == 1) return leaf;
    for (const auto& estimator : estimators_) {
      ARROW_ASSIGN_OR_RAISE(auto scaled, estimator->scale_up_leaf_node(leaf, tasks, options_));
      if (scaled != nullptr) return scaled;
    }
    return arrow::Status::UnknownError("no task estimator can split ", leaf->display(), " over ",
                                       tasks, " tasks");
  }

  const std::vector<std::shared_ptr<const TaskEstimator>>& estimators_;
  const common::ConfigOptions& options_;
  int cap_;
  bool user_placed_;
  std::map<const ExecutionPlan*, int> producer_tasks_;
  int next_stage_ = 1;
  int kept_ = 0;
};

}  // namespace

bool has_network_boundary(const ExecutionPlan& plan) {
  if (dynamic_cast<const NetworkBoundary*>(&plan) != nullptr) return true;
  for (const auto& child : plan.children()) {
    if (has_network_boundary(*child)) return true;
  }
  return false;
}

DistributedPlanner::DistributedPlanner(std::vector<std::shared_ptr<const TaskEstimator>> estimators,
                                       std::shared_ptr<WorkerResolver> resolver,
                                       std::shared_ptr<Transport> transport)
    : estimators_(std::move(estimators)),
      resolver_(std::move(resolver)),
      transport_(std::move(transport)) {}

arrow::Result<ExecutionPlanPtr> DistributedPlanner::plan(
    const ExecutionPlanPtr& plan, const common::ConfigOptions& options) const {
  if (resolver_ == nullptr) return arrow::Status::UnknownError("the planner has no resolver");
  ARROW_ASSIGN_OR_RAISE(auto workers, resolver_->worker_urls());
  return this->plan(plan, options, static_cast<int>(workers.size()));
}

arrow::Result<ExecutionPlanPtr> DistributedPlanner::plan(const ExecutionPlanPtr& plan,
                                                         const common::ConfigOptions& options,
                                                         int worker_count) const {
  if (dynamic_cast<const DistributedExec*>(plan.get()) != nullptr) return plan;
  const bool user_placed = has_network_boundary(*plan);
  ExecutionPlanPtr head = plan;
  if (head->output_partitions() > 1) {
    ARROW_ASSIGN_OR_RAISE(head, exec::CoalescePartitionsExec::Make(head));
  }
  if (!user_placed) {
    if (DistributedConfig::broadcast_joins(options)) {
      ARROW_ASSIGN_OR_RAISE(
          head, broadcast_small_builds(head, DistributedConfig::broadcast_build_bytes(options)));
    }
    ARROW_ASSIGN_OR_RAISE(
        head, insert_boundaries(head, DistributedConfig::broadcast_joins(options),
                                DistributedConfig::partial_reduce_below_shuffles(options)));
  }
  const int64_t configured = DistributedConfig::max_tasks_per_stage(options);
  const int cap = configured > 0 ? static_cast<int>(configured) : std::max(1, worker_count);
  Planning planning(estimators_, options, cap, user_placed);
  planning.count_stage(head);
  ARROW_ASSIGN_OR_RAISE(auto finalized, planning.finalize(head, 1));
  if (planning.kept() == 0) return user_placed ? finalized : plan;
  ARROW_ASSIGN_OR_RAISE(auto distributed,
                        DistributedExec::Make(finalized, resolver_, transport_, feeds_));
  return distributed;
}

}  // namespace quiver::distributed
