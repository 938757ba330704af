#include "quiver/distributed/small_build_broadcast.h"

#include <vector>

#include "quiver/datasource/data_source_exec.h"
#include "quiver/datasource/file_group.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/aggregate/two_phase_aggregate.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/hash_partitioned.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/exec/sort/sort_preserving_merge_exec.h"

namespace quiver::distributed {

namespace {

using physical::ExecutionPlan;
using physical::ExecutionPlanPtr;

const exec::RepartitionExec* hash_repartition(const ExecutionPlan& plan) {
  const auto* repartition = dynamic_cast<const exec::RepartitionExec*>(&plan);
  if (repartition == nullptr ||
      repartition->partitioning().kind != physical::Partitioning::Kind::kHash) {
    return nullptr;
  }
  return repartition;
}

// Adds the file bytes of every leaf under `plan` to `bytes`; false when a leaf is not a file
// scan (its size is unknown).
bool add_file_bytes(const ExecutionPlan& plan, int64_t& bytes) {
  const auto children = plan.children();
  if (children.empty()) {
    const auto* scan = dynamic_cast<const datasource::DataSourceExec*>(&plan);
    if (scan == nullptr || scan->file_groups().empty()) return false;
    for (const auto& group : scan->file_groups()) bytes += datasource::file_group_bytes(group);
    return true;
  }
  for (const auto& child : children) {
    if (!add_file_bytes(*child, bytes)) return false;
  }
  return true;
}

bool probe_side_type(exec::JoinType type) {
  using exec::JoinType;
  return type == JoinType::kInner || type == JoinType::kRight || type == JoinType::kRightSemi ||
         type == JoinType::kRightAnti;
}

// Whether `node` (its parent not relying on its output partitioning) keeps that freedom for its
// child `index`: the child's partitioning reaches no operator that needs it.
bool child_partitioning_free(const ExecutionPlan& node, size_t index, bool node_free) {
  if (dynamic_cast<const exec::RepartitionExec*>(&node) != nullptr ||
      dynamic_cast<const exec::CoalescePartitionsExec*>(&node) != nullptr ||
      dynamic_cast<const exec::SortPreservingMergeExec*>(&node) != nullptr) {
    return true;
  }
  if (dynamic_cast<const exec::ProjectionExec*>(&node) != nullptr ||
      dynamic_cast<const exec::FilterExec*>(&node) != nullptr) {
    return node_free;
  }
  if (const auto* aggregate = dynamic_cast<const exec::AggregateExec*>(&node)) {
    return aggregate->mode() == exec::AggregateMode::kPartial && node_free;
  }
  if (const auto* join = dynamic_cast<const exec::HashJoinExec*>(&node)) {
    if (join->mode() == exec::PartitionMode::kCollectLeft) return index == 0 || node_free;
  }
  return false;
}

// The join rewritten as a collect-left join when it qualifies (see the header), else null.
arrow::Result<ExecutionPlanPtr> as_collect_left(const exec::HashJoinExec& join, bool free,
                                                int64_t max_build_bytes) {
  if (!free || join.mode() != exec::PartitionMode::kPartitioned || join.null_aware() ||
      !probe_side_type(join.join_type())) {
    return nullptr;
  }
  const auto* left = hash_repartition(*join.left());
  const auto* right = hash_repartition(*join.right());
  if (left == nullptr || right == nullptr) return nullptr;
  int64_t bytes = 0;
  if (!add_file_bytes(*left->children()[0], bytes) || bytes > max_build_bytes) return nullptr;
  ARROW_ASSIGN_OR_RAISE(
      auto rewritten,
      exec::HashJoinExec::Make(left->children()[0], right->children()[0], join.on(), join.filter(),
                               join.join_type(), exec::PartitionMode::kCollectLeft,
                               join.null_equals_null(), join.null_aware()));
  return rewritten;
}

arrow::Result<ExecutionPlanPtr> rewrite(const ExecutionPlanPtr& plan, bool free,
                                        int64_t max_build_bytes);

// A SinglePartitioned aggregate relies on its input's hash partitioning. Its input is rewritten
// as if free; when that loses the partitioning (a join below now collects its build side and
// keeps its probe side's partitions) the aggregate becomes two-phase: a Partial aggregate, a
// repartition on the group columns and a FinalPartitioned one.
arrow::Result<ExecutionPlanPtr> rewrite_single_partitioned(const exec::AggregateExec& aggregate,
                                                           const ExecutionPlanPtr& plan,
                                                           int64_t max_build_bytes) {
  const ExecutionPlanPtr& input = aggregate.input();
  ARROW_ASSIGN_OR_RAISE(auto rewritten, rewrite(input, /*free=*/true, max_build_bytes));
  if (rewritten == input) return plan;
  const auto& groups = aggregate.group_exprs();
  std::vector<physical::PhysicalExprPtr> keys;
  for (const auto& g : groups) keys.push_back(g.expr);
  if (exec::hash_partitioned_within(*rewritten, keys)) {
    return plan->with_new_children({std::move(rewritten)});
  }
  const int partitions = rewritten->output_partitions();
  return exec::two_phase_aggregate(groups, aggregate.aggr_exprs(), std::move(rewritten),
                                   partitions);
}

arrow::Result<ExecutionPlanPtr> rewrite(const ExecutionPlanPtr& plan, bool free,
                                        int64_t max_build_bytes) {
  if (const auto* aggregate = dynamic_cast<const exec::AggregateExec*>(plan.get())) {
    if (free && aggregate->mode() == exec::AggregateMode::kSinglePartitioned) {
      return rewrite_single_partitioned(*aggregate, plan, max_build_bytes);
    }
  }
  ExecutionPlanPtr node = plan;
  if (const auto* join = dynamic_cast<const exec::HashJoinExec*>(plan.get())) {
    ARROW_ASSIGN_OR_RAISE(auto collect_left, as_collect_left(*join, free, max_build_bytes));
    if (collect_left != nullptr) node = collect_left;
  }
  auto children = node->children();
  if (children.empty()) return node;
  bool changed = node != plan;
  for (size_t i = 0; i < children.size(); ++i) {
    ARROW_ASSIGN_OR_RAISE(
        auto child, rewrite(children[i], child_partitioning_free(*node, i, free), max_build_bytes));
    changed = changed || child != children[i];
    children[i] = std::move(child);
  }
  if (!changed) return plan;
  return node->with_new_children(std::move(children));
}

}  // namespace

arrow::Result<ExecutionPlanPtr> broadcast_small_builds(const ExecutionPlanPtr& plan,
                                                       int64_t max_build_bytes) {
  if (max_build_bytes <= 0) return plan;
  // The plan's root gives its rows to the head stage, which gathers them.
  return rewrite(plan, /*free=*/true, max_build_bytes);
}

}  // namespace quiver::distributed
