#include "quiver/planner/round_robin_spread.h"

#include <utility>

#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/projection/projection_exec.h"

namespace quiver::planner {

arrow::Result<physical::ExecutionPlanPtr> spread_round_robin(physical::ExecutionPlanPtr plan,
                                                             int partitions) {
  if (partitions <= 1 || plan->output_partitions() >= partitions) return plan;
  const bool per_row = dynamic_cast<const exec::ProjectionExec*>(plan.get()) != nullptr ||
                       dynamic_cast<const exec::FilterExec*>(plan.get()) != nullptr;
  if (per_row) {
    const auto children = plan->children();
    if (children.size() == 1 && children[0]->output_partitions() == plan->output_partitions()) {
      ARROW_ASSIGN_OR_RAISE(auto spread, spread_round_robin(children[0], partitions));
      return plan->with_new_children({std::move(spread)});
    }
  }
  return exec::RepartitionExec::Make(std::move(plan),
                                     physical::Partitioning::round_robin(partitions));
}

}  // namespace quiver::planner
