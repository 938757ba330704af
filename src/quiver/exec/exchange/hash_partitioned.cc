#include "quiver/exec/exchange/hash_partitioned.h"

#include <optional>
#include <utility>

#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/exec/sort/sort_exec.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::exec {

namespace {

using physical::ExecutionPlan;
using Keys = std::vector<int>;

// The column indices of `exprs`, or nothing when one is not a plain column.
std::optional<Keys> column_indices(const std::vector<physical::PhysicalExprPtr>& exprs) {
  Keys out;
  for (const auto& expr : exprs) {
    const auto* column = dynamic_cast<const physical::ColumnExpr*>(expr.get());
    if (column == nullptr) return std::nullopt;
    out.push_back(column->index());
  }
  return out;
}

// The index of `expr` when it is a plain column, else -1.
int column_index(const physical::PhysicalExprPtr& expr) {
  const auto* column = dynamic_cast<const physical::ColumnExpr*>(expr.get());
  return column == nullptr ? -1 : column->index();
}

// Each list of `inputs` with column c renamed to `output_of(c)`; lists with an unmapped column
// (-1) are dropped.
template <typename Map>
std::vector<Keys> mapped(const std::vector<Keys>& inputs, Map output_of) {
  std::vector<Keys> out;
  for (const Keys& keys : inputs) {
    Keys renamed;
    for (int c : keys) {
      const int o = output_of(c);
      if (o < 0) break;
      renamed.push_back(o);
    }
    if (renamed.size() == keys.size()) out.push_back(std::move(renamed));
  }
  return out;
}

bool keeps_left_rows_in_place(JoinType type) {
  return type == JoinType::kInner || type == JoinType::kLeft || type == JoinType::kLeftSemi ||
         type == JoinType::kLeftAnti;
}

bool keeps_right_rows_in_place(JoinType type) {
  return type == JoinType::kInner || type == JoinType::kRight || type == JoinType::kRightSemi ||
         type == JoinType::kRightAnti;
}

std::vector<Keys> join_keys(const HashJoinExec& join, const PartitionPassThrough& through) {
  const JoinType type = join.join_type();
  std::vector<Keys> out;
  if (join.mode() == PartitionMode::kPartitioned && keeps_left_rows_in_place(type)) {
    // Left columns keep their positions (semi and anti joins output only them).
    out = hash_partition_keys(*join.left(), through);
  }
  if (keeps_right_rows_in_place(type)) {
    const bool right_only = type == JoinType::kRightSemi || type == JoinType::kRightAnti;
    const int shift = right_only ? 0 : join.left()->schema()->num_fields();
    for (Keys keys : hash_partition_keys(*join.right(), through)) {
      for (int& c : keys) c += shift;
      out.push_back(std::move(keys));
    }
  }
  return out;
}

std::vector<Keys> aggregate_keys(const AggregateExec& aggregate,
                                 const PartitionPassThrough& through) {
  const auto& groups = aggregate.group_exprs();
  if (aggregate.mode() == AggregateMode::kFinalPartitioned) {
    // Its input carries the group columns first, where the output has them.
    const int num_groups = static_cast<int>(groups.size());
    return mapped(hash_partition_keys(*aggregate.children()[0], through),
                  [&](int c) { return c < num_groups ? c : -1; });
  }
  if (aggregate.mode() == AggregateMode::kSinglePartitioned) {
    return mapped(hash_partition_keys(*aggregate.children()[0], through), [&](int c) {
      for (size_t g = 0; g < groups.size(); ++g) {
        if (column_index(groups[g].expr) == c) return static_cast<int>(g);
      }
      return -1;
    });
  }
  return {};
}

}  // namespace

std::vector<std::vector<int>> hash_partition_keys(const ExecutionPlan& node,
                                                  const PartitionPassThrough& pass_through) {
  if (pass_through) {
    if (const ExecutionPlan* same = pass_through(node)) {
      if (same->output_partitions() != node.output_partitions()) return {};
      return hash_partition_keys(*same, pass_through);
    }
  }
  if (const auto* repartition = dynamic_cast<const RepartitionExec*>(&node)) {
    if (repartition->partitioning().kind != physical::Partitioning::Kind::kHash) return {};
    auto keys = column_indices(repartition->partitioning().exprs);
    if (!keys.has_value()) return {};
    return {std::move(*keys)};
  }
  if (const auto* projection = dynamic_cast<const ProjectionExec*>(&node)) {
    const auto& exprs = projection->exprs();
    return mapped(hash_partition_keys(*node.children()[0], pass_through), [&](int c) {
      for (size_t i = 0; i < exprs.size(); ++i) {
        if (column_index(exprs[i].expr) == c) return static_cast<int>(i);
      }
      return -1;
    });
  }
  if (dynamic_cast<const FilterExec*>(&node) != nullptr) {
    return hash_partition_keys(*node.children()[0], pass_through);
  }
  if (const auto* sort = dynamic_cast<const SortExec*>(&node)) {
    if (!sort->preserve_partitioning()) return {};
    return hash_partition_keys(*node.children()[0], pass_through);
  }
  if (const auto* join = dynamic_cast<const HashJoinExec*>(&node)) {
    return join_keys(*join, pass_through);
  }
  if (const auto* aggregate = dynamic_cast<const AggregateExec*>(&node)) {
    return aggregate_keys(*aggregate, pass_through);
  }
  return {};
}

bool hash_partitioned_on(const ExecutionPlan& node, const std::vector<int>& columns, int count,
                         const PartitionPassThrough& pass_through) {
  if (node.output_partitions() != count) return false;
  for (const auto& keys : hash_partition_keys(node, pass_through)) {
    if (keys == columns) return true;
  }
  return false;
}

bool hash_partitioned_within(const ExecutionPlan& node,
                             const std::vector<physical::PhysicalExprPtr>& exprs,
                             const PartitionPassThrough& pass_through) {
  for (const auto& keys : hash_partition_keys(node, pass_through)) {
    bool all_in = !keys.empty();
    for (int c : keys) {
      bool found = false;
      for (const auto& e : exprs) found = found || column_index(e) == c;
      all_in = all_in && found;
    }
    if (all_in) return true;
  }
  return false;
}

arrow::Result<physical::ExecutionPlanPtr> hash_repartition(
    physical::ExecutionPlanPtr input, std::vector<physical::PhysicalExprPtr> keys, int count) {
  if (auto columns = column_indices(keys)) {
    if (hash_partitioned_on(*input, *columns, count)) return input;
  }
  return RepartitionExec::Make(std::move(input),
                               physical::Partitioning::hash(std::move(keys), count));
}

}  // namespace quiver::exec
