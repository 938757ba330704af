#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace quiver::datasource::http_json {

/// How a request authenticates. Credentials are only ever sent to the host of the URL they were
/// configured for (see HttpRequest::credential_host).
struct HttpAuth {
  enum class Kind { kNone, kBearer, kBasic };
  Kind kind = Kind::kNone;
  /// The bearer token (kBearer).
  std::string token;
  /// User and password (kBasic).
  std::string user;
  std::string password;
};

/// One GET request.
struct HttpRequest {
  std::string url;
  /// Extra headers, already expanded (`${ENV}` substitution happens before the fetcher).
  std::vector<std::pair<std::string, std::string>> headers;
  HttpAuth auth;
  /// The host (scheme://host[:port]) the credentials and the configured headers belong to. When
  /// the URL's host differs (a next link pointing elsewhere), the fetcher sends neither the auth
  /// nor the configured headers. Empty = the URL's own host.
  std::string credential_host;
};

/// Retry rule for one request: failures before the body starts (connect errors, timeouts,
/// 429 and 5xx answers) are retried with exponential backoff, honouring `Retry-After`.
struct RetryPolicy {
  /// Retries after the first attempt (0 = no retry).
  int max_retries = 5;
  /// First backoff; each retry multiplies it by `multiplier`, capped at `max_backoff_ms`.
  int64_t initial_backoff_ms = 200;
  double multiplier = 2.0;
  int64_t max_backoff_ms = 30000;
  /// The longest `Retry-After` honoured; a longer one fails the request (naming the wait).
  int64_t max_retry_after_ms = 300000;
};

/// Connection behaviour of a fetcher.
struct HttpClientOptions {
  /// Time to establish a connection.
  int64_t connect_timeout_ms = 10000;
  /// A body that delivers no byte for this long fails (a stall); there is no total deadline, so
  /// a long stream that keeps moving never times out. The clock runs only while the reader waits
  /// in body().next() (a reader that rests is no stall) and, before the answer, from the start
  /// of each attempt (a server that accepts but never answers: retried like a timeout).
  int64_t stall_timeout_ms = 60000;
  RetryPolicy retry;
  /// The most body bytes buffered ahead of the reader (back-pressure: the transfer pauses).
  int64_t max_buffered_bytes = 4 << 20;
  std::string user_agent = "quiver";
};

/// A response whose status and headers have arrived; the body is read as it comes. A 2xx
/// status only: the fetcher turns other statuses into errors (after its retries) that name the
/// URL, the status and the start of the body.
class HttpResponse {
 public:
  virtual ~HttpResponse() = default;
  /// The HTTP status (2xx).
  virtual int status() const = 0;
  /// The first value of header `name` (case-insensitive), if present.
  virtual std::optional<std::string> header(const std::string& name) const = 0;
  /// The URL finally answered (after redirects).
  virtual const std::string& url() const = 0;
  /// The body, chunk by chunk. Errors (a cut connection, a stall) name the URL and the byte
  /// offset reached. Must be called from one thread.
  virtual json::ByteChunkStream& body() = 0;
};

/// Sends GET requests. Thread-safe: one fetcher serves many streams at once (connections are
/// kept alive and reused).
class HttpFetcher {
 public:
  virtual ~HttpFetcher() = default;
  /// Sends `request`, retrying as the options say, and returns once the headers of a 2xx answer
  /// have arrived.
  virtual arrow::Result<std::unique_ptr<HttpResponse>> get(const HttpRequest& request) = 0;
};

/// Returns the libcurl fetcher.
arrow::Result<std::shared_ptr<HttpFetcher>> make_curl_fetcher(HttpClientOptions options);

}  // namespace quiver::datasource::http_json
