#include "quiver/optimizer/single_distinct_aggregate.h"

#include <utility>

#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/plan_rewrite.h"

namespace quiver::optimizer {

using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

// The inner grouping's name for the distinct argument.
constexpr const char* kDistinctColumn = "__distinct_value";

bool splittable_function(const std::string& name) {
  return name == "count" || name == "sum" || name == "min" || name == "max" || name == "avg";
}

// The one argument every aggregate of `node` takes DISTINCT, or null when the node does not
// qualify.
ExprPtr single_distinct_argument(const logical::LogicalPlan& node) {
  ExprPtr argument;
  std::string text;
  for (const auto& aggregate : node.aggr_exprs) {
    const ExprPtr call = logical::unalias(aggregate);
    if (call->kind != ExprKind::kAggregateFunction || !call->distinct || call->filter != nullptr ||
        call->args.size() != 1 || !splittable_function(call->name)) {
      return nullptr;
    }
    const std::string arg_text = call->args[0]->to_string();
    if (argument == nullptr) {
      argument = call->args[0];
      text = arg_text;
    } else if (arg_text != text) {
      return nullptr;
    }
  }
  return argument;
}

arrow::Result<LogicalPlanPtr> split(const LogicalPlanPtr& node) {
  if (node->kind != PlanKind::kAggregate || node->aggr_exprs.empty()) return node;
  const ExprPtr argument = single_distinct_argument(*node);
  if (argument == nullptr) return node;
  const logical::PlanSchema& schema = node->schema;
  for (const auto& f : schema.fields()) {
    if (f.field->name() == kDistinctColumn) return node;
  }
  std::vector<ExprPtr> inner_groups = node->group_exprs;
  inner_groups.push_back(logical::alias(argument, kDistinctColumn));
  ARROW_ASSIGN_OR_RAISE(auto inner, logical::make_aggregate(node->inputs[0], inner_groups, {}));
  // The outer grouping reads the inner one's group columns by the names they share with the
  // node's own output.
  std::vector<ExprPtr> outer_groups;
  const size_t num_groups = node->group_exprs.size();
  for (size_t i = 0; i < num_groups; ++i) {
    const auto& f = inner->schema.field(static_cast<int>(i));
    outer_groups.push_back(logical::col(f.qualifier, f.field->name()));
  }
  std::vector<ExprPtr> outer_aggregates;
  for (size_t k = 0; k < node->aggr_exprs.size(); ++k) {
    auto call = std::make_shared<Expr>(*logical::unalias(node->aggr_exprs[k]));
    call->distinct = false;
    call->args = {logical::col(std::nullopt, kDistinctColumn)};
    const auto& f = schema.field(static_cast<int>(num_groups + k));
    outer_aggregates.push_back(logical::alias(std::move(call), f.field->name()));
  }
  auto outer = logical::make_aggregate(std::move(inner), std::move(outer_groups),
                                       std::move(outer_aggregates));
  if (!outer.ok() || !same_fields_and_nullability((*outer)->schema, schema)) return node;
  return std::move(outer).ValueUnsafe();
}

}  // namespace

std::string SingleDistinctAggregate::name() const { return "single_distinct_aggregate"; }

arrow::Result<LogicalPlanPtr> SingleDistinctAggregate::rewrite(
    const LogicalPlanPtr& plan, const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.single_distinct_to_group_by")) return plan;
  return transform_plan_up(plan, split);
}

}  // namespace quiver::optimizer
