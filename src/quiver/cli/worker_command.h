#pragma once

#include <arrow/status.h>

#include <string>

namespace quiver::cli {

/// What `quiver worker` was given.
struct WorkerCommandOptions {
  /// The address to bind (loopback by default).
  std::string host = "127.0.0.1";
  /// The port to bind (0 picks a free one, printed on start).
  int port = 0;
  /// The shared token; when empty, the QUIVER_TOKEN environment variable is used.
  std::string token;
};

/// Returns `token`, or the QUIVER_TOKEN environment variable when `token` is empty.
std::string token_or_environment(const std::string& token);

/// Runs `quiver worker`: serves stages over Arrow Flight on host:port until SIGINT or SIGTERM,
/// printing `quiver worker listening on grpc://HOST:PORT` to stderr once it listens. Refuses a
/// non-loopback host without a token (Invalid).
arrow::Status run_worker_command(const WorkerCommandOptions& options);

}  // namespace quiver::cli
