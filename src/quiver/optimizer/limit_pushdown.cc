#include "quiver/optimizer/limit_pushdown.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "quiver/logical/plan_builder.h"

namespace quiver::optimizer {

using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

int64_t saturating_add(int64_t a, int64_t b) {
  if (a > std::numeric_limits<int64_t>::max() - b) return std::numeric_limits<int64_t>::max();
  return a + b;
}

// Returns the smaller bound; nullopt means unbounded.
std::optional<int64_t> min_fetch(std::optional<int64_t> a, std::optional<int64_t> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// Rewrites every node; a Limit is handled by push_limit.
arrow::Result<LogicalPlanPtr> visit(const LogicalPlanPtr& plan);

// Visits every input of `plan` and rebuilds it when one changed.
arrow::Result<LogicalPlanPtr> visit_inputs(const LogicalPlanPtr& plan) {
  std::vector<LogicalPlanPtr> inputs;
  bool changed = false;
  for (const auto& input : plan->inputs) {
    ARROW_ASSIGN_OR_RAISE(auto rewritten, visit(input));
    changed = changed || rewritten != input;
    inputs.push_back(std::move(rewritten));
  }
  if (!changed) return plan;
  return logical::with_new_inputs(*plan, std::move(inputs));
}

// A Limit over a join needing `needed` rows. Every row of a Left join's left input (a Right
// join's right input) gives at least one output row, so that input can be cut to `needed` rows;
// a cross join gives at least `needed` rows from `needed` rows of each side (or none when one
// side is empty). Inner, full, semi and anti joins may drop rows: nothing moves below them.
// The Limit stays on top.
arrow::Result<LogicalPlanPtr> into_join(const LogicalPlanPtr& limit, int64_t needed) {
  const LogicalPlanPtr& join = limit->inputs[0];
  const logical::JoinType type = join->join_type;
  const bool cut_left = type == logical::JoinType::kLeft || type == logical::JoinType::kCross;
  const bool cut_right = type == logical::JoinType::kRight || type == logical::JoinType::kCross;
  std::vector<LogicalPlanPtr> inputs;
  for (size_t i = 0; i < join->inputs.size(); ++i) {
    LogicalPlanPtr input = join->inputs[i];
    if ((i == 0 && cut_left) || (i == 1 && cut_right)) {
      ARROW_ASSIGN_OR_RAISE(input, logical::make_limit(input, 0, needed));
    }
    ARROW_ASSIGN_OR_RAISE(auto pushed, visit(input));
    inputs.push_back(std::move(pushed));
  }
  ARROW_ASSIGN_OR_RAISE(auto new_join, logical::with_new_inputs(*join, std::move(inputs)));
  return logical::with_new_inputs(*limit, {new_join});
}

arrow::Result<LogicalPlanPtr> push_limit(const LogicalPlanPtr& limit) {
  const LogicalPlanPtr& child = limit->inputs[0];
  const int64_t skip = limit->skip;
  const std::optional<int64_t> fetch = limit->fetch;
  switch (child->kind) {
    case PlanKind::kLimit: {
      // Outer (skip, fetch) over inner (skip2, fetch2): the outer skips inside the inner window.
      std::optional<int64_t> inner_left;
      if (child->fetch) inner_left = std::max<int64_t>(0, *child->fetch - skip);
      ARROW_ASSIGN_OR_RAISE(auto merged,
                            logical::make_limit(child->inputs[0], saturating_add(child->skip, skip),
                                                min_fetch(inner_left, fetch)));
      return visit(merged);
    }
    case PlanKind::kProjection:
    case PlanKind::kSubqueryAlias: {
      ARROW_ASSIGN_OR_RAISE(auto below, logical::make_limit(child->inputs[0], skip, fetch));
      ARROW_ASSIGN_OR_RAISE(auto pushed, visit(below));
      return logical::with_new_inputs(*child, {pushed});
    }
    default:
      break;
  }
  if (!fetch) {
    ARROW_ASSIGN_OR_RAISE(auto new_child, visit(child));
    if (new_child == child) return limit;
    return logical::with_new_inputs(*limit, {new_child});
  }
  const int64_t needed = saturating_add(skip, *fetch);
  switch (child->kind) {
    case PlanKind::kSort: {
      ARROW_ASSIGN_OR_RAISE(auto sort_input, visit(child->inputs[0]));
      ARROW_ASSIGN_OR_RAISE(auto top_k, logical::make_sort(sort_input, child->sort_exprs,
                                                           min_fetch(child->fetch, needed)));
      if (skip == 0) return top_k;
      return logical::make_limit(top_k, skip, fetch);
    }
    case PlanKind::kTableScan: {
      ARROW_ASSIGN_OR_RAISE(
          auto scan,
          logical::make_table_scan(child->table_name, child->table, child->projection,
                                   child->scan_filters, min_fetch(child->scan_fetch, needed)));
      return logical::make_limit(scan, skip, fetch);
    }
    case PlanKind::kUnion: {
      std::vector<LogicalPlanPtr> inputs;
      for (const auto& input : child->inputs) {
        ARROW_ASSIGN_OR_RAISE(auto bounded, logical::make_limit(input, 0, needed));
        ARROW_ASSIGN_OR_RAISE(auto pushed, visit(bounded));
        inputs.push_back(std::move(pushed));
      }
      ARROW_ASSIGN_OR_RAISE(auto union_node, logical::with_new_inputs(*child, std::move(inputs)));
      return logical::make_limit(union_node, skip, fetch);
    }
    case PlanKind::kJoin:
      return into_join(limit, needed);
    default: {
      ARROW_ASSIGN_OR_RAISE(auto new_child, visit(child));
      if (new_child == child) return limit;
      return logical::with_new_inputs(*limit, {new_child});
    }
  }
}

arrow::Result<LogicalPlanPtr> visit(const LogicalPlanPtr& plan) {
  if (plan->kind == PlanKind::kLimit) return push_limit(plan);
  return visit_inputs(plan);
}

}  // namespace

std::string LimitPushdown::name() const { return "limit_pushdown"; }

arrow::Result<LogicalPlanPtr> LimitPushdown::rewrite(const LogicalPlanPtr& plan,
                                                     const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.limit_pushdown")) return plan;
  return visit(plan);
}

}  // namespace quiver::optimizer
