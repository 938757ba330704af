// The seed's custom execution plan example: a `numbers(start, end)` table function backed by a
// user-written leaf node (NumbersExec), with its config extension (numbers.numbers_per_task) and
// task estimator. Usage:
//
//   custom_execution_plan "SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number" \
//       [--show-distributed-plan] [--workers N] [--target-partitions P]
//
// The query runs distributed over N in-process workers (default 4) when the planner finds a
// boundary worth keeping; --show-distributed-plan prints the distributed plan in the seeds' box
// format (or the single-node plan when nothing is distributed), --dot as Graphviz.

#include <arrow/compute/initialize.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "quiver/catalog/session_context.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/distributed_context.h"
#include "quiver/distributed/in_process_transport.h"
#include "quiver/distributed/worker_resolver.h"
#include "quiver/shell/result_printer.h"

namespace {

arrow::Status run(const std::string& sql, bool show_plan, bool dot, int workers,
                  int target_partitions) {
  using namespace quiver;
  auto ctx = catalog::SessionContext::Make();
  ARROW_RETURN_NOT_OK(ctx->register_config_extension(examples::NumbersConfig{}));
  ARROW_RETURN_NOT_OK(
      ctx->register_table_function("numbers", std::make_shared<examples::NumbersTableFunction>()));
  ARROW_RETURN_NOT_OK(
      ctx->mutable_options().set("execution.target_partitions", std::to_string(target_partitions)));
  const auto urls = distributed::in_process_worker_urls(workers);
  ARROW_RETURN_NOT_OK(distributed::enable_distributed(
      *ctx, std::make_shared<distributed::StaticWorkerResolver>(urls),
      distributed::InProcessTransport::Make(urls, ctx->options_snapshot()),
      {std::make_shared<examples::NumbersTaskEstimator>()}));
  ARROW_ASSIGN_OR_RAISE(auto df, ctx->sql(sql));
  if (show_plan || dot) {
    ARROW_ASSIGN_OR_RAISE(auto plan, df->physical_plan());
    std::cout << (dot ? distributed::distributed_plan_dot(*plan)
                      : distributed::display_distributed_plan(*plan));
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
  bool dot = false;
  int workers = 4;
  int target_partitions = 16;
  app.add_option("sql", sql, "The SQL query to run")->required();
  app.add_flag("--show-distributed-plan", show_plan, "Print the plan instead of running it");
  app.add_flag("--dot", dot, "Print the plan as Graphviz DOT instead of running it");
  app.add_option("--workers", workers, "In-process cluster size (default 4)")
      ->check(CLI::PositiveNumber);
  app.add_option("--target-partitions", target_partitions,
                 "execution.target_partitions (default 16, as on the seed's machine)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << "Error: " << st.ToString() << "\n";
    return 1;
  }
  if (auto st = run(sql, show_plan, dot, workers, target_partitions); !st.ok()) {
    std::cerr << "Error: " << st.message() << "\n";
    return 1;
  }
  return 0;
}
