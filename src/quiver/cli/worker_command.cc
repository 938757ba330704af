#include "quiver/cli/worker_command.h"

#include <cstdlib>

#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/http_pages/http_pages_wiring.h"
#include "quiver/distributed/worker/worker.h"

namespace quiver::cli {

std::string token_or_environment(const std::string& token) {
  if (!token.empty()) return token;
  const char* from_environment = std::getenv("QUIVER_TOKEN");
  return from_environment != nullptr ? std::string(from_environment) : std::string();
}

arrow::Status run_worker_command(const WorkerCommandOptions& options) {
  const std::string token = token_or_environment(options.token);
  if (!distributed::is_loopback_host(options.host) && token.empty()) {
    return arrow::Status::Invalid(
        "quiver worker: --host ", options.host,
        " is not a loopback address, so the worker needs a shared token (--token or "
        "QUIVER_TOKEN); refusing to start");
  }
  distributed::WorkerServiceOptions service;
  // HTTP JSON scans arrive as HttpJsonScanExec (distributed page fetching).
  service.encoder = distributed::codec_plan_encoder(distributed::http_pages::http_pages_codecs());
  service.decoder = distributed::codec_plan_decoder(distributed::http_pages::http_pages_codecs());
  return distributed::run_worker(options.host, options.port, token, std::move(service));
}

}  // namespace quiver::cli
