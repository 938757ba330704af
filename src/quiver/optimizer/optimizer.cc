#include "quiver/optimizer/optimizer.h"

#include <utility>

#include "quiver/optimizer/common_subexpressions.h"
#include "quiver/optimizer/constant_folding.h"
#include "quiver/optimizer/decorrelate_subqueries.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/extract_equijoin.h"
#include "quiver/optimizer/join_reorder.h"
#include "quiver/optimizer/limit_pushdown.h"
#include "quiver/optimizer/plan_rewrite.h"
#include "quiver/optimizer/predicate_pushdown.h"
#include "quiver/optimizer/projection_pushdown.h"
#include "quiver/optimizer/semi_join_pushdown.h"
#include "quiver/optimizer/single_distinct_aggregate.h"

namespace quiver::optimizer {

using logical::ExprPtr;
using logical::LogicalPlanPtr;

namespace {

// Runs the rules over one plan, prefixing a rule's error with its name.
arrow::Result<LogicalPlanPtr> run_rules(const std::vector<std::unique_ptr<OptimizerRule>>& rules,
                                        LogicalPlanPtr plan, const common::ConfigOptions& options) {
  for (const auto& rule : rules) {
    auto rewritten = rule->rewrite(plan, options);
    if (!rewritten.ok()) {
      const arrow::Status& st = rewritten.status();
      return st.WithMessage("optimizer rule '", rule->name(), "': ", st.message());
    }
    plan = std::move(*rewritten);
  }
  return plan;
}

// Optimizes the plans of subqueries held in expressions (scalar, EXISTS, IN), each on its own.
// Best effort: a subquery whose optimization fails (e.g. a correlated one whose nodes cannot be
// rebuilt on their own) keeps its plan as bound.
arrow::Result<LogicalPlanPtr> optimize_subqueries(const LogicalPlanPtr& plan,
                                                  const common::ConfigOptions& options) {
  ExprTransform fn = [&](const ExprPtr& e) -> ExprPtr {
    if (!e->subquery) return e;
    auto optimized = optimize(e->subquery, options);
    if (!optimized.ok() || *optimized == e->subquery) return e;
    auto copy = std::make_shared<logical::Expr>(*e);
    copy->subquery = std::move(*optimized);
    return copy;
  };
  return transform_plan_up(plan, [&](const LogicalPlanPtr& node) {
    return map_node_exprs(node, [&](const ExprPtr& e) { return transform_up(e, fn); });
  });
}

}  // namespace

std::vector<std::unique_ptr<OptimizerRule>> default_rules() {
  std::vector<std::unique_ptr<OptimizerRule>> rules;
  rules.push_back(std::make_unique<DecorrelateSubqueries>());
  rules.push_back(std::make_unique<ConstantFolding>());
  rules.push_back(std::make_unique<PredicatePushdown>());
  rules.push_back(std::make_unique<ExtractEquijoin>());
  rules.push_back(std::make_unique<SemiJoinPushdown>());
  rules.push_back(std::make_unique<JoinReorder>());
  rules.push_back(std::make_unique<SingleDistinctAggregate>());
  rules.push_back(std::make_unique<LimitPushdown>());
  rules.push_back(std::make_unique<EliminateCommonSubexpressions>());
  rules.push_back(std::make_unique<ProjectionPushdown>());
  return rules;
}

arrow::Result<LogicalPlanPtr> optimize(const LogicalPlanPtr& plan,
                                       const common::ConfigOptions& options) {
  // Subqueries become joins first, so the other rules see (and push into) their plans; only
  // subqueries left over are optimized on their own.
  ARROW_ASSIGN_OR_RAISE(auto decorrelated, DecorrelateSubqueries().rewrite(plan, options));
  ARROW_ASSIGN_OR_RAISE(auto with_subqueries, optimize_subqueries(decorrelated, options));
  return run_rules(default_rules(), std::move(with_subqueries), options);
}

}  // namespace quiver::optimizer
