#include "quiver/distributed/worker/channel_resolver.h"

namespace quiver::distributed {

namespace flight = arrow::flight;

arrow::Result<std::shared_ptr<flight::FlightClient>> ChannelResolver::get_client(
    const std::string& url) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = clients_.find(url);
  if (it != clients_.end()) return it->second;
  auto location = flight::Location::Parse(url);
  if (!location.ok()) {
    return arrow::Status::Invalid("worker URL '", url,
                                  "' is malformed: ", location.status().message());
  }
  auto client_options = flight::FlightClientOptions::Defaults();
  // Give up on a connection attempt quickly and retry soon, so an unreachable worker is reported
  // within a bounded time rather than after gRPC's 20 s default.
  int connect_ms = static_cast<int>(options_.connect_timeout.count());
  client_options.generic_options.emplace_back("grpc.min_reconnect_backoff_ms", connect_ms);
  client_options.generic_options.emplace_back("grpc.initial_reconnect_backoff_ms", 100);
  client_options.generic_options.emplace_back("grpc.max_reconnect_backoff_ms", connect_ms);
  auto client = flight::FlightClient::Connect(*location, client_options);
  if (!client.ok()) {
    return arrow::Status::IOError("cannot create a client for worker ", url, ": ",
                                  client.status().message());
  }
  std::shared_ptr<flight::FlightClient> shared = std::move(*client);
  clients_.emplace(url, shared);
  return shared;
}

void ChannelResolver::forget(const std::string& url) {
  std::lock_guard<std::mutex> lock(mutex_);
  clients_.erase(url);
}

flight::FlightCallOptions ChannelResolver::call_options(bool control) const {
  flight::FlightCallOptions call;
  if (!options_.token.empty()) {
    call.headers.emplace_back("authorization", "Bearer " + options_.token);
  }
  if (control) {
    call.timeout = std::chrono::duration_cast<flight::TimeoutDuration>(options_.call_timeout);
  }
  return call;
}

}  // namespace quiver::distributed
