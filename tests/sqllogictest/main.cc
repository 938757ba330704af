// quiver_slt: runs sqllogictest (.slt) files against the Quiver engine.
//
//   quiver_slt [--workers N] [--filter SUBSTR] [--set KEY=VALUE]... FILE_OR_DIR...
//
// With --workers N, one in-process cluster of N Arrow Flight workers starts first and every
// file's session runs its queries distributed over it, with small partitions
// (distributed.bytes_per_partition=1024, execution.target_partitions=2 unless --set) so that
// scans of the bundled files split into several tasks.
//
// Prints each failing record, then one closing line `N passed, M failed[, K skipped]`.
// Exits 0 if everything passed, 1 if any record failed, 2 on usage errors.

#include <arrow/compute/initialize.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/flight_cluster.h"
#include "sqllogictest/slt_runner.h"

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

// Small enough that every bundled data file is split over several tasks.
constexpr const char* kClusterBytesPerPartition = "1024";
constexpr const char* kClusterTargetPartitions = "2";

/// Runs each statement in one Quiver session.
class SessionExecutor : public quiver::slt::SqlExecutor {
 public:
  /// Wraps a fresh session.
  explicit SessionExecutor(std::shared_ptr<quiver::catalog::SessionContext> session)
      : session_(std::move(session)) {}

  /// Plans `sql` and collects its result.
  arrow::Result<std::shared_ptr<arrow::Table>> run(std::string_view sql) override {
    ARROW_ASSIGN_OR_RAISE(auto frame, session_->sql(sql));
    return frame->collect();
  }

 private:
  std::shared_ptr<quiver::catalog::SessionContext> session_;
};

/// Makes a session that runs its queries over the Flight workers at `urls`.
arrow::Result<std::shared_ptr<quiver::catalog::SessionContext>> make_cluster_session(
    const quiver::common::ConfigOptions& options, const std::vector<std::string>& settings,
    const std::vector<std::string>& urls) {
  auto session = quiver::catalog::SessionContext::Make(options);
  ARROW_RETURN_NOT_OK(quiver::distributed::enable_flight_distributed(*session, urls));
  ARROW_RETURN_NOT_OK(
      session->set_option("distributed.bytes_per_partition", kClusterBytesPerPartition));
  const bool partitions_set = std::any_of(settings.begin(), settings.end(), [](const auto& s) {
    return s.rfind("execution.target_partitions=", 0) == 0;
  });
  if (!partitions_set) {
    ARROW_RETURN_NOT_OK(
        session->set_option("execution.target_partitions", kClusterTargetPartitions));
  }
  return session;
}

/// Expands the command-line paths into a list of files: a directory stands for every `*.slt`
/// below it (sorted); paths that do not exist are kept so the runner reports them.
std::vector<std::string> collect_files(const std::vector<std::string>& paths,
                                       const std::string& filter) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && it->path().extension() == ".slt") {
        found.push_back(it->path().string());
      }
    }
    if (ec) std::cerr << "quiver_slt: error while listing " << path << ": " << ec.message() << "\n";
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  if (!filter.empty()) {
    std::erase_if(files, [&](const std::string& f) { return f.find(filter) == std::string::npos; });
  }
  return files;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs sqllogictest (.slt) files against the Quiver engine."};
  std::vector<std::string> paths;
  int workers = 0;
  std::string filter;
  app.add_option("paths", paths, ".slt files or directories (all *.slt below them, sorted)")
      ->required();
  app.add_option("--workers", workers,
                 "Run over an in-process cluster of this many Flight workers (0 = single node)");
  app.add_option("--filter", filter, "Run only files whose path contains this text");
  std::vector<std::string> settings;
  app.add_option("--set", settings,
                 "Session option for every file, as key=value (repeatable), e.g. "
                 "execution.batch_size=1");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  if (workers < 0) {
    std::cerr << "quiver_slt: --workers must not be negative\n";
    return kExitUsage;
  }
  if (auto status = arrow::compute::Initialize(); !status.ok()) {
    std::cerr << "quiver_slt: cannot initialize Arrow compute: " << status.ToString() << "\n";
    return kExitFailed;
  }

  quiver::common::ConfigOptions options;
  for (const auto& setting : settings) {
    const auto eq = setting.find('=');
    auto status = eq == std::string::npos
                      ? arrow::Status::Invalid("expected key=value")
                      : options.set(setting.substr(0, eq), setting.substr(eq + 1));
    if (!status.ok()) {
      std::cerr << "quiver_slt: --set " << setting << ": " << status.message() << "\n";
      return kExitUsage;
    }
  }

  std::unique_ptr<quiver::distributed::InProcessCluster> cluster;
  if (workers > 0) {
    auto started = quiver::distributed::start_in_process_flight_cluster(workers);
    if (!started.ok()) {
      std::cerr << "quiver_slt: cannot start " << workers
                << " workers: " << started.status().ToString() << "\n";
      return kExitFailed;
    }
    cluster = std::move(*started);
  }
  const std::vector<std::string> urls = cluster ? cluster->urls() : std::vector<std::string>{};

  const auto files = collect_files(paths, filter);
  if (files.empty()) std::cerr << "quiver_slt: no .slt files selected\n";
  quiver::slt::SltRunner runner(
      [&]() -> arrow::Result<std::unique_ptr<quiver::slt::SqlExecutor>> {
        if (urls.empty()) {
          return std::make_unique<SessionExecutor>(quiver::catalog::SessionContext::Make(options));
        }
        ARROW_ASSIGN_OR_RAISE(auto session, make_cluster_session(options, settings, urls));
        return std::make_unique<SessionExecutor>(std::move(session));
      },
      std::cout);
  quiver::slt::RunCounts total;
  for (const auto& file : files) total += runner.run_file(file);
  std::cout << quiver::slt::summary_line(total) << std::endl;
  if (cluster != nullptr && cluster->task_count() > 0) {
    // Every query ends its tasks when its stream finishes; state left behind is a leak.
    std::cout << "quiver_slt: " << cluster->task_count()
              << " task(s) left on the workers after the run" << std::endl;
    return kExitFailed;
  }
  return total.failed > 0 ? kExitFailed : 0;
}
