// Builds a distributed plan by placing the network boundaries in a physical optimizer rule
// instead of letting the distributed planner choose them: a GROUP BY over the weather Parquet
// files runs as a progressive partial-reduction tree (Partial on N tasks, PartialReduce on M
// tasks, Final on one), on Arrow Flight workers started inside this process. Usage (from the
// repo root, so that testdata/weather resolves):
//
//   custom_distributed_partial_reduction_tree 'SQL' [--show-distributed-plan] [--workers N]

#include <arrow/compute/initialize.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "custom_distributed_partial_reduction_tree/partial_reduction_tree_rule.h"
#include "quiver/catalog/session_context.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/shell/result_printer.h"

namespace {

// Small enough that the leaf splits into as many tasks as it has files: the three weather files
// (~18KB each) make one leaf task each.
constexpr const char* kBytesPerPartition = "1KB";
// One scan partition per weather file, so the Partial aggregate reads the scan directly.
constexpr const char* kTargetPartitions = "3";

arrow::Status run(const std::string& sql, int workers, bool show_plan) {
  using namespace quiver;
  ARROW_ASSIGN_OR_RAISE(auto cluster, distributed::start_in_process_flight_cluster(workers));

  auto session = catalog::SessionContext::Make();
  // The rule must run before the distributed planner's rule, which enable_*_distributed adds.
  session->add_physical_optimizer_rule(std::make_shared<examples::PartialReductionTreeRule>());
  ARROW_RETURN_NOT_OK(distributed::enable_flight_distributed(*session, cluster->urls()));
  ARROW_RETURN_NOT_OK(session->set_option("distributed.bytes_per_partition", kBytesPerPartition));
  ARROW_RETURN_NOT_OK(session->set_option("execution.target_partitions", kTargetPartitions));
  ARROW_RETURN_NOT_OK(session->register_path("weather", "testdata/weather"));

  ARROW_ASSIGN_OR_RAISE(auto frame, session->sql(sql));
  if (show_plan) {
    ARROW_ASSIGN_OR_RAISE(auto plan, frame->physical_plan());
    std::cout << distributed::display_distributed_plan(*plan);
    return arrow::Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(auto table, frame->collect());
  return shell::ResultPrinter().print(*table, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs a GROUP BY as a partial-reduction tree on in-process Flight workers"};
  std::string sql;
  int workers = 4;
  bool show_plan = false;
  app.add_option("sql", sql, "The SQL query to run over the `weather` table")->required();
  app.add_option("--workers", workers, "Number of in-process workers (default 4)")
      ->check(CLI::Range(1, 64));
  app.add_flag("--show-distributed-plan", show_plan, "Print the plan instead of running it");
  CLI11_PARSE(app, argc, argv);
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << "Error: " << st.ToString() << "\n";
    return 1;
  }
  if (auto st = run(sql, workers, show_plan); !st.ok()) {
    std::cerr << "Error: " << st.message() << "\n";
    return 1;
  }
  return 0;
}
