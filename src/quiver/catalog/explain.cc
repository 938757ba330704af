#include "quiver/catalog/explain.h"

#include <arrow/builder.h>

#include <string>
#include <utility>
#include <vector>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/display.h"
#include "quiver/optimizer/optimizer.h"
#include "quiver/physical/execution_plan.h"
#include "quiver/planner/physical_planner.h"

namespace quiver::catalog {

namespace {

using Rows = std::vector<std::pair<std::string, std::string>>;

arrow::Result<std::shared_ptr<arrow::Table>> to_table(const Rows& rows) {
  arrow::StringBuilder types;
  arrow::StringBuilder plans;
  for (const auto& [type, plan] : rows) {
    ARROW_RETURN_NOT_OK(types.Append(type));
    ARROW_RETURN_NOT_OK(plans.Append(plan));
  }
  std::shared_ptr<arrow::Array> type_array;
  std::shared_ptr<arrow::Array> plan_array;
  ARROW_RETURN_NOT_OK(types.Finish(&type_array));
  ARROW_RETURN_NOT_OK(plans.Finish(&plan_array));
  auto schema = arrow::schema({arrow::field("plan_type", arrow::utf8(), /*nullable=*/false),
                               arrow::field("plan", arrow::utf8(), /*nullable=*/false)});
  return arrow::Table::Make(schema, {type_array, plan_array});
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Table>> explain(const SessionContext& session,
                                                     const logical::LogicalPlanPtr& plan,
                                                     ExplainOptions options) {
  if (options.analyze) {
    ARROW_ASSIGN_OR_RAISE(auto physical, session.create_physical_plan(plan));
    ARROW_RETURN_NOT_OK(physical::collect(physical, session.task_context()).status());
    // A distributed plan shows its stages, each operator with its per-task metrics.
    return to_table({{"Plan with Metrics",
                      distributed::display_distributed_plan(*physical, /*with_metrics=*/true)}});
  }
  Rows rows;
  if (!options.verbose) {
    const common::ConfigOptions config = session.options_snapshot();
    ARROW_ASSIGN_OR_RAISE(auto optimized, optimizer::optimize(plan, config));
    ARROW_ASSIGN_OR_RAISE(auto physical, session.create_physical_plan(plan));
    rows.emplace_back("logical_plan", optimized->display_indent());
    rows.emplace_back("physical_plan", physical::display_plan(*physical));
    return to_table(rows);
  }
  // VERBOSE: every step, then the same final plans as the plain form.
  const common::ConfigOptions config = session.options_snapshot();
  rows.emplace_back("initial_logical_plan", plan->display_indent());
  logical::LogicalPlanPtr current = plan;
  for (const auto& rule : optimizer::default_rules()) {
    ARROW_ASSIGN_OR_RAISE(current, rule->rewrite(current, config));
    rows.emplace_back("logical_plan after " + rule->name(), current->display_indent());
  }
  rows.emplace_back("logical_plan", current->display_indent());
  ARROW_ASSIGN_OR_RAISE(auto physical, planner::create_physical_plan(current, config));
  rows.emplace_back("initial_physical_plan", physical::display_plan(*physical));
  for (const auto& rule : session.physical_optimizer_rules()) {
    ARROW_ASSIGN_OR_RAISE(physical, rule->optimize(physical, config));
    rows.emplace_back("physical_plan after " + rule->name(), physical::display_plan(*physical));
  }
  rows.emplace_back("physical_plan", physical::display_plan(*physical));
  return to_table(rows);
}

}  // namespace quiver::catalog
