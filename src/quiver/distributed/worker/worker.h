#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <atomic>
#include <memory>
#include <string>

#include "quiver/distributed/worker/local_shortcut_transport.h"
#include "quiver/distributed/worker/worker_service.h"

namespace quiver::distributed {

/// Where and how a worker listens.
struct WorkerOptions {
  /// The address to bind; the default, loopback, is reachable from this machine only.
  std::string host = "127.0.0.1";
  /// The port to bind; 0 picks a free one.
  int port = 0;
  /// A shared secret; when set, every call must carry `authorization: Bearer <token>`. Required
  /// when `host` is not a loopback address.
  std::string token;
  /// How tasks are decoded and run.
  WorkerServiceOptions service;
};

/// Returns whether `host` names a loopback address (127.0.0.0/8, ::1 or "localhost").
bool is_loopback_host(const std::string& host);

/// A running Flight worker. Listening starts in start() and stops in stop() or the destructor.
///
/// Thread-safety: url()/port()/task_count() may be called from any thread; stop() is idempotent.
class Worker {
 public:
  /// Binds host:port and starts serving; refuses a non-loopback host without a token.
  static arrow::Result<std::unique_ptr<Worker>> start(WorkerOptions options);
  /// Stops the worker (see stop()).
  ~Worker();

  /// Returns the URL clients connect to, e.g. "grpc://127.0.0.1:50051".
  const std::string& url() const { return url_; }
  /// Returns the bound port.
  int port() const { return port_; }
  /// Returns the number of tasks the worker holds.
  size_t task_count() const { return service_->task_count(); }
  /// Returns how many record batches the worker sent, by the codec of their IPC bodies.
  const WireCodecCounts& wire_codecs() const { return service_->wire_codecs(); }
  /// Returns how many partitions of its own tasks the worker's tasks read in the process
  /// (LocalShortcutTransport) instead of over Flight.
  int64_t local_fetches() const { return shortcut_->local_fetches(); }

  /// Cancels every task and stops listening, waiting at most about a second for running calls.
  arrow::Status stop();
  /// Blocks until SIGINT or SIGTERM arrives (or request_stop() is called), then stops the
  /// worker. Installs its own handlers for both signals while it runs.
  arrow::Status serve_until_signal();
  /// Makes serve_until_signal() return soon; callable from any thread.
  void request_stop() { stop_requested_.store(true); }
  /// Returns whether serve_until_signal() is waiting with its signal handlers installed.
  bool serving() const { return serving_.load(); }

 private:
  Worker(std::unique_ptr<WorkerService> service, std::shared_ptr<LocalShortcutTransport> shortcut,
         std::string url, int port)
      : service_(std::move(service)),
        shortcut_(std::move(shortcut)),
        url_(std::move(url)),
        port_(port) {}

  std::unique_ptr<WorkerService> service_;
  std::shared_ptr<LocalShortcutTransport> shortcut_;
  std::string url_;
  int port_;
  std::atomic<bool> stopped_{false};
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> serving_{false};
};

/// Runs a worker on host:port until SIGINT/SIGTERM (the `quiver worker` command). `service`
/// gives the plan decoder and base options.
arrow::Status run_worker(const std::string& host, int port, const std::string& token,
                         WorkerServiceOptions service);

}  // namespace quiver::distributed
