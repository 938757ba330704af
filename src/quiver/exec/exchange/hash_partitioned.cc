#include "quiver/exec/exchange/hash_partitioned.h"

#include <algorithm>
#include <utility>

#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::exec {

HashKeys map_hash_keys(const HashKeys& keys, const std::function<int(int)>& output_of) {
  HashKeys out;
  for (const auto& list : keys) {
    std::vector<int> renamed;
    for (int c : list) {
      const int o = output_of(c);
      if (o < 0) break;
      renamed.push_back(o);
    }
    if (renamed.size() == list.size()) out.push_back(std::move(renamed));
  }
  return out;
}

int plain_column_index(const physical::PhysicalExprPtr& expr) {
  const auto* column = dynamic_cast<const physical::ColumnExpr*>(expr.get());
  return column == nullptr ? -1 : column->index();
}

const HashKeys& hash_partition_keys(const physical::ExecutionPlan& node) {
  return node.properties().hash_keys;
}

bool hash_partitioned_on(const physical::ExecutionPlan& node, const std::vector<int>& columns,
                         int count) {
  if (node.output_partitions() != count) return false;
  for (const auto& keys : hash_partition_keys(node)) {
    if (keys == columns) return true;
  }
  return false;
}

bool hash_partitioned_within(const physical::ExecutionPlan& node,
                             const std::vector<physical::PhysicalExprPtr>& exprs) {
  for (const auto& keys : hash_partition_keys(node)) {
    bool all_in = !keys.empty();
    for (int c : keys) {
      bool found = false;
      for (const auto& e : exprs) found = found || plain_column_index(e) == c;
      all_in = all_in && found;
    }
    if (all_in) return true;
  }
  return false;
}

arrow::Result<physical::ExecutionPlanPtr> hash_repartition(
    physical::ExecutionPlanPtr input, std::vector<physical::PhysicalExprPtr> keys, int count) {
  std::vector<int> columns;
  for (const auto& key : keys) columns.push_back(plain_column_index(key));
  const bool plain = std::find(columns.begin(), columns.end(), -1) == columns.end();
  if (plain && hash_partitioned_on(*input, columns, count)) return input;
  return RepartitionExec::Make(std::move(input),
                               physical::Partitioning::hash(std::move(keys), count));
}

}  // namespace quiver::exec
