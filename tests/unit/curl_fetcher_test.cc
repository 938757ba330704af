// The libcurl fetcher against the loopback server of tests/http (routes_faults.py).

#include "quiver/datasource/http_json/curl_fetcher.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <thread>

#include "http_test_server.h"

namespace quiver::datasource::http_json {
namespace {

using Clock = std::chrono::steady_clock;

int64_t elapsed_ms(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

/// Quick retries so that the tests stay fast.
HttpClientOptions fast_options() {
  HttpClientOptions options;
  options.connect_timeout_ms = 2000;
  options.stall_timeout_ms = 5000;
  options.retry.max_retries = 3;
  options.retry.initial_backoff_ms = 50;
  options.retry.max_backoff_ms = 400;
  return options;
}

std::shared_ptr<HttpFetcher> make_fetcher(const HttpClientOptions& options = fast_options()) {
  return make_curl_fetcher(options).ValueOrDie();
}

HttpRequest request_of(const std::string& url) {
  HttpRequest request;
  request.url = url;
  return request;
}

arrow::Result<std::string> read_all(HttpResponse& response) {
  std::string out;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto chunk, response.body().next());
    if (chunk == nullptr) return out;
    out += chunk->ToString();
  }
}

arrow::Result<std::string> fetch(HttpFetcher& fetcher, const HttpRequest& request) {
  ARROW_ASSIGN_OR_RAISE(auto response, fetcher.get(request));
  return read_all(*response);
}

/// Returns the integer of `"key": N` in a JSON text (-1 when absent).
int64_t json_int(const std::string& text, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex("\"" + key + "\": (\\d+)"))) return -1;
  return std::stoll(match[1]);
}

/// Returns the string of `"key": "value"` in a JSON text ("" when absent).
std::string json_string(const std::string& text, const std::string& key) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex("\"" + key + "\": \"([^\"]*)\""))) return "";
  return match[1];
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string url_encode(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

class CurlFetcherTest : public testing::WithHttpTestServer<CurlFetcherTest> {
 protected:
  /// Returns a per-test id for the server's counters.
  static std::string test_id() {
    return ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  /// Returns how many requests the server saw with `id`.
  static int64_t server_count(const std::string& id) {
    auto text = fetch(*make_fetcher(), request_of(server_->url("/count?id=" + id)));
    return text.ok() ? json_int(*text, "count") : -1;
  }
};

TEST_F(CurlFetcherTest, ReturnsStatusHeadersAndBody) {
  auto fetcher = make_fetcher();
  auto response = fetcher->get(request_of(server_->url("/echo?x=1"))).ValueOrDie();
  EXPECT_EQ(response->status(), 200);
  EXPECT_EQ(response->header("CONTENT-type"), "application/json");
  EXPECT_EQ(response->header("x-missing"), std::nullopt);
  EXPECT_EQ(response->url(), server_->url("/echo?x=1"));
  const std::string body = read_all(*response).ValueOrDie();
  EXPECT_EQ(json_string(body, "path"), "/echo?x=1");
  EXPECT_EQ(json_string(body, "user-agent"), "quiver");
  // The end stays the end.
  EXPECT_EQ(response->body().next().ValueOrDie(), nullptr);
}

TEST_F(CurlFetcherTest, NotFoundFailsAtOnceNamingUrlStatusAndBody) {
  const std::string id = test_id();
  const std::string url = server_->url("/flaky?id=" + id + "&failures=9&status=404");
  const auto result = make_fetcher()->get(request_of(url));
  ASSERT_FALSE(result.ok());
  const std::string message = result.status().message();
  EXPECT_TRUE(contains(message, url)) << message;
  EXPECT_TRUE(contains(message, "HTTP 404")) << message;
  EXPECT_TRUE(contains(message, "1 attempt")) << message;
  EXPECT_TRUE(contains(message, "failure 1")) << message;
  EXPECT_EQ(server_count(id), 1);
}

TEST_F(CurlFetcherTest, ErrorBodyIsQuotedUpToItsStart) {
  const std::string long_body(1000, 'z');
  const auto result =
      make_fetcher()->get(request_of(server_->url("/status?code=400&body=" + long_body)));
  ASSERT_FALSE(result.ok());
  const std::string message = result.status().message();
  // The URL holds the 1000 z's too: look after "body: ".
  const size_t body_at = message.find("body: ");
  ASSERT_NE(body_at, std::string::npos) << message;
  EXPECT_EQ(message.substr(body_at + 6), std::string(200, 'z') + "...");
}

TEST_F(CurlFetcherTest, RetriesServerErrorsUntilSuccess) {
  const std::string id = test_id();
  const std::string body =
      fetch(*make_fetcher(), request_of(server_->url("/flaky?id=" + id + "&failures=2&status=503")))
          .ValueOrDie();
  EXPECT_EQ(json_int(body, "attempt"), 3);
  EXPECT_EQ(server_count(id), 3);
}

TEST_F(CurlFetcherTest, GivesUpAfterTheLastRetryNamingTheAttempts) {
  const std::string id = test_id();
  HttpClientOptions options = fast_options();
  options.retry.max_retries = 2;
  const std::string url = server_->url("/flaky?id=" + id + "&failures=9&status=500");
  const auto result = make_fetcher(options)->get(request_of(url));
  ASSERT_FALSE(result.ok());
  const std::string message = result.status().message();
  EXPECT_TRUE(contains(message, url)) << message;
  EXPECT_TRUE(contains(message, "HTTP 500 after 3 attempts")) << message;
  EXPECT_TRUE(contains(message, "failure 3")) << message;
  EXPECT_EQ(server_count(id), 3);
}

TEST_F(CurlFetcherTest, HonoursRetryAfterSeconds) {
  const std::string id = test_id();
  const auto start = Clock::now();
  const std::string body =
      fetch(*make_fetcher(), request_of(server_->url("/throttle?id=" + id + "&seconds=1")))
          .ValueOrDie();
  EXPECT_GE(elapsed_ms(start), 1000);
  EXPECT_EQ(json_int(body, "attempt"), 2);
}

TEST_F(CurlFetcherTest, HonoursRetryAfterDate) {
  const std::string id = test_id();
  const auto start = Clock::now();
  // The date has whole seconds: "now + 2 s" truncated is at least 1 s ahead.
  const std::string body =
      fetch(*make_fetcher(), request_of(server_->url("/throttle?id=" + id + "&seconds=2&date=1")))
          .ValueOrDie();
  EXPECT_GE(elapsed_ms(start), 900);
  EXPECT_EQ(json_int(body, "attempt"), 2);
}

TEST_F(CurlFetcherTest, RetryAfterBeyondTheLimitFailsNamingTheWait) {
  HttpClientOptions options = fast_options();
  options.retry.max_retry_after_ms = 2000;
  const std::string url = server_->url("/throttle?id=" + test_id() + "&seconds=600");
  const auto start = Clock::now();
  const auto result = make_fetcher(options)->get(request_of(url));
  ASSERT_FALSE(result.ok());
  EXPECT_LT(elapsed_ms(start), 5000);
  const std::string message = result.status().message();
  EXPECT_TRUE(contains(message, "600 s")) << message;
  EXPECT_TRUE(contains(message, "HTTP 429")) << message;
  EXPECT_TRUE(contains(message, url)) << message;
}

TEST_F(CurlFetcherTest, RetriesConnectFailures) {
  HttpClientOptions options = fast_options();
  options.retry.max_retries = 2;
  // Port 1 on loopback refuses connections.
  const auto start = Clock::now();
  const auto result = make_fetcher(options)->get(request_of("http://127.0.0.1:1/x"));
  ASSERT_FALSE(result.ok());
  EXPECT_GE(elapsed_ms(start), 50 + 100);
  const std::string message = result.status().message();
  EXPECT_TRUE(contains(message, "http://127.0.0.1:1/x")) << message;
  EXPECT_TRUE(contains(message, "after 3 attempts")) << message;
}

TEST_F(CurlFetcherTest, RetriesATimeoutBeforeTheAnswer) {
  const std::string id = test_id();
  HttpClientOptions options = fast_options();
  options.stall_timeout_ms = 800;
  const std::string body =
      fetch(*make_fetcher(options), request_of(server_->url("/hang?id=" + id + "&ms=2500")))
          .ValueOrDie();
  EXPECT_EQ(json_int(body, "attempt"), 2);
}

TEST_F(CurlFetcherTest, RetriesAConnectionClosedWithoutAnswer) {
  const std::string body =
      fetch(*make_fetcher(), request_of(server_->url("/close_once?id=" + test_id()))).ValueOrDie();
  EXPECT_EQ(json_int(body, "attempt"), 2);
}

TEST_F(CurlFetcherTest, CutBodyFailsWithUrlAndOffset) {
  const std::string url = server_->url("/cut?length=1000&send=300");
  auto response = make_fetcher()->get(request_of(url)).ValueOrDie();
  const auto result = read_all(*response);
  ASSERT_FALSE(result.ok());
  const std::string message = result.status().message();
  EXPECT_TRUE(contains(message, url)) << message;
  EXPECT_TRUE(contains(message, "byte offset 300")) << message;
  // The error stays.
  EXPECT_FALSE(response->body().next().ok());
}

TEST_F(CurlFetcherTest, StalledBodyFailsWithUrlAndOffset) {
  HttpClientOptions options = fast_options();
  options.stall_timeout_ms = 300;
  const std::string url = server_->url("/slow?chunks=3&delay_ms=1500&size=10");
  auto response = make_fetcher(options)->get(request_of(url)).ValueOrDie();
  const auto result = read_all(*response);
  ASSERT_FALSE(result.ok());
  const std::string message = result.status().message();
  EXPECT_TRUE(contains(message, url)) << message;
  EXPECT_TRUE(contains(message, "stall timeout")) << message;
  EXPECT_TRUE(contains(message, "byte offset 0")) << message;
}

TEST_F(CurlFetcherTest, SlowButMovingBodyHasNoTotalDeadline) {
  HttpClientOptions options = fast_options();
  options.stall_timeout_ms = 600;
  const auto start = Clock::now();
  const std::string body =
      fetch(*make_fetcher(options), request_of(server_->url("/slow?chunks=8&delay_ms=150&size=10")))
          .ValueOrDie();
  EXPECT_EQ(body.size(), 80u);
  EXPECT_GE(elapsed_ms(start), 8 * 150);
}

TEST_F(CurlFetcherTest, SlowReaderIsNoStall) {
  // The stall clock runs only while the reader waits: resting 700 ms between chunks that come
  // 1000 ms apart leaves 300 ms of waiting each time, under the 800 ms limit.
  HttpClientOptions options = fast_options();
  options.stall_timeout_ms = 800;
  auto response =
      make_fetcher(options)
          ->get(request_of(server_->url("/slow?chunks=3&delay_ms=1000&size=10&first_delay_ms=0")))
          .ValueOrDie();
  int64_t total = 0;
  while (true) {
    auto chunk = response->body().next();
    ASSERT_TRUE(chunk.ok()) << chunk.status().ToString();
    if (*chunk == nullptr) break;
    total += (*chunk)->size();
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
  }
  EXPECT_EQ(total, 30);
}

TEST_F(CurlFetcherTest, SendsBearerAndBasicAuth) {
  auto fetcher = make_fetcher();
  HttpRequest request = request_of(server_->url("/echo"));
  request.auth.kind = HttpAuth::Kind::kBearer;
  request.auth.token = "tok123";
  request.headers = {{"X-Api-Key", "k1"}, {"X-Empty", ""}};
  std::string body = fetch(*fetcher, request).ValueOrDie();
  EXPECT_EQ(json_string(body, "authorization"), "Bearer tok123");
  EXPECT_EQ(json_string(body, "x-api-key"), "k1");
  EXPECT_TRUE(contains(body, "\"x-empty\": \"\"")) << body;

  request.auth = HttpAuth{HttpAuth::Kind::kBasic, "", "user", "pass"};
  body = fetch(*fetcher, request).ValueOrDie();
  EXPECT_EQ(json_string(body, "authorization"), "Basic dXNlcjpwYXNz");
}

TEST_F(CurlFetcherTest, RejectsHeadersWithLineBreaks) {
  HttpRequest request = request_of(server_->url("/echo"));
  request.headers = {{"X-A", "v\r\nX-Injected: 1"}};
  EXPECT_TRUE(make_fetcher()->get(request).status().IsInvalid());
}

HttpRequest with_credentials(const std::string& url) {
  HttpRequest request = request_of(url);
  request.auth = HttpAuth{HttpAuth::Kind::kBearer, "tok", "", ""};
  request.headers = {{"X-Api-Key", "k1"}};
  return request;
}

TEST_F(CurlFetcherTest, SameHostRedirectKeepsCredentials) {
  const std::string target = server_->url("/echo");
  const std::string url = server_->url("/redirect?to=" + url_encode(target));
  auto response = make_fetcher()->get(with_credentials(url)).ValueOrDie();
  EXPECT_EQ(response->url(), target);
  const std::string body = read_all(*response).ValueOrDie();
  EXPECT_EQ(json_string(body, "authorization"), "Bearer tok");
  EXPECT_EQ(json_string(body, "x-api-key"), "k1");
}

TEST_F(CurlFetcherTest, CrossHostRedirectDropsCredentials) {
  // 127.0.0.1 and localhost are the same server under two origins.
  const std::string target = server_->localhost_url("/echo");
  const std::string url = server_->url("/redirect?to=" + url_encode(target) + "&status=307");
  auto response = make_fetcher()->get(with_credentials(url)).ValueOrDie();
  EXPECT_EQ(response->url(), target);
  const std::string body = read_all(*response).ValueOrDie();
  EXPECT_EQ(json_string(body, "path"), "/echo");
  EXPECT_FALSE(contains(body, "authorization")) << body;
  EXPECT_FALSE(contains(body, "x-api-key")) << body;
}

TEST_F(CurlFetcherTest, CredentialHostElsewhereSendsNoCredentials) {
  HttpRequest request = with_credentials(server_->url("/echo"));
  request.credential_host = server_->localhost_url();
  const std::string body = fetch(*make_fetcher(), request).ValueOrDie();
  EXPECT_FALSE(contains(body, "authorization")) << body;
  EXPECT_FALSE(contains(body, "x-api-key")) << body;
  // And the other way round: credentials for 127.0.0.1 follow a redirect back to it.
  const std::string target = server_->url("/echo");
  HttpRequest back = with_credentials(server_->localhost_url("/redirect?to=" + url_encode(target)));
  back.credential_host = server_->url();
  const std::string back_body = fetch(*make_fetcher(), back).ValueOrDie();
  EXPECT_EQ(json_string(back_body, "x-api-key"), "k1");
}

TEST_F(CurlFetcherTest, BadCredentialHostIsAnError) {
  HttpRequest request = with_credentials(server_->url("/echo"));
  request.credential_host = "not-an-origin";
  const auto result = make_fetcher()->get(request);
  ASSERT_TRUE(result.status().IsInvalid()) << result.status().ToString();
  EXPECT_TRUE(contains(result.status().message(), "credential host")) << result.status().ToString();
}

TEST_F(CurlFetcherTest, ErrorAfterRedirectNamesBothUrls) {
  const std::string target = server_->url("/status?code=410&body=gone");
  const std::string url = server_->url("/redirect?to=" + url_encode(target));
  const auto result = make_fetcher()->get(request_of(url));
  ASSERT_FALSE(result.ok());
  const std::string message = result.status().message();
  EXPECT_TRUE(contains(message, "GET " + target + " failed: HTTP 410")) << message;
  EXPECT_TRUE(contains(message, "redirected from " + url)) << message;
}

TEST_F(CurlFetcherTest, EndlessRedirectsFail) {
  const auto result = make_fetcher()->get(request_of(server_->url("/loop")));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(contains(result.status().message(), "redirects")) << result.status().ToString();
}

TEST_F(CurlFetcherTest, ReusesConnectionsAcrossRequestsAndThreads) {
  auto fetcher = make_fetcher();
  const auto connection_of = [&] {
    return json_int(fetch(*fetcher, request_of(server_->url("/echo"))).ValueOrDie(),
                    "connection_id");
  };
  const int64_t first = connection_of();
  EXPECT_EQ(connection_of(), first);
  int64_t from_thread = -1;
  std::thread([&] { from_thread = connection_of(); }).join();
  EXPECT_EQ(from_thread, first);
  // A response whose body ended gives its connection back at once, even while still held.
  auto held = fetcher->get(request_of(server_->url("/echo"))).ValueOrDie();
  EXPECT_EQ(json_int(read_all(*held).ValueOrDie(), "connection_id"), first);
  EXPECT_EQ(connection_of(), first);
  EXPECT_EQ(held->header("content-type"), "application/json");
  EXPECT_EQ(held->body().next().ValueOrDie(), nullptr);
  // Two responses open at once need two connections.
  auto a = fetcher->get(request_of(server_->url("/echo"))).ValueOrDie();
  auto b = fetcher->get(request_of(server_->url("/echo"))).ValueOrDie();
  EXPECT_NE(json_int(read_all(*a).ValueOrDie(), "connection_id"),
            json_int(read_all(*b).ValueOrDie(), "connection_id"));
}

TEST_F(CurlFetcherTest, ServesManyThreadsAtOnce) {
  auto fetcher = make_fetcher();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto body = fetch(*fetcher, request_of(server_->url("/echo")));
        if (body.ok() && json_string(*body, "path") == "/echo") ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST_F(CurlFetcherTest, BackPressureHoldsTheServerBack) {
  const std::string id = test_id();
  constexpr int64_t kTotal = 64ll << 20;
  HttpClientOptions options = fast_options();
  options.max_buffered_bytes = 64 << 10;
  auto response =
      make_fetcher(options)
          ->get(request_of(server_->url("/large?id=" + id + "&bytes=" + std::to_string(kTotal))))
          .ValueOrDie();
  auto first = response->body().next().ValueOrDie();
  ASSERT_NE(first, nullptr);
  // The reader rests: the server can only fill the socket buffers and our 64 KiB.
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const std::string progress =
      fetch(*make_fetcher(), request_of(server_->url("/progress?id=" + id))).ValueOrDie();
  const int64_t sent = json_int(progress, "sent");
  EXPECT_GT(sent, 0);
  EXPECT_LT(sent, 24ll << 20) << "the server wrote " << sent << " bytes while the reader rested";
  // Then everything arrives, in order, in chunks no larger than the buffer limit plus one write.
  int64_t offset = 0;
  bool pattern_ok = true;
  int64_t max_chunk = 0;
  for (auto chunk = first; chunk != nullptr; chunk = response->body().next().ValueOrDie()) {
    for (int64_t i = 0; i < chunk->size(); ++i) {
      pattern_ok &= chunk->data()[i] == static_cast<uint8_t>((offset + i) % 251);
    }
    offset += chunk->size();
    max_chunk = std::max<int64_t>(max_chunk, chunk->size());
  }
  // Without the pause, one libcurl pump hands over megabytes at once.
  EXPECT_LE(max_chunk, options.max_buffered_bytes + CURL_MAX_WRITE_SIZE);
  EXPECT_EQ(offset, kTotal);
  EXPECT_TRUE(pattern_ok);
}

TEST_F(CurlFetcherTest, AbandonedBodyDoesNotBlockTheNextRequest) {
  auto fetcher = make_fetcher();
  {
    auto response =
        fetcher->get(request_of(server_->url("/large?id=" + test_id() + "&bytes=8000000")))
            .ValueOrDie();
    ASSERT_NE(response->body().next().ValueOrDie(), nullptr);
  }
  const std::string body = fetch(*fetcher, request_of(server_->url("/echo"))).ValueOrDie();
  EXPECT_EQ(json_string(body, "path"), "/echo");
}

TEST_F(CurlFetcherTest, BadUrlsFailClearly) {
  EXPECT_TRUE(make_fetcher()->get(request_of("no-scheme/x")).status().IsInvalid());
  const auto ftp = make_fetcher()->get(request_of("ftp://127.0.0.1:21/x"));
  ASSERT_FALSE(ftp.ok());
  EXPECT_TRUE(contains(ftp.status().message(), "ftp://127.0.0.1:21/x")) << ftp.status().ToString();
}

}  // namespace
}  // namespace quiver::datasource::http_json
