// build/quiver_tpch: times TPC-H queries inside one process, without process start-up.
//
//   quiver_tpch --data build/tpch/sf1 --queries tests/tpch/queries [--query q01 --query q06]
//               [--runs 3] [--warmup 1] [--workers N | --workers-url A,B] [--set KEY=VALUE]
//               [--results DIR]
//
// Registers the eight TPC-H tables (one directory of Parquet files each) once, then runs every
// qNN.sql `--warmup` times untimed and `--runs` times timed (planning and execution: sql() and
// collect()). Prints one JSON document on stdout:
//
//   {"engine": "quiver", "mode": "single", "workers": 0, "runs": 3, "register_ms": 1.2,
//    "queries": [{"name": "q01", "rows": 4, "times_ms": [12.1, 11.8, 11.9]},
//                {"name": "q02", "error": "NotImplemented: ..."}]}
//
// With `--results DIR` the last run's result of each query goes to DIR/qNN.json in the quiver
// command's JSON format, for checking against a reference. Progress goes to stderr.

#include <arrow/compute/initialize.h>
#include <arrow/table.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "quiver/catalog/session_context.h"
#include "quiver/cli/cluster_connection.h"
#include "quiver/shell/result_printer.h"

namespace {

const char* const kTables[] = {"region", "nation",   "supplier", "customer",
                               "part",   "partsupp", "orders",   "lineitem"};

// The text as a JSON string literal.
std::string json_string(const std::string& text) {
  std::ostringstream out;
  out << '"';
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out << '\\' << c;
    } else if (c == '\n') {
      out << "\\n";
    } else if (c < 0x20) {
      out << "\\u00"
          << "0123456789abcdef"[c >> 4] << "0123456789abcdef"[c & 15];
    } else {
      out << c;
    }
  }
  out << '"';
  return out.str();
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// One query's outcome: its timings, or the error that stopped it.
struct QueryResult {
  std::string name;
  std::vector<double> times_ms;
  int64_t rows = 0;
  std::string error;
};

// Runs `sql` once and returns its result table.
arrow::Result<std::shared_ptr<arrow::Table>> run_once(quiver::catalog::SessionContext& session,
                                                      const std::string& sql) {
  ARROW_ASSIGN_OR_RAISE(auto frame, session.sql(sql));
  return frame->collect();
}

// Runs query `name` `warmup` + `runs` times; writes the last result to `results_dir` if set.
QueryResult run_query(quiver::catalog::SessionContext& session, const std::string& name,
                      const std::string& sql, int warmup, int runs,
                      const std::string& results_dir) {
  QueryResult result{name, {}, 0, ""};
  std::shared_ptr<arrow::Table> table;
  for (int i = 0; i < warmup + runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto outcome = run_once(session, sql);
    const double ms = elapsed_ms(start);
    if (!outcome.ok()) {
      result.error = outcome.status().ToString();
      return result;
    }
    table = *outcome;
    if (i >= warmup) result.times_ms.push_back(ms);
  }
  result.rows = table == nullptr ? 0 : table->num_rows();
  if (!results_dir.empty() && table != nullptr) {
    std::ofstream out(std::filesystem::path(results_dir) / (name + ".json"));
    quiver::shell::PrintOptions options;
    options.format = quiver::shell::OutputFormat::kJson;
    auto status = quiver::shell::ResultPrinter(options).print(*table, out);
    if (!status.ok()) result.error = "writing the result: " + status.ToString();
  }
  return result;
}

// The SQL text of a file, or an error naming it.
arrow::Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return arrow::Status::IOError("cannot read ", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int fail(const std::string& message) {
  std::cerr << "quiver_tpch: " << message << std::endl;
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times TPC-H queries in one quiver session (JSON on stdout)"};
  std::string data;
  std::string queries_dir;
  std::vector<std::string> queries;
  std::vector<std::string> settings;
  std::string results_dir;
  int runs = 3;
  int warmup = 1;
  quiver::cli::ClusterOptions cluster;
  app.add_option("--data", data, "Directory with one Parquet directory per table")->required();
  app.add_option("--queries", queries_dir, "Directory with q01.sql .. q22.sql")->required();
  app.add_option("--query", queries, "Query name (q01); repeatable; default: all");
  app.add_option("--runs", runs, "Timed runs per query (default 3)");
  app.add_option("--warmup", warmup, "Untimed runs per query first (default 1)");
  app.add_option("--workers", cluster.workers, "Start N in-process Flight workers");
  app.add_option("--workers-url", cluster.worker_urls, "Worker URLs (comma-separated)")
      ->delimiter(',');
  app.add_option("--set", settings, "Session option KEY=VALUE; repeatable");
  app.add_option("--results", results_dir, "Write each query's last result to DIR/qNN.json");
  CLI11_PARSE(app, argc, argv);
  if (runs < 1 || warmup < 0) return fail("--runs must be >= 1 and --warmup >= 0");

  if (auto status = arrow::compute::Initialize(); !status.ok()) return fail(status.ToString());
  auto session = quiver::catalog::SessionContext::Make();
  std::unique_ptr<quiver::cli::ClusterConnection> connection;
  if (cluster.distributed()) {
    if (const char* token = std::getenv("QUIVER_TOKEN")) cluster.token = token;
    auto connected = quiver::cli::ClusterConnection::connect(*session, cluster);
    if (!connected.ok()) return fail(connected.status().ToString());
    connection = std::move(*connected);
  }
  for (const auto& setting : settings) {
    const size_t eq = setting.find('=');
    if (eq == std::string::npos) return fail("--set expects KEY=VALUE, got '" + setting + "'");
    auto status = session->set_option(setting.substr(0, eq), setting.substr(eq + 1));
    if (!status.ok()) return fail("--set " + setting + ": " + status.ToString());
  }
  const auto register_start = std::chrono::steady_clock::now();
  for (const char* table : kTables) {
    auto status = session->register_path(table, (std::filesystem::path(data) / table).string());
    if (!status.ok()) return fail(std::string("table ") + table + ": " + status.ToString());
  }
  const double register_ms = elapsed_ms(register_start);
  if (queries.empty()) {
    for (int i = 1; i <= 22; ++i) queries.push_back((i < 10 ? "q0" : "q") + std::to_string(i));
  }
  if (!results_dir.empty()) std::filesystem::create_directories(results_dir);

  std::vector<QueryResult> results;
  for (const auto& name : queries) {
    auto sql = read_file(std::filesystem::path(queries_dir) / (name + ".sql"));
    if (!sql.ok()) return fail(sql.status().ToString());
    results.push_back(run_query(*session, name, *sql, warmup, runs, results_dir));
    const auto& r = results.back();
    std::cerr << name << ": " << (r.error.empty() ? "ok" : r.error) << std::endl;
  }

  const std::string mode = cluster.workers > 0            ? "cluster"
                           : !cluster.worker_urls.empty() ? "workers"
                                                          : "single";
  const size_t workers =
      cluster.workers > 0 ? static_cast<size_t>(cluster.workers) : cluster.worker_urls.size();
  std::cout << "{\"engine\": \"quiver\", \"mode\": " << json_string(mode)
            << ", \"workers\": " << workers << ", \"runs\": " << runs
            << ", \"register_ms\": " << register_ms << ", \"queries\": [";
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    std::cout << (i == 0 ? "\n  " : ",\n  ") << "{\"name\": " << json_string(r.name);
    if (!r.error.empty()) {
      std::cout << ", \"error\": " << json_string(r.error) << "}";
      continue;
    }
    std::cout << ", \"rows\": " << r.rows << ", \"times_ms\": [";
    for (size_t j = 0; j < r.times_ms.size(); ++j) {
      std::cout << (j == 0 ? "" : ", ") << r.times_ms[j];
    }
    std::cout << "]}";
  }
  std::cout << "\n]}" << std::endl;
  return 0;
}
