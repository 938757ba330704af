#include "quiver/datasource/http_json/curl_fetcher.h"

#include <arrow/util/base64.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "quiver/datasource/http_json/curl_transfer.h"
#include "quiver/datasource/http_json/retry_schedule.h"
#include "quiver/datasource/http_json/url_parts.h"

namespace quiver::datasource::http_json {

namespace {

// Idle CurlConnections kept by one fetcher.
constexpr size_t kMaxIdleConnections = 32;
// The most bytes of a redirect or error body read so that its connection can be reused.
constexpr size_t kDrainLimit = 64 << 10;

bool has_line_break(const std::string& text) {
  return text.find_first_of("\r\n") != std::string::npos;
}

// The start of an error body, on one line.
std::string preview(const std::string& body) {
  std::string out = body.substr(0, kErrorBodyPreview);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (body.size() > kErrorBodyPreview) out += "...";
  return out;
}

std::string attempts_text(int attempts) {
  return std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
}

// The fetcher's idle connections, shared with the responses that give theirs back.
class ConnectionPool {
 public:
  arrow::Result<std::unique_ptr<CurlConnection>> acquire(const std::string& origin) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = idle_.rbegin(); it != idle_.rend(); ++it) {
        if ((*it)->last_origin == origin) {
          auto connection = std::move(*it);
          idle_.erase(std::next(it).base());
          return connection;
        }
      }
      if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
    }
    return CurlConnection::Make();
  }

  void release(std::unique_ptr<CurlConnection> connection) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(connection));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<CurlConnection>> idle_;
};

// A CurlConnection in use; gives it back to the pool when destroyed (after the transfer on it
// ended or was aborted).
struct Lease {
  std::shared_ptr<ConnectionPool> pool;
  std::unique_ptr<CurlConnection> connection;
  std::unique_ptr<CurlTransfer> transfer;

  ~Lease() {
    transfer.reset();
    if (connection) pool->release(std::move(connection));
  }
};

class CurlBody final : public json::ByteChunkStream {
 public:
  explicit CurlBody(CurlTransfer* transfer) : transfer_(transfer) {}
  arrow::Result<std::shared_ptr<arrow::Buffer>> next() override { return transfer_->next_chunk(); }

 private:
  CurlTransfer* transfer_;
};

class CurlResponse final : public HttpResponse {
 public:
  CurlResponse(std::unique_ptr<Lease> lease, std::string url)
      : lease_(std::move(lease)), url_(std::move(url)), body_(lease_->transfer.get()) {}

  int status() const override { return lease_->transfer->status(); }
  std::optional<std::string> header(const std::string& name) const override {
    return lease_->transfer->header(name);
  }
  const std::string& url() const override { return url_; }
  json::ByteChunkStream& body() override { return body_; }

 private:
  std::unique_ptr<Lease> lease_;
  std::string url_;
  CurlBody body_;
};

// The result of one attempt: the lease of an answer whose headers arrived, or a failure.
struct Outcome {
  std::unique_ptr<Lease> lease;
  std::string url;
  arrow::Status failure;
  bool retryable = false;
};

class CurlFetcher final : public HttpFetcher {
 public:
  explicit CurlFetcher(HttpClientOptions options)
      : options_(std::move(options)), pool_(std::make_shared<ConnectionPool>()) {
    settings_.connect_timeout_ms = options_.connect_timeout_ms;
    settings_.stall_timeout_ms = options_.stall_timeout_ms;
    settings_.max_buffered_bytes = options_.max_buffered_bytes;
    settings_.user_agent = options_.user_agent;
  }

  arrow::Result<std::unique_ptr<HttpResponse>> get(const HttpRequest& request) override;

 private:
  // One attempt, following redirects.
  Outcome attempt(const HttpRequest& request);

  HttpClientOptions options_;
  TransferSettings settings_;
  std::shared_ptr<ConnectionPool> pool_;
};

Outcome CurlFetcher::attempt(const HttpRequest& request) {
  Outcome outcome;
  outcome.url = request.url;
  for (int hop = 0;; ++hop) {
    const auto origin = url_origin(outcome.url);
    auto lines = request_header_lines(request, outcome.url);
    auto lease = std::make_unique<Lease>();
    lease->pool = pool_;
    if (origin.ok() && lines.ok()) {
      auto connection = pool_->acquire(origin->to_string());
      if (connection.ok()) lease->connection = std::move(connection).ValueOrDie();
      outcome.failure = connection.status();
    } else {
      outcome.failure = origin.ok() ? lines.status() : origin.status();
    }
    if (!outcome.failure.ok()) return outcome;
    lease->connection->last_origin = origin->to_string();
    lease->transfer = std::make_unique<CurlTransfer>(lease->connection.get(), outcome.url,
                                                     std::move(lines).ValueOrDie(), settings_);
    outcome.failure = lease->transfer->wait_headers();
    if (!outcome.failure.ok()) {
      outcome.retryable = lease->transfer->retryable();
      return outcome;
    }
    const int status = lease->transfer->status();
    const auto location = lease->transfer->redirect_url();
    if (status < 300 || status >= 400 || !location) {
      outcome.lease = std::move(lease);
      return outcome;
    }
    if (hop >= kMaxRedirects) {
      outcome.failure = arrow::Status::IOError("GET ", request.url, ": more than ", kMaxRedirects,
                                               " redirects (the last to ", *location, ")");
      return outcome;
    }
    lease->transfer->read_rest(kDrainLimit);
    outcome.url = *location;
  }
}

arrow::Result<std::unique_ptr<HttpResponse>> CurlFetcher::get(const HttpRequest& request) {
  ARROW_RETURN_NOT_OK(url_origin(request.url).status());
  if (!request.credential_host.empty()) {
    const auto credential_origin = url_origin(request.credential_host);
    if (!credential_origin.ok()) {
      return arrow::Status::Invalid(
          "GET ", request.url, ": bad credential host: ", credential_origin.status().message());
    }
  }
  const RetryPolicy& policy = options_.retry;
  const int max_attempts = std::max(policy.max_retries, 0) + 1;
  for (int attempt_number = 1;; ++attempt_number) {
    const bool last = attempt_number >= max_attempts;
    Outcome outcome = attempt(request);
    if (!outcome.failure.ok()) {
      if (!outcome.retryable) return outcome.failure;
      if (last) {
        return outcome.failure.WithMessage(outcome.failure.message(), " (failed after ",
                                           attempts_text(attempt_number), ")");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms(policy, attempt_number)));
      continue;
    }
    const int status = outcome.lease->transfer->status();
    if (status >= 200 && status < 300) {
      return std::make_unique<CurlResponse>(std::move(outcome.lease), std::move(outcome.url));
    }
    const std::string body = outcome.lease->transfer->read_rest(kDrainLimit);
    const bool retryable = status == 429 || status >= 500;
    const std::string what = "GET " + outcome.url + " failed: HTTP " + std::to_string(status) +
                             " after " + attempts_text(attempt_number) +
                             (retryable ? "" : " (not retried)") + "; body: " + preview(body);
    if (!retryable || last) return arrow::Status::IOError(what);
    const auto wait_ms =
        retry_wait_ms(policy, attempt_number, outcome.lease->transfer->header("retry-after"),
                      std::chrono::system_clock::now());
    if (!wait_ms.ok()) return arrow::Status::IOError(what, "; ", wait_ms.status().message());
    outcome.lease.reset();
    std::this_thread::sleep_for(std::chrono::milliseconds(*wait_ms));
  }
}

}  // namespace

arrow::Result<std::vector<std::string>> request_header_lines(const HttpRequest& request,
                                                             const std::string& url) {
  std::vector<std::string> lines;
  const std::string& credential_host =
      request.credential_host.empty() ? request.url : request.credential_host;
  if (!same_origin(url, credential_host)) return lines;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_line_break(name) || has_line_break(value) ||
        name.find(':') != std::string::npos) {
      return arrow::Status::Invalid("GET ", request.url, ": bad header '", name,
                                    "' (empty, or holding ':' or a line break)");
    }
    // "Name;" is libcurl's way to send a header with an empty value.
    lines.push_back(value.empty() ? name + ";" : name + ": " + value);
  }
  const HttpAuth& auth = request.auth;
  if (auth.kind == HttpAuth::Kind::kBearer) {
    if (has_line_break(auth.token)) {
      return arrow::Status::Invalid("GET ", request.url, ": the bearer token holds a line break");
    }
    lines.push_back("Authorization: Bearer " + auth.token);
  } else if (auth.kind == HttpAuth::Kind::kBasic) {
    lines.push_back("Authorization: Basic " +
                    arrow::util::base64_encode(auth.user + ":" + auth.password));
  }
  return lines;
}

arrow::Result<std::shared_ptr<HttpFetcher>> make_curl_fetcher(HttpClientOptions options) {
  ARROW_RETURN_NOT_OK(ensure_curl_initialized());
  return std::make_shared<CurlFetcher>(std::move(options));
}

}  // namespace quiver::datasource::http_json
