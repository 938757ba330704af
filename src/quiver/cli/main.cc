// The quiver command: runs SQL over Parquet, CSV and NDJSON files and HTTP JSON APIs,
// interactively or in scripts.
// See docs/cli.md.

#include <arrow/compute/initialize.h>
#include <arrow/config.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "quiver/catalog/session_context.h"
#include "quiver/cli/cluster_connection.h"
#include "quiver/cli/repl.h"
#include "quiver/cli/worker_command.h"
#include "quiver/shell/result_printer.h"
#include "quiver/shell/terminal.h"

namespace {

constexpr const char* kQuiverVersion = "0.1.0";
constexpr int64_t kInteractiveMaxRows = 40;

// Splits "name=value" at the first '='; fails when either side is empty.
bool split_assignment(const std::string& text, std::string& name, std::string& value) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  name = text.substr(0, eq);
  value = text.substr(eq + 1);
  return !value.empty();
}

int fail(const std::string& message) {
  std::cerr << "Error: " << message << std::endl;
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string version = std::string("quiver ") + kQuiverVersion + " (Apache Arrow " +
                              arrow::GetBuildInfo().version_string + ")";
  CLI::App app{
      "Runs SQL over Parquet, CSV and NDJSON files. With no -c or -f, reads statements "
      "from stdin (interactively on a terminal).",
      "quiver"};
  std::vector<std::string> commands;
  std::vector<std::string> files;
  std::vector<std::string> tables;
  std::vector<std::string> sources;
  std::vector<std::string> settings;
  std::string format = "table";
  int timing_flag = 0;
  int64_t max_rows = -1;
  bool continue_on_error = false;
  auto* command_option = app.add_option("-c,--command", commands,
                                        "Run SQL (statements and meta-commands), then exit; "
                                        "repeatable")
                             ->allow_extra_args(false);
  auto* file_option =
      app.add_option("-f,--file", files, "Run every statement in a file, then exit; repeatable")
          ->allow_extra_args(false);
  app.add_option("--table", tables,
                 "Register a Parquet/CSV/NDJSON file, directory or glob as name=path; repeatable")
      ->allow_extra_args(false);
  app.add_option("--sources", sources,
                 "Register the HTTP JSON API tables of a TOML or YAML source file; repeatable")
      ->allow_extra_args(false);
  app.add_option("--format", format, "Output format: table, csv, json or ndjson")
      ->check(CLI::IsMember({"table", "csv", "json", "ndjson"}, CLI::ignore_case));
  app.add_flag("--timing,!--no-timing", timing_flag,
               "Print 'N rows in X.XXX s' to stderr after each statement (default: on in the "
               "interactive shell only)");
  auto* max_rows_option = app.add_option(
      "--max-rows", max_rows,
      "Rows shown at most in table format, 0 = all (default: 40 interactive, else all)");
  app.add_option("--set", settings, "Set a session option as key=value; repeatable")
      ->allow_extra_args(false);
  app.add_flag("--continue-on-error", continue_on_error,
               "Keep running a script after a statement fails");
  quiver::cli::ClusterOptions cluster;
  bool show_distributed_plan = false;
  auto* workers_option =
      app.add_option("--workers", cluster.workers,
                     "Start N Arrow Flight workers inside this process and run queries on them")
          ->check(CLI::Range(1, 256));
  auto* workers_url_option =
      app.add_option("--workers-url", cluster.worker_urls,
                     "Run queries on these workers (comma-separated host:port or grpc:// URLs)")
          ->delimiter(',')
          ->allow_extra_args(false);
  auto* workers_file_option = app.add_option(
      "--workers-file", cluster.workers_file,
      "Run queries on the workers listed in a file, one URL a line (re-read when it changes)");
  workers_option->excludes(workers_url_option)->excludes(workers_file_option);
  workers_url_option->excludes(workers_file_option);
  app.add_option("--token", cluster.token,
                 "Shared token sent to the workers (default: the QUIVER_TOKEN variable)");
  app.add_flag("--show-distributed-plan", show_distributed_plan,
               "Print each query's distributed plan instead of running it");

  quiver::cli::WorkerCommandOptions worker;
  auto* worker_command = app.add_subcommand(
      "worker", "Serve query stages to coordinators over Arrow Flight until SIGINT/SIGTERM");
  worker_command->add_option("--port", worker.port, "Port to listen on (0 picks a free one)")
      ->required()
      ->check(CLI::Range(0, 65535));
  worker_command->add_option("--host", worker.host,
                             "Address to bind (default 127.0.0.1; any other address needs a "
                             "token)");
  worker_command->add_option("--token", worker.token,
                             "Shared token callers must present (default: QUIVER_TOKEN)");
  app.set_version_flag("--version", version);
  CLI11_PARSE(app, argc, argv);

  if (auto status = arrow::compute::Initialize(); !status.ok()) return fail(status.ToString());
  if (worker_command->parsed()) {
    if (auto status = quiver::cli::run_worker_command(worker); !status.ok()) {
      return fail(status.message());
    }
    return 0;
  }

  if (max_rows_option->count() > 0 && max_rows < 0) {
    return fail("--max-rows expects a row count (0 = all), got " + std::to_string(max_rows));
  }
  auto session = quiver::catalog::SessionContext::Make();
  // The cluster comes first: it registers the distributed.* options that --set may name.
  std::unique_ptr<quiver::cli::ClusterConnection> connection;
  if (cluster.distributed()) {
    cluster.token = quiver::cli::token_or_environment(cluster.token);
    auto connected = quiver::cli::ClusterConnection::connect(*session, cluster);
    if (!connected.ok()) return fail(connected.status().message());
    connection = std::move(*connected);
  }
  for (const auto& setting : settings) {
    std::string key;
    std::string value;
    if (!split_assignment(setting, key, value)) {
      return fail("--set expects key=value, got '" + setting + "'");
    }
    if (auto status = session->set_option(key, value); !status.ok()) {
      return fail("--set " + setting + ": " + status.message());
    }
  }
  for (const auto& table : tables) {
    std::string name;
    std::string path;
    if (!split_assignment(table, name, path)) {
      return fail("--table expects name=path, got '" + table + "'");
    }
    if (auto status = session->register_path(name, path); !status.ok()) {
      return fail("--table " + table + ": " + status.message());
    }
  }

  for (const auto& path : sources) {
    if (auto status = session->register_sources(path); !status.ok()) {
      return fail("--sources: " + status.message());
    }
  }

  const bool scripted = !commands.empty() || !files.empty();
  const bool interactive = !scripted && quiver::shell::is_terminal(STDIN_FILENO);
  quiver::cli::ShellOptions options;
  options.print.format = *quiver::shell::parse_output_format(format);
  options.print.max_rows = max_rows >= 0 ? max_rows : (interactive ? kInteractiveMaxRows : 0);
  options.timing = timing_flag != 0 ? timing_flag > 0 : interactive;
  options.continue_on_error = continue_on_error;
  options.show_distributed_plan = show_distributed_plan;
  quiver::cli::Repl repl(session, options, std::cout, std::cerr);

  if (!scripted) {
    if (!interactive) return repl.run_stream(std::cin, "") ? 0 : 1;
    std::cout << version << ". Type \\? for help, \\q to quit." << std::endl;
    const char* home = std::getenv("HOME");
    const std::string history = home != nullptr ? std::string(home) + "/.quiver_history" : "";
    return repl.run_interactive(history) ? 0 : 1;
  }

  // Run -c and -f in the order they were given.
  bool ok = true;
  size_t next_command = 0;
  size_t next_file = 0;
  for (const CLI::Option* option : app.parse_order()) {
    if (option == command_option) {
      std::istringstream input(commands[next_command++]);
      ok = repl.run_stream(input, "") && ok;
    } else if (option == file_option) {
      const std::string& path = files[next_file++];
      std::ifstream input(path);
      if (!input) {
        std::cerr << "Error: cannot open '" << path << "': " << std::strerror(errno) << std::endl;
        ok = false;
      } else {
        ok = repl.run_stream(input, path) && ok;
      }
    } else {
      continue;
    }
    if ((!ok && !continue_on_error) || repl.quit_requested()) break;
  }
  return ok ? 0 : 1;
}
