// quiver_slt: runs sqllogictest (.slt) files against the Quiver engine.
//
//   quiver_slt [--workers N] [--filter SUBSTR] FILE_OR_DIR...
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
#include "sqllogictest/slt_runner.h"

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

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
  app.add_option("--workers", workers, "Number of worker nodes (0 = single node)");
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
  if (workers > 0) {
    std::cerr << "quiver_slt: --workers is not supported yet\n";
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

  const auto files = collect_files(paths, filter);
  if (files.empty()) std::cerr << "quiver_slt: no .slt files selected\n";
  quiver::slt::SltRunner runner(
      [&options]() -> arrow::Result<std::unique_ptr<quiver::slt::SqlExecutor>> {
        return std::make_unique<SessionExecutor>(quiver::catalog::SessionContext::Make(options));
      },
      std::cout);
  quiver::slt::RunCounts total;
  for (const auto& file : files) total += runner.run_file(file);
  std::cout << quiver::slt::summary_line(total) << std::endl;
  return total.failed > 0 ? kExitFailed : 0;
}
