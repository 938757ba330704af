#include "quiver/distributed/partition_identity.h"

#include "quiver/distributed/network/network_shuffle_exec.h"
#include "quiver/exec/exchange/hash_partitioned.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::distributed {

namespace {

// A shuffle not yet cut into a stage boundary still holds its RepartitionExec's rows as they are.
const physical::ExecutionPlan* unplanned_shuffle_input(const physical::ExecutionPlan& node) {
  const auto* shuffle = dynamic_cast<const NetworkShuffleExec*>(&node);
  if (shuffle == nullptr || shuffle->planned()) return nullptr;
  return shuffle->input().get();
}

}  // namespace

bool repartition_keeps_partitions(const exec::RepartitionExec& repartition) {
  const physical::Partitioning& partitioning = repartition.partitioning();
  if (partitioning.kind != physical::Partitioning::Kind::kHash) return false;
  std::vector<int> columns;
  for (const auto& expr : partitioning.exprs) {
    const auto* column = dynamic_cast<const physical::ColumnExpr*>(expr.get());
    if (column == nullptr) return false;
    columns.push_back(column->index());
  }
  return exec::hash_partitioned_on(*repartition.children()[0], columns, partitioning.count,
                                   unplanned_shuffle_input);
}

}  // namespace quiver::distributed
