#pragma once

#include <arrow/buffer.h>
#include <arrow/result.h>
#include <arrow/status.h>
#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace quiver::datasource::http_json {

/// Initializes libcurl once per process (thread-safe; later calls return the first result).
arrow::Status ensure_curl_initialized();

/// A libcurl easy handle on its own multi handle. The multi handle owns the connection cache, so
/// a connection kept alive by one transfer is reused by the next transfer on the same
/// CurlConnection. Not thread-safe: one transfer at a time, from any thread.
class CurlConnection {
 public:
  /// Creates the handles.
  static arrow::Result<std::unique_ptr<CurlConnection>> Make();
  ~CurlConnection();
  CurlConnection(const CurlConnection&) = delete;
  CurlConnection& operator=(const CurlConnection&) = delete;

  CURL* easy() const { return easy_; }
  CURLM* multi() const { return multi_; }
  /// The origin of the last URL fetched (the pool prefers a connection to the same origin).
  std::string last_origin;

 private:
  CurlConnection(CURL* easy, CURLM* multi) : easy_(easy), multi_(multi) {}
  CURL* easy_;
  CURLM* multi_;
};

/// What a transfer needs besides its URL.
struct TransferSettings {
  int64_t connect_timeout_ms = 10000;
  int64_t stall_timeout_ms = 60000;
  int64_t max_buffered_bytes = 4 << 20;
  std::string user_agent;
};

/// One GET on a CurlConnection, driven by the calling thread: nothing moves unless one of the
/// methods below runs (curl_multi_perform/poll inside). The body is buffered up to
/// `max_buffered_bytes`; beyond that the transfer pauses until the reader takes the buffer
/// (back-pressure). Used by one thread at a time.
class CurlTransfer {
 public:
  /// Prepares a GET of `url` sending `header_lines` ("Name: value") on `connection`.
  CurlTransfer(CurlConnection* connection, std::string url, std::vector<std::string> header_lines,
               const TransferSettings& settings);
  /// Aborts the transfer if it did not finish (the connection is then closed, not reused).
  ~CurlTransfer();
  CurlTransfer(const CurlTransfer&) = delete;
  CurlTransfer& operator=(const CurlTransfer&) = delete;

  /// Starts the request and returns once the status line and headers of the final answer
  /// arrived. On failure, `retryable()` says whether the failure happened before any answer in
  /// a way worth retrying (connect error, timeout, stall, connection reset).
  arrow::Status wait_headers();
  /// Returns whether the last failure of `wait_headers` may be retried.
  bool retryable() const { return retryable_; }

  /// Returns the HTTP status of the answer.
  int status() const { return status_; }
  /// Returns the first value of header `name` (case-insensitive).
  std::optional<std::string> header(const std::string& name) const;
  /// Returns the absolute URL of a redirect answer's Location, if any.
  std::optional<std::string> redirect_url() const;
  /// Returns the URL requested.
  const std::string& url() const { return url_; }

  /// Returns the next body chunk, nullptr at the end. A cut connection, a stall or a short body
  /// fail with the URL and the byte offset reached; after a failure every call fails.
  arrow::Result<std::shared_ptr<arrow::Buffer>> next_chunk();
  /// Reads the body until it ends or `limit` bytes are held (errors ignored), for an error
  /// message or to let a finished connection be reused; returns what was read.
  std::string read_rest(size_t limit);

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* self);
  /// Runs the transfer until `ready()` holds, the transfer ends or it stalls.
  template <typename Ready>
  arrow::Status pump_until(Ready ready);
  arrow::Status start();
  arrow::Status body_error(const std::string& what) const;

  CurlConnection* connection_;
  std::string url_;
  std::vector<std::string> header_lines_;
  TransferSettings settings_;
  curl_slist* header_list_ = nullptr;
  char error_buffer_[CURL_ERROR_SIZE] = {};
  bool added_ = false;
  bool headers_done_ = false;
  bool paused_ = false;
  bool done_ = false;
  bool retryable_ = false;
  CURLcode result_ = CURLE_OK;
  int status_ = 0;
  std::vector<std::pair<std::string, std::string>> headers_;
  std::string buffer_;
  int64_t received_ = 0;
  // The last byte received, or the start of the current wait if later (the stall clock).
  std::chrono::steady_clock::time_point last_progress_;
  arrow::Status sticky_error_;
};

}  // namespace quiver::datasource::http_json
