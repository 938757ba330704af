// The seed's custom execution plan example: a `numbers(start, end)` table function backed by a
// user-written leaf node (NumbersExec), with its config extension (numbers.numbers_per_task) and
// task estimator. Usage:
//
//   custom_execution_plan "SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number" \
//       [--show-distributed-plan] [--workers N] [--target-partitions P]
//
// Until the distributed layer lands, the query runs single-node; --show-distributed-plan prints
// the single-node plan, which is what the seed shows for numbers(0, 10), and the estimator's
// task count for each numbers(...) leaf.

#include <arrow/compute/initialize.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "quiver/catalog/session_context.h"
#include "quiver/shell/result_printer.h"

namespace {

using quiver::physical::ExecutionPlan;

void for_each_node(const ExecutionPlan& plan, const std::function<void(const ExecutionPlan&)>& f) {
  f(plan);
  for (const auto& child : plan.children()) for_each_node(*child, f);
}

arrow::Status run(const std::string& sql, bool show_plan, int workers, int target_partitions) {
  using namespace quiver;
  auto ctx = catalog::SessionContext::Make();
  ARROW_RETURN_NOT_OK(ctx->register_config_extension(examples::NumbersConfig{}));
  ARROW_RETURN_NOT_OK(ctx->register_table_function(
      "numbers", std::make_shared<examples::NumbersTableFunction>()));
  ARROW_RETURN_NOT_OK(
      ctx->mutable_options().set("execution.target_partitions", std::to_string(target_partitions)));
  ARROW_ASSIGN_OR_RAISE(auto df, ctx->sql(sql));
  if (show_plan) {
    ARROW_ASSIGN_OR_RAISE(auto plan, df->physical_plan());
    std::cout << physical::display_plan(*plan);
    examples::NumbersTaskEstimator estimator;
    for_each_node(*plan, [&](const ExecutionPlan& node) {
      if (auto estimate = estimator.task_estimation(node, ctx->options())) {
        const int tasks = std::min(estimate->count, workers);
        std::cerr << "note: " << node.display() << " asks for " << estimate->to_string()
                  << " tasks, " << tasks << " on " << workers
                  << " workers; distributed execution is not implemented yet, so this plan "
                     "runs single-node\n";
      }
    });
    return arrow::Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(auto table, df->collect());
  return shell::ResultPrinter().print(*table, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"numbers(start, end): a custom ExecutionPlan, its config extension and estimator"};
  std::string sql;
  bool show_plan = false;
  int workers = 4;
  int target_partitions = 16;
  app.add_option("sql", sql, "The SQL query to run")->required();
  app.add_flag("--show-distributed-plan", show_plan, "Print the plan instead of running it");
  app.add_option("--workers", workers, "Simulated cluster size (default 4)")
      ->check(CLI::PositiveNumber);
  app.add_option("--target-partitions", target_partitions,
                 "execution.target_partitions (default 16, as on the seed's machine)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << "Error: " << st.ToString() << "\n";
    return 1;
  }
  if (auto st = run(sql, show_plan, workers, target_partitions); !st.ok()) {
    std::cerr << "Error: " << st.message() << "\n";
    return 1;
  }
  return 0;
}
