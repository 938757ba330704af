#include "quiver/cli/cluster_connection.h"

#include "quiver/distributed/distributed_context.h"
#include "quiver/distributed/file_worker_resolver.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/http_pages/http_pages_wiring.h"
#include "quiver/distributed/worker/channel_resolver.h"
#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/distributed/worker_resolver.h"

namespace quiver::cli {

std::string normalize_worker_url(const std::string& url) {
  const char* spaces = " \t\r\n";
  const size_t begin = url.find_first_not_of(spaces);
  if (begin == std::string::npos) return "";
  const std::string trimmed = url.substr(begin, url.find_last_not_of(spaces) - begin + 1);
  if (trimmed.find("://") != std::string::npos) return trimmed;
  return "grpc://" + trimmed;
}

namespace {

// A resolver that adds the grpc:// scheme to the URLs of a file.
class NormalizingResolver final : public distributed::WorkerResolver {
 public:
  explicit NormalizingResolver(std::shared_ptr<distributed::WorkerResolver> inner)
      : inner_(std::move(inner)) {}
  arrow::Result<std::vector<std::string>> worker_urls() const override {
    ARROW_ASSIGN_OR_RAISE(auto urls, inner_->worker_urls());
    for (auto& url : urls) url = normalize_worker_url(url);
    return urls;
  }

 private:
  std::shared_ptr<distributed::WorkerResolver> inner_;
};

}  // namespace

arrow::Result<std::unique_ptr<ClusterConnection>> ClusterConnection::connect(
    catalog::SessionContext& session, const ClusterOptions& options) {
  std::unique_ptr<ClusterConnection> connection(new ClusterConnection());
  std::shared_ptr<distributed::WorkerResolver> resolver;
  if (options.workers > 0) {
    // In-process workers listen on loopback only, so they need no token.
    ARROW_ASSIGN_OR_RAISE(connection->cluster_,
                          distributed::start_in_process_flight_cluster(
                              options.workers, distributed::http_pages::http_pages_codecs()));
    resolver = std::make_shared<distributed::StaticWorkerResolver>(connection->cluster_->urls());
  } else if (!options.worker_urls.empty()) {
    std::vector<std::string> urls;
    for (const auto& url : options.worker_urls) {
      std::string normalized = normalize_worker_url(url);
      if (normalized.empty()) return arrow::Status::Invalid("--workers-url has an empty URL");
      urls.push_back(std::move(normalized));
    }
    resolver = std::make_shared<distributed::StaticWorkerResolver>(std::move(urls));
  } else if (!options.workers_file.empty()) {
    auto file = std::make_shared<distributed::FileWorkerResolver>(options.workers_file);
    // Read it once now, so that a missing or empty file is reported before any query.
    ARROW_RETURN_NOT_OK(file->worker_urls().status());
    resolver = std::make_shared<NormalizingResolver>(std::move(file));
  } else {
    return arrow::Status::Invalid("no workers given (--workers, --workers-url or --workers-file)");
  }
  distributed::ChannelOptions channel_options;
  channel_options.token = options.token;
  auto transport = std::make_shared<distributed::FlightTransport>(
      distributed::codec_plan_encoder(distributed::http_pages::http_pages_codecs()),
      std::make_shared<distributed::ChannelResolver>(channel_options));
  ARROW_RETURN_NOT_OK(distributed::enable_distributed(
      session, resolver, transport, distributed::http_pages::http_pages_estimators()));
  // HTTP JSON tables are scanned by every worker (pages handed out by this coordinator).
  ARROW_RETURN_NOT_OK(distributed::http_pages::enable_distributed_http_pages(session));
  return connection;
}

std::vector<std::string> ClusterConnection::in_process_urls() const {
  return cluster_ == nullptr ? std::vector<std::string>() : cluster_->urls();
}

}  // namespace quiver::cli
