#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/worker/in_process_cluster.h"

namespace quiver::cli {

/// Which workers the quiver command sends its queries' stages to (at most one source is set).
struct ClusterOptions {
  /// Starts this many Flight workers inside the quiver process (`--workers N`); 0 = none.
  int workers = 0;
  /// A fixed list of worker URLs (`--workers-url a,b,c`).
  std::vector<std::string> worker_urls;
  /// A file listing worker URLs, one per line, re-read when it changes (`--workers-file PATH`).
  std::string workers_file;
  /// The shared token sent to the workers (`--token`, or the QUIVER_TOKEN environment variable).
  std::string token;

  /// Returns whether any worker source is set.
  bool distributed() const { return workers > 0 || !worker_urls.empty() || !workers_file.empty(); }
};

/// Returns `url` with the `grpc://` scheme added when it has none ("127.0.0.1:50051" becomes
/// "grpc://127.0.0.1:50051"), trimmed of spaces.
std::string normalize_worker_url(const std::string& url);

/// The workers a quiver session runs on. Holds the in-process workers (if any) alive: keep the
/// connection as long as the session runs queries.
class ClusterConnection {
 public:
  /// Makes `session` distributed over the workers `options` names: registers the
  /// `distributed.*` options and the distributed planner with a Flight transport. With
  /// `options.workers` > 0, first starts that many workers on loopback ports.
  static arrow::Result<std::unique_ptr<ClusterConnection>> connect(catalog::SessionContext& session,
                                                                   const ClusterOptions& options);

  /// Returns the URLs of the in-process workers (empty when the workers are external).
  std::vector<std::string> in_process_urls() const;

 private:
  ClusterConnection() = default;
  std::unique_ptr<distributed::InProcessCluster> cluster_;
};

}  // namespace quiver::cli
