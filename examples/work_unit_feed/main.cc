// The seed's work unit feed example: a `scan(task_count, 'chunks_p0', 'chunks_p1', ...)` table
// function whose leaf (RemoteScanExec) receives its work at run time: the coordinator's
// ChunkFeedProvider discovers the chunks of each partition while the query runs and streams them
// to the task that owns the partition. Usage:
//
//   work_unit_feed "SELECT * FROM scan(2, '3,1', '2', '4', '1,1') ORDER BY task, partition" \
//       [--show-distributed-plan] [--workers N] [--flight]
//
// The query runs on an in-process cluster of N workers (default 4); --flight starts N Flight
// workers in this process instead, so plans cross the wire with RemoteScanExecCodec and the
// chunks travel over DoPut.

#include <arrow/compute/initialize.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/distributed_context.h"
#include "quiver/distributed/feed/with_work_unit_feed.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/in_process_transport.h"
#include "quiver/distributed/worker_resolver.h"
#include "quiver/shell/result_printer.h"
#include "work_unit_feed/remote_scan_exec.h"
#include "work_unit_feed/remote_scan_exec_codec.h"
#include "work_unit_feed/remote_scan_task_estimator.h"
#include "work_unit_feed/scan_table_function.h"

namespace {

arrow::Status run(const std::string& sql, bool show_plan, int workers, bool use_flight,
                  int target_partitions) {
  using namespace quiver;
  auto ctx = catalog::SessionContext::Make();
  ARROW_RETURN_NOT_OK(
      ctx->register_table_function("scan", std::make_shared<examples::ScanTableFunction>()));
  ARROW_RETURN_NOT_OK(
      ctx->mutable_options().set("execution.target_partitions", std::to_string(target_partitions)));
  std::vector<std::shared_ptr<const distributed::TaskEstimator>> estimators = {
      std::make_shared<examples::RemoteScanTaskEstimator>()};
  std::unique_ptr<distributed::InProcessCluster> cluster;
  if (use_flight) {
    distributed::codec::ExtensionCodecs codecs = {
        std::make_shared<examples::RemoteScanExecCodec>()};
    ARROW_ASSIGN_OR_RAISE(cluster, distributed::start_in_process_flight_cluster(workers, codecs));
    ARROW_RETURN_NOT_OK(
        distributed::enable_flight_distributed(*ctx, cluster->urls(), codecs, estimators));
  } else {
    const auto urls = distributed::in_process_worker_urls(workers);
    ARROW_RETURN_NOT_OK(distributed::enable_distributed(
        *ctx, std::make_shared<distributed::StaticWorkerResolver>(urls),
        distributed::InProcessTransport::Make(urls, ctx->options_snapshot()), estimators));
  }
  // The planner finds the feed inside the stage plans and streams it to the tasks.
  ARROW_RETURN_NOT_OK(distributed::with_distributed_work_unit_feed<examples::RemoteScanExec>(
      *ctx, [](const examples::RemoteScanExec& exec) { return &exec.feed(); }));
  ARROW_ASSIGN_OR_RAISE(auto df, ctx->sql(sql));
  if (show_plan) {
    ARROW_ASSIGN_OR_RAISE(auto plan, df->physical_plan());
    std::cout << distributed::display_distributed_plan(*plan);
    return arrow::Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(auto table, df->collect());
  return shell::ResultPrinter().print(*table, std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"scan(task_count, 'chunks_p0', ...): a leaf fed with work units at run time"};
  std::string sql;
  bool show_plan = false;
  bool use_flight = false;
  int workers = 4;
  int target_partitions = 16;
  app.add_option("sql", sql, "The SQL query to run")->required();
  app.add_flag("--show-distributed-plan", show_plan, "Print the plan instead of running it");
  app.add_option("--workers", workers, "Cluster size (default 4)")->check(CLI::PositiveNumber);
  app.add_flag("--flight", use_flight, "Run on in-process Flight workers");
  app.add_option("--target-partitions", target_partitions,
                 "execution.target_partitions (default 16)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << "Error: " << st.ToString() << "\n";
    return 1;
  }
  if (auto st = run(sql, show_plan, workers, use_flight, target_partitions); !st.ok()) {
    std::cerr << "Error: " << st.message() << "\n";
    return 1;
  }
  return 0;
}
