// Runs one SQL query on N worker PROCESSES on this machine: the program starts copies of itself
// with `--worker` (each a Flight worker on a free loopback port), waits until each prints the URL
// it listens on, runs the query through them, and stops them with SIGTERM. Usage:
//
//   localhost [SQL] [--workers N] [--table name=path] [--set key=value] [--show-distributed-plan]
//   localhost --worker [--port P]        (what the coordinator starts)
//
// The default query groups the bundled weather Parquet files (testdata/weather, table `weather`)
// with small partitions, so that every stage runs as several tasks across the processes. The
// workers use the shared token of the QUIVER_TOKEN environment variable when it is set.

#include <arrow/compute/initialize.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/worker/worker.h"
#include "quiver/shell/result_printer.h"

namespace {

constexpr const char* kDefaultQuery =
    "SELECT \"RainToday\", count(*) AS days, round(avg(\"MaxTemp\"), 2) AS avg_max "
    "FROM weather GROUP BY \"RainToday\" ORDER BY \"RainToday\"";
constexpr const char* kListeningPrefix = "quiver worker listening on ";
constexpr int kStartTimeoutMs = 15000;

std::string environment_token() {
  const char* token = std::getenv("QUIVER_TOKEN");
  return token != nullptr ? std::string(token) : std::string();
}

// One worker process: started from this program's own executable with --worker, its stderr read
// through a pipe until it names its URL. Destroying it stops the process.
class WorkerProcess {
 public:
  // Starts the process and waits until it listens.
  static arrow::Result<std::unique_ptr<WorkerProcess>> start(const std::string& executable) {
    int fds[2];
    if (pipe(fds) != 0) return arrow::Status::IOError("pipe() failed");
    const pid_t pid = fork();
    if (pid < 0) return arrow::Status::IOError("fork() failed");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // the worker stops if the coordinator dies
      dup2(fds[1], STDERR_FILENO);
      close(fds[0]);
      close(fds[1]);
      execl(executable.c_str(), executable.c_str(), "--worker", "--port", "0",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    close(fds[1]);
    std::unique_ptr<WorkerProcess> process(new WorkerProcess(pid, fds[0]));
    ARROW_RETURN_NOT_OK(process->wait_until_listening());
    return process;
  }

  ~WorkerProcess() { stop(); }

  // Returns the URL the worker listens on.
  const std::string& url() const { return url_; }
  // Returns the process id.
  pid_t pid() const { return pid_; }

  // Sends SIGTERM and waits for the exit (SIGKILL after five seconds).
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
    close(stderr_fd_);
  }

 private:
  WorkerProcess(pid_t pid, int stderr_fd) : pid_(pid), stderr_fd_(stderr_fd) {}

  arrow::Status wait_until_listening() {
    std::string text;
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(kStartTimeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd fd{stderr_fd_, POLLIN, 0};
      if (poll(&fd, 1, 100) <= 0) continue;
      char buffer[512];
      const ssize_t n = read(stderr_fd_, buffer, sizeof(buffer));
      if (n <= 0) break;  // the process exited
      text.append(buffer, static_cast<size_t>(n));
      const size_t at = text.find(kListeningPrefix);
      const size_t end = at == std::string::npos ? at : text.find('\n', at);
      if (end != std::string::npos) {
        const size_t begin = at + std::string(kListeningPrefix).size();
        url_ = text.substr(begin, end - begin);
        return arrow::Status::OK();
      }
    }
    return arrow::Status::IOError("worker process ", pid_, " did not start listening: ", text);
  }

  pid_t pid_;
  int stderr_fd_;
  std::string url_;
};

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

arrow::Status run_query(const std::vector<std::string>& urls, const std::string& sql,
                        const std::vector<std::string>& tables,
                        const std::vector<std::string>& settings, bool show_plan) {
  using namespace quiver;
  auto session = catalog::SessionContext::Make();
  distributed::ChannelOptions channels;
  channels.token = environment_token();
  ARROW_RETURN_NOT_OK(
      distributed::enable_flight_distributed(*session, urls, {}, {}, std::move(channels)));
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
  return shell::ResultPrinter().print(*table, std::cout);
}

arrow::Status run_coordinator(int workers, const std::string& sql,
                              const std::vector<std::string>& tables,
                              const std::vector<std::string>& settings, bool show_plan) {
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length <= 0) return arrow::Status::IOError("cannot find this program's executable");
  const std::string executable(self, static_cast<size_t>(length));

  std::vector<std::unique_ptr<WorkerProcess>> processes;
  std::vector<std::string> urls;
  for (int i = 0; i < workers; ++i) {
    ARROW_ASSIGN_OR_RAISE(auto process, WorkerProcess::start(executable));
    std::cerr << "worker process " << process->pid() << " listens on " << process->url()
              << std::endl;
    urls.push_back(process->url());
    processes.push_back(std::move(process));
  }
  const arrow::Status status = run_query(urls, sql, tables, settings, show_plan);
  for (auto& process : processes) process->stop();
  std::cerr << "stopped " << processes.size() << " worker processes" << std::endl;
  return status;
}

arrow::Status run_worker_process(int port) {
  quiver::distributed::WorkerServiceOptions service;
  service.encoder = quiver::distributed::codec_plan_encoder();
  service.decoder = quiver::distributed::codec_plan_decoder();
  return quiver::distributed::run_worker("127.0.0.1", port, environment_token(),
                                         std::move(service));
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs a query on N worker processes started on this machine"};
  std::string sql = kDefaultQuery;
  int workers = 3;
  bool worker_mode = false;
  int port = 0;
  std::vector<std::string> tables;
  std::vector<std::string> settings;
  bool show_plan = false;
  app.add_option("sql", sql, "The SQL query to run (default: a GROUP BY over the weather table)");
  app.add_option("--workers", workers, "Number of worker processes (default 3)")
      ->check(CLI::Range(1, 64));
  app.add_option("--table", tables, "Register a file or directory as name=path; repeatable")
      ->allow_extra_args(false);
  app.add_option("--set", settings, "Set a session option as key=value; repeatable")
      ->allow_extra_args(false);
  app.add_flag("--show-distributed-plan", show_plan, "Print the plan instead of running it");
  app.add_flag("--worker", worker_mode, "Run as a worker process (started by the coordinator)");
  app.add_option("--port", port, "The worker's port (0 = a free one)")->check(CLI::Range(0, 65535));
  CLI11_PARSE(app, argc, argv);
  if (tables.empty()) tables.push_back("weather=testdata/weather");
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << "Error: " << st.ToString() << "\n";
    return 1;
  }
  const arrow::Status status = worker_mode
                                   ? run_worker_process(port)
                                   : run_coordinator(workers, sql, tables, settings, show_plan);
  if (!status.ok()) {
    std::cerr << "Error: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
