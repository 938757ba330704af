// Runs one SQL query on a cluster of Arrow Flight workers started inside this process on free
// loopback ports: the plan is cut into stages, the stages are encoded with the plan codec and sent
// to the workers over the network, and the workers read each other's output over Flight. Usage:
//
//   in_memory_cluster [SQL] [--workers N] [--table name=path] [--set key=value]
//       [--show-distributed-plan]
//
// The default query groups the bundled weather Parquet files (testdata/weather, as table
// `weather`) with small partitions, so that it runs as several tasks per stage.

#include <arrow/compute/initialize.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/shell/result_printer.h"

namespace {

constexpr const char* kDefaultQuery =
    "SELECT \"RainToday\", count(*) AS days, round(avg(\"MaxTemp\"), 2) AS avg_max "
    "FROM weather GROUP BY \"RainToday\" ORDER BY \"RainToday\"";

// Splits "name=value" at the first '='.
arrow::Status split(const std::string& text, std::string& name, std::string& value) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return arrow::Status::Invalid("expected name=value, got '", text, "'");
  }
  name = text.substr(0, eq);
  value = text.substr(eq + 1);
  return arrow::Status::OK();
}

arrow::Status run(const std::string& sql, int workers, const std::vector<std::string>& tables,
                  const std::vector<std::string>& settings, bool show_plan) {
  using namespace quiver;
  ARROW_ASSIGN_OR_RAISE(auto cluster, distributed::start_in_process_flight_cluster(workers));
  std::cerr << "started " << cluster->size() << " Flight workers:";
  for (const auto& url : cluster->urls()) std::cerr << " " << url;
  std::cerr << std::endl;

  auto session = catalog::SessionContext::Make();
  ARROW_RETURN_NOT_OK(distributed::enable_flight_distributed(*session, cluster->urls()));
  ARROW_RETURN_NOT_OK(session->set_option("distributed.bytes_per_partition", "1KB"));
  for (const auto& setting : settings) {
    std::string key;
    std::string value;
    ARROW_RETURN_NOT_OK(split(setting, key, value));
    ARROW_RETURN_NOT_OK(session->set_option(key, value));
  }
  for (const auto& table : tables) {
    std::string name;
    std::string path;
    ARROW_RETURN_NOT_OK(split(table, name, path));
    ARROW_RETURN_NOT_OK(session->register_path(name, path));
  }

  ARROW_ASSIGN_OR_RAISE(auto frame, session->sql(sql));
  if (show_plan) {
    ARROW_ASSIGN_OR_RAISE(auto plan, frame->physical_plan());
    std::cout << distributed::display_distributed_plan(*plan);
    return arrow::Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(auto table, frame->collect());
  ARROW_RETURN_NOT_OK(shell::ResultPrinter().print(*table, std::cout));
  std::cerr << "the workers hold " << cluster->task_count() << " tasks after the query"
            << std::endl;
  return arrow::Status::OK();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs a query on N Arrow Flight workers started inside this process"};
  std::string sql = kDefaultQuery;
  int workers = 3;
  std::vector<std::string> tables;
  std::vector<std::string> settings;
  bool show_plan = false;
  app.add_option("sql", sql, "The SQL query to run (default: a GROUP BY over the weather table)");
  app.add_option("--workers", workers, "Number of in-process workers (default 3)")
      ->check(CLI::Range(1, 64));
  app.add_option("--table", tables, "Register a file or directory as name=path; repeatable")
      ->allow_extra_args(false);
  app.add_option("--set", settings, "Set a session option as key=value; repeatable")
      ->allow_extra_args(false);
  app.add_flag("--show-distributed-plan", show_plan, "Print the plan instead of running it");
  CLI11_PARSE(app, argc, argv);
  if (tables.empty()) tables.push_back("weather=testdata/weather");
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << "Error: " << st.ToString() << "\n";
    return 1;
  }
  if (auto st = run(sql, workers, tables, settings, show_plan); !st.ok()) {
    std::cerr << "Error: " << st.message() << "\n";
    return 1;
  }
  return 0;
}
