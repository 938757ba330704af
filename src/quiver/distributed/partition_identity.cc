#include "quiver/distributed/partition_identity.h"

#include <vector>

#include "quiver/distributed/network/network_shuffle_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::distributed {

namespace {

using physical::ExecutionPlan;

// The column indices of `exprs`, or nothing when one is not a plain column.
std::optional<std::vector<int>> column_indices(
    const std::vector<physical::PhysicalExprPtr>& exprs) {
  std::vector<int> out;
  for (const auto& expr : exprs) {
    const auto* column = dynamic_cast<const physical::ColumnExpr*>(expr.get());
    if (column == nullptr) return std::nullopt;
    out.push_back(column->index());
  }
  return out;
}

bool keeps_left_rows_in_place(exec::JoinType type) {
  using exec::JoinType;
  return type == JoinType::kInner || type == JoinType::kLeft || type == JoinType::kLeftSemi ||
         type == JoinType::kLeftAnti;
}

bool keeps_right_rows_in_place(exec::JoinType type) {
  using exec::JoinType;
  return type == JoinType::kInner || type == JoinType::kRight || type == JoinType::kRightSemi ||
         type == JoinType::kRightAnti;
}

// Whether output partition p of `node` holds only rows whose hash of `columns` (indices into the
// node's output) modulo `count` is p.
bool partitioned_by(const ExecutionPlan& node, std::vector<int> columns, int count) {
  if (node.output_partitions() != count) return false;
  if (const auto* shuffle = dynamic_cast<const NetworkShuffleExec*>(&node)) {
    return !shuffle->planned() && partitioned_by(*shuffle->input(), std::move(columns), count);
  }
  if (const auto* repartition = dynamic_cast<const exec::RepartitionExec*>(&node)) {
    if (repartition->partitioning().kind != physical::Partitioning::Kind::kHash) return false;
    auto keys = column_indices(repartition->partitioning().exprs);
    return keys.has_value() && *keys == columns;
  }
  if (const auto* projection = dynamic_cast<const exec::ProjectionExec*>(&node)) {
    for (int& column : columns) {
      const auto* source = dynamic_cast<const physical::ColumnExpr*>(
          projection->exprs()[static_cast<size_t>(column)].expr.get());
      if (source == nullptr) return false;
      column = source->index();
    }
    return partitioned_by(*projection->children()[0], std::move(columns), count);
  }
  if (dynamic_cast<const exec::FilterExec*>(&node) != nullptr) {
    return partitioned_by(*node.children()[0], std::move(columns), count);
  }
  if (const auto* join = dynamic_cast<const exec::HashJoinExec*>(&node)) {
    using exec::JoinType;
    const JoinType type = join->join_type();
    const int left_fields = join->left()->schema()->num_fields();
    const bool right_only_output = type == JoinType::kRightSemi || type == JoinType::kRightAnti;
    const bool left_only_output = type == JoinType::kLeftSemi || type == JoinType::kLeftAnti;
    bool all_left = !right_only_output;
    bool all_right = !left_only_output;
    for (int column : columns) {
      all_left = all_left && column < left_fields;
      all_right = all_right && (right_only_output || column >= left_fields);
    }
    const bool partitioned = join->mode() == exec::PartitionMode::kPartitioned;
    if (all_left && partitioned && keeps_left_rows_in_place(type)) {
      return partitioned_by(*join->left(), std::move(columns), count);
    }
    if (all_right && keeps_right_rows_in_place(type)) {
      if (!right_only_output) {
        for (int& column : columns) column -= left_fields;
      }
      return partitioned_by(*join->right(), std::move(columns), count);
    }
  }
  return false;
}

}  // namespace

bool repartition_keeps_partitions(const exec::RepartitionExec& repartition) {
  if (repartition.partitioning().kind != physical::Partitioning::Kind::kHash) return false;
  auto columns = column_indices(repartition.partitioning().exprs);
  if (!columns.has_value()) return false;
  return partitioned_by(*repartition.children()[0], std::move(*columns),
                        repartition.partitioning().count);
}

}  // namespace quiver::distributed
