#include "quiver/optimizer/semi_join_pushdown.h"

#include <utility>
#include <vector>

#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/cardinality.h"
#include "quiver/optimizer/plan_rewrite.h"

namespace quiver::optimizer {

using logical::JoinType;
using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

bool is_semi_or_anti(const LogicalPlan& plan) {
  return plan.kind == PlanKind::kJoin &&
         (plan.join_type == JoinType::kLeftSemi || plan.join_type == JoinType::kLeftAnti);
}

// Returns the columns of `semi`'s left input that its keys and filter read.
std::vector<logical::Column> left_columns_read(const LogicalPlan& semi) {
  const auto& left = semi.inputs[0]->schema;
  std::vector<logical::Column> out;
  auto add = [&](const logical::Expr& e) {
    for (auto& c : logical::referenced_columns(e)) {
      if (left.find(c) >= 0) out.push_back(std::move(c));
    }
  };
  for (const auto& [l, r] : semi.join_on) add(*l);
  if (semi.join_filter) add(*semi.join_filter);
  return out;
}

// Returns true when every column resolves in `schema`, and none is ambiguous there.
bool all_in(const std::vector<logical::Column>& columns, const logical::PlanSchema& schema) {
  for (const auto& c : columns) {
    if (schema.find(c) < 0) return false;
  }
  return true;
}

// Returns `semi` moved onto one input of the inner join below it, or nullptr when it stays.
arrow::Result<LogicalPlanPtr> push_once(const LogicalPlanPtr& semi) {
  const LogicalPlanPtr& inner = semi->inputs[0];
  if (inner->kind != PlanKind::kJoin || inner->join_type != JoinType::kInner) return nullptr;
  const auto read = left_columns_read(*semi);
  if (read.empty()) return nullptr;
  const double subquery_rows = estimate_rows(*semi->inputs[1]);
  for (size_t side = 0; side < 2; ++side) {
    const LogicalPlanPtr& target = inner->inputs[side];
    const LogicalPlanPtr& other = inner->inputs[1 - side];
    // The columns must come from this side only (a name on both sides would be ambiguous).
    if (!all_in(read, target->schema) || all_in(read, other->schema)) continue;
    if (!(subquery_rows < estimate_rows(*target))) return nullptr;
    ARROW_ASSIGN_OR_RAISE(auto filtered,
                          logical::with_new_inputs(*semi, {target, semi->inputs[1]}));
    std::vector<LogicalPlanPtr> inputs = inner->inputs;
    inputs[side] = filtered;
    return logical::with_new_inputs(*inner, std::move(inputs));
  }
  return nullptr;
}

// Pushes `semi` down as far as it goes; returns the new subtree, or `semi` unchanged.
arrow::Result<LogicalPlanPtr> sink(const LogicalPlanPtr& semi) {
  ARROW_ASSIGN_OR_RAISE(auto pushed, push_once(semi));
  if (pushed == nullptr) return semi;
  // The semi join is now an input of the rebuilt inner join: try to move it further down.
  std::vector<LogicalPlanPtr> inputs = pushed->inputs;
  for (auto& input : inputs) {
    if (is_semi_or_anti(*input)) {
      ARROW_ASSIGN_OR_RAISE(input, sink(input));
    }
  }
  return logical::with_new_inputs(*pushed, std::move(inputs));
}

}  // namespace

std::string SemiJoinPushdown::name() const { return "semi_join_pushdown"; }

arrow::Result<LogicalPlanPtr> SemiJoinPushdown::rewrite(
    const LogicalPlanPtr& plan, const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.join_reordering")) return plan;
  return transform_plan_up(plan, [](const LogicalPlanPtr& node) -> arrow::Result<LogicalPlanPtr> {
    if (!is_semi_or_anti(*node)) return node;
    return sink(node);
  });
}

}  // namespace quiver::optimizer
