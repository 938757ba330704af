#include "quiver/exec/aggregate/two_phase_aggregate.h"

#include <utility>

#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::exec {

arrow::Result<physical::ExecutionPlanPtr> two_phase_aggregate(std::vector<GroupExpr> groups,
                                                              std::vector<AggregateExpr> aggregates,
                                                              physical::ExecutionPlanPtr input,
                                                              int partitions) {
  auto raw_schema = input->schema();
  ARROW_ASSIGN_OR_RAISE(auto partial, AggregateExec::Make(AggregateMode::kPartial, groups,
                                                          aggregates, std::move(input)));
  // The final phase reads the group columns where the partial phase put them.
  std::vector<GroupExpr> final_groups;
  std::vector<physical::PhysicalExprPtr> keys;
  for (size_t i = 0; i < groups.size(); ++i) {
    auto column = physical::make_column(groups[i].name, static_cast<int>(i));
    keys.push_back(column);
    final_groups.push_back({std::move(column), groups[i].name});
  }
  ARROW_ASSIGN_OR_RAISE(
      auto shuffled,
      RepartitionExec::Make(std::move(partial), physical::Partitioning::hash(keys, partitions)));
  return AggregateExec::Make(AggregateMode::kFinalPartitioned, std::move(final_groups),
                             std::move(aggregates), std::move(shuffled), std::move(raw_schema));
}

}  // namespace quiver::exec
