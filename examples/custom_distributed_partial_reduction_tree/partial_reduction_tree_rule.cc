#include "custom_distributed_partial_reduction_tree/partial_reduction_tree_rule.h"

#include <memory>
#include <utility>
#include <vector>

#include "quiver/distributed/network/network_coalesce_exec.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::examples {

namespace {

using quiver::exec::AggregateExec;
using quiver::exec::AggregateMode;
using quiver::physical::ExecutionPlanPtr;

// Returns the Partial aggregate under a finalising aggregate (through one repartition or
// coalesce), or null when `plan` is not the top of a two-phase aggregation.
std::shared_ptr<const AggregateExec> find_partial(const ExecutionPlanPtr& plan) {
  const auto* final_agg = dynamic_cast<const AggregateExec*>(plan.get());
  if (final_agg == nullptr) return nullptr;
  if (final_agg->mode() != AggregateMode::kFinal &&
      final_agg->mode() != AggregateMode::kFinalPartitioned) {
    return nullptr;
  }
  const ExecutionPlanPtr& exchange = final_agg->input();
  const bool is_exchange =
      dynamic_cast<const quiver::exec::RepartitionExec*>(exchange.get()) != nullptr ||
      dynamic_cast<const quiver::exec::CoalescePartitionsExec*>(exchange.get()) != nullptr;
  if (!is_exchange || exchange->children().size() != 1) return nullptr;
  auto partial = std::dynamic_pointer_cast<const AggregateExec>(exchange->children()[0]);
  if (partial == nullptr || partial->mode() != AggregateMode::kPartial) return nullptr;
  return partial;
}

// Builds Final <- Coalesce <- NetworkCoalesce <- PartialReduce <- Coalesce <- NetworkCoalesce
// <- partial.
arrow::Result<ExecutionPlanPtr> build_tree(const std::shared_ptr<const AggregateExec>& partial) {
  // Above the Partial node the group keys are the first columns of the partial-state rows.
  std::vector<quiver::exec::GroupExpr> state_groups;
  const auto& groups = partial->group_exprs();
  for (size_t i = 0; i < groups.size(); ++i) {
    state_groups.push_back(
        {quiver::physical::make_column(groups[i].name, static_cast<int>(i)), groups[i].name});
  }
  const std::vector<quiver::exec::AggregateExpr> aggregates = partial->aggr_exprs();
  const auto raw_schema = partial->raw_input_schema();

  ARROW_ASSIGN_OR_RAISE(auto leaf_boundary,
                        quiver::distributed::NetworkCoalesceExec::Make(partial));
  ARROW_ASSIGN_OR_RAISE(auto leaf_merge,
                        quiver::exec::CoalescePartitionsExec::Make(std::move(leaf_boundary)));
  ARROW_ASSIGN_OR_RAISE(auto reduce,
                        AggregateExec::Make(AggregateMode::kPartialReduce, state_groups, aggregates,
                                            std::move(leaf_merge), raw_schema));
  ARROW_ASSIGN_OR_RAISE(auto root_boundary,
                        quiver::distributed::NetworkCoalesceExec::Make(std::move(reduce)));
  ARROW_ASSIGN_OR_RAISE(auto root_merge,
                        quiver::exec::CoalescePartitionsExec::Make(std::move(root_boundary)));
  return AggregateExec::Make(AggregateMode::kFinal, std::move(state_groups), aggregates,
                             std::move(root_merge), raw_schema);
}

arrow::Result<ExecutionPlanPtr> rewrite(const ExecutionPlanPtr& plan) {
  if (auto partial = find_partial(plan)) return build_tree(partial);
  std::vector<ExecutionPlanPtr> children = plan->children();
  bool changed = false;
  for (auto& child : children) {
    ARROW_ASSIGN_OR_RAISE(auto rewritten, rewrite(child));
    if (rewritten != child) {
      child = std::move(rewritten);
      changed = true;
    }
  }
  if (!changed) return plan;
  return plan->with_new_children(std::move(children));
}

}  // namespace

arrow::Result<ExecutionPlanPtr> PartialReductionTreeRule::optimize(
    ExecutionPlanPtr plan, const quiver::common::ConfigOptions& /*options*/) const {
  return rewrite(plan);
}

}  // namespace quiver::examples
