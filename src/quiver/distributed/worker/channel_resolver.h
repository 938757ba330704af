#pragma once

#include <arrow/flight/client.h>
#include <arrow/result.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace quiver::distributed {

/// How clients reach workers.
struct ChannelOptions {
  /// The shared token sent as `authorization: Bearer <token>` (none when empty).
  std::string token;
  /// How long a control call (submit, end) may take, which bounds how long an unreachable worker
  /// takes to report. Data streams have no total deadline.
  std::chrono::milliseconds call_timeout{std::chrono::seconds(5)};
  /// How long establishing a connection may take before a data stream fails.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(3)};
};

/// Resolves a worker URL to a Flight client, creating one client per URL and caching it. A
/// client is cheap to share: Flight clients accept concurrent calls.
///
/// Thread-safety: every method may be called from many threads at once.
class ChannelResolver {
 public:
  /// Creates a resolver whose clients follow `options`.
  explicit ChannelResolver(ChannelOptions options = {}) : options_(std::move(options)) {}

  /// Returns the cached client for `url` (e.g. "grpc://127.0.0.1:50051"), connecting lazily.
  /// A malformed URL is an Invalid error naming it.
  arrow::Result<std::shared_ptr<arrow::flight::FlightClient>> get_client(const std::string& url);

  /// Drops the cached client for `url` (after the worker went away).
  void forget(const std::string& url);

  /// Returns call options carrying the token; `control` calls also get the call timeout.
  arrow::flight::FlightCallOptions call_options(bool control) const;

  /// Returns the options.
  const ChannelOptions& options() const { return options_; }

 private:
  ChannelOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<arrow::flight::FlightClient>> clients_;
};

}  // namespace quiver::distributed
