#include "quiver/datasource/http_json/curl_transfer.h"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace quiver::datasource::http_json {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

// Failures before an answer that a retry may cure.
bool retryable_code(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

}  // namespace

arrow::Status ensure_curl_initialized() {
  static std::once_flag once;
  static CURLcode code = CURLE_OK;
  std::call_once(once, [] { code = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (code != CURLE_OK) {
    return arrow::Status::IOError("libcurl initialization failed: ", curl_easy_strerror(code));
  }
  return arrow::Status::OK();
}

arrow::Result<std::unique_ptr<CurlConnection>> CurlConnection::Make() {
  ARROW_RETURN_NOT_OK(ensure_curl_initialized());
  CURL* easy = curl_easy_init();
  CURLM* multi = curl_multi_init();
  if (easy == nullptr || multi == nullptr) {
    if (easy != nullptr) curl_easy_cleanup(easy);
    if (multi != nullptr) curl_multi_cleanup(multi);
    return arrow::Status::OutOfMemory("libcurl could not create a handle");
  }
  return std::unique_ptr<CurlConnection>(new CurlConnection(easy, multi));
}

CurlConnection::~CurlConnection() {
  curl_multi_cleanup(multi_);
  curl_easy_cleanup(easy_);
}

CurlTransfer::CurlTransfer(CurlConnection* connection, std::string url,
                           std::vector<std::string> header_lines, const TransferSettings& settings)
    : connection_(connection),
      url_(std::move(url)),
      header_lines_(std::move(header_lines)),
      settings_(settings) {
  settings_.max_buffered_bytes = std::max<int64_t>(settings_.max_buffered_bytes, 1);
  settings_.stall_timeout_ms = std::max<int64_t>(settings_.stall_timeout_ms, 1);
}

CurlTransfer::~CurlTransfer() {
  // Removing an unfinished transfer makes libcurl close its connection.
  if (added_) curl_multi_remove_handle(connection_->multi(), connection_->easy());
  curl_slist_free_all(header_list_);
}

arrow::Status CurlTransfer::start() {
  CURL* easy = connection_->easy();
  curl_easy_reset(easy);
  for (const auto& line : header_lines_) {
    curl_slist* next = curl_slist_append(header_list_, line.c_str());
    if (next == nullptr) return arrow::Status::OutOfMemory("libcurl header list");
    header_list_ = next;
  }
  const auto set = [&](CURLcode code, const char* what) -> arrow::Status {
    if (code == CURLE_OK) return arrow::Status::OK();
    return arrow::Status::IOError("GET ", url_, ": cannot set libcurl option ", what, ": ",
                                  curl_easy_strerror(code));
  };
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_URL, url_.c_str()), "URL"));
  ARROW_RETURN_NOT_OK(
      set(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR"));
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL"));
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
                                           static_cast<long>(settings_.connect_timeout_ms)),
                          "CONNECTTIMEOUT_MS"));
  // Redirects are followed by the fetcher, which decides per hop which headers may go.
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L), "FOLLOWLOCATION"));
  ARROW_RETURN_NOT_OK(
      set(curl_easy_setopt(easy, CURLOPT_UNRESTRICTED_AUTH, 0L), "UNRESTRICTED_AUTH"));
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L), "TCP_KEEPALIVE"));
  // "" = every encoding this libcurl decodes (gzip, deflate, ...).
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING"));
  if (!settings_.user_agent.empty()) {
    ARROW_RETURN_NOT_OK(
        set(curl_easy_setopt(easy, CURLOPT_USERAGENT, settings_.user_agent.c_str()), "USERAGENT"));
  }
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list_), "HTTPHEADER"));
  ARROW_RETURN_NOT_OK(
      set(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_), "ERRORBUFFER"));
  ARROW_RETURN_NOT_OK(
      set(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlTransfer::on_body), "WRITEFUNCTION"));
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_WRITEDATA, this), "WRITEDATA"));
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &CurlTransfer::on_header),
                          "HEADERFUNCTION"));
  ARROW_RETURN_NOT_OK(set(curl_easy_setopt(easy, CURLOPT_HEADERDATA, this), "HEADERDATA"));
  const CURLMcode added = curl_multi_add_handle(connection_->multi(), easy);
  if (added != CURLM_OK) {
    return arrow::Status::IOError("GET ", url_, ": ", curl_multi_strerror(added));
  }
  added_ = true;
  last_progress_ = Clock::now();
  return arrow::Status::OK();
}

size_t CurlTransfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  const size_t length = size * count;
  transfer->headers_done_ = true;
  if (static_cast<int64_t>(transfer->buffer_.size()) >= transfer->settings_.max_buffered_bytes) {
    // libcurl keeps this data and hands it over again once unpaused.
    transfer->paused_ = true;
    return CURL_WRITEFUNC_PAUSE;
  }
  transfer->buffer_.append(data, length);
  transfer->received_ += static_cast<int64_t>(length);
  transfer->last_progress_ = Clock::now();
  return length;
}

size_t CurlTransfer::on_header(char* data, size_t size, size_t count, void* self) {
  auto* transfer = static_cast<CurlTransfer*>(self);
  const size_t length = size * count;
  transfer->last_progress_ = Clock::now();
  const std::string_view line = trim(std::string_view(data, length));
  if (line.rfind("HTTP/", 0) == 0) {
    // A new answer (after a 1xx): forget the previous one's headers.
    transfer->headers_.clear();
    transfer->headers_done_ = false;
  } else if (line.empty()) {
    long code = 0;
    curl_easy_getinfo(transfer->connection_->easy(), CURLINFO_RESPONSE_CODE, &code);
    transfer->status_ = static_cast<int>(code);
    if (code >= 200) transfer->headers_done_ = true;
  } else if (const size_t colon = line.find(':'); colon != std::string_view::npos) {
    transfer->headers_.emplace_back(lower(std::string(trim(line.substr(0, colon)))),
                                    std::string(trim(line.substr(colon + 1))));
  }
  return length;
}

template <typename Ready>
arrow::Status CurlTransfer::pump_until(Ready ready) {
  CURLM* multi = connection_->multi();
  // The stall clock runs only while someone waits: a reader that rests is no stall.
  last_progress_ = Clock::now();
  while (true) {
    int running = 0;
    const CURLMcode performed = curl_multi_perform(multi, &running);
    if (performed != CURLM_OK) {
      return arrow::Status::IOError("GET ", url_, ": ", curl_multi_strerror(performed));
    }
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
      if (message->msg == CURLMSG_DONE) {
        done_ = true;
        result_ = message->data.result;
      }
    }
    if (ready() || done_) return arrow::Status::OK();
    const auto idle =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - last_progress_)
            .count();
    if (idle >= settings_.stall_timeout_ms) {
      return arrow::Status::IOError("GET ", url_, ": no byte received for ", idle,
                                    " ms (stall timeout ", settings_.stall_timeout_ms,
                                    " ms) at byte offset ", received_,
                                    headers_done_ ? " of the body" : " before the answer");
    }
    const int wait_ms = static_cast<int>(
        std::clamp<int64_t>(settings_.stall_timeout_ms - idle, int64_t{1}, int64_t{1000}));
    const CURLMcode polled = curl_multi_poll(multi, nullptr, 0, wait_ms, nullptr);
    if (polled != CURLM_OK) {
      return arrow::Status::IOError("GET ", url_, ": ", curl_multi_strerror(polled));
    }
  }
}

arrow::Status CurlTransfer::wait_headers() {
  retryable_ = false;
  ARROW_RETURN_NOT_OK(start());
  const arrow::Status pumped = pump_until([this] { return headers_done_; });
  if (!pumped.ok()) {
    retryable_ = true;  // a stall before the answer: a timeout worth retrying
    return pumped;
  }
  if (!headers_done_) {
    retryable_ = retryable_code(result_);
    std::string detail = error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(result_);
    return arrow::Status::IOError("GET ", url_, ": ", detail);
  }
  return arrow::Status::OK();
}

std::optional<std::string> CurlTransfer::header(const std::string& name) const {
  const std::string key = lower(name);
  for (const auto& [header_name, value] : headers_) {
    if (header_name == key) return value;
  }
  return std::nullopt;
}

std::optional<std::string> CurlTransfer::redirect_url() const {
  char* location = nullptr;
  if (curl_easy_getinfo(connection_->easy(), CURLINFO_REDIRECT_URL, &location) != CURLE_OK ||
      location == nullptr) {
    return std::nullopt;
  }
  return std::string(location);
}

arrow::Status CurlTransfer::body_error(const std::string& what) const {
  return arrow::Status::IOError("GET ", url_, ": the body failed at byte offset ", received_, ": ",
                                what);
}

arrow::Result<std::shared_ptr<arrow::Buffer>> CurlTransfer::next_chunk() {
  ARROW_RETURN_NOT_OK(sticky_error_);
  while (buffer_.empty() && !done_) {
    const arrow::Status pumped = pump_until([this] { return !buffer_.empty(); });
    if (!pumped.ok()) {
      sticky_error_ = pumped;
      return pumped;
    }
  }
  if (!buffer_.empty()) {
    std::shared_ptr<arrow::Buffer> chunk = arrow::Buffer::FromString(std::move(buffer_));
    buffer_.clear();
    if (paused_) {
      paused_ = false;
      last_progress_ = Clock::now();
      // May hand the held data to on_body at once.
      curl_easy_pause(connection_->easy(), CURLPAUSE_CONT);
    }
    return chunk;
  }
  if (result_ != CURLE_OK) {
    sticky_error_ =
        body_error(error_buffer_[0] != '\0' ? error_buffer_ : curl_easy_strerror(result_));
    return sticky_error_;
  }
  return nullptr;
}

std::string CurlTransfer::read_rest(size_t limit) {
  std::string out = std::move(buffer_);
  buffer_.clear();
  while (!done_ && out.size() < limit) {
    if (paused_) {
      paused_ = false;
      last_progress_ = Clock::now();
      curl_easy_pause(connection_->easy(), CURLPAUSE_CONT);
    }
    if (!pump_until([this] { return !buffer_.empty(); }).ok()) break;
    out += buffer_;
    buffer_.clear();
  }
  return out;
}

}  // namespace quiver::datasource::http_json
