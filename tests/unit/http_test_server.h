#pragma once

// The loopback HTTP server of tests/http (http_test_server.py and its routes_*.py modules), run
// as a child process for the HTTP client and HTTP JSON source tests.

#include <arrow/result.h>
#include <gtest/gtest.h>
#include <sys/types.h>

#include <memory>
#include <string>

namespace quiver::testing {

/// A running tests/http/http_test_server.py; stopped (stdin closed, then killed if needed) when
/// destroyed. The interpreter is $QUIVER_TEST_PYTHON, else <repo>/.venv/bin/python when present,
/// else python3 from PATH; <repo> is $QUIVER_SOURCE_DIR, else the working directory (ctest runs
/// the unit tests from the repository root).
class HttpTestServer {
 public:
  /// Starts the server and waits (up to 30 s) for the port it prints.
  static arrow::Result<std::unique_ptr<HttpTestServer>> Start();
  ~HttpTestServer();
  HttpTestServer(const HttpTestServer&) = delete;
  HttpTestServer& operator=(const HttpTestServer&) = delete;

  /// Returns the port on 127.0.0.1.
  int port() const { return port_; }
  /// Returns "http://127.0.0.1:PORT" followed by `path` ("/echo?x=1").
  std::string url(const std::string& path = "") const;
  /// Returns "http://localhost:PORT" followed by `path`: the same server under another host
  /// name, i.e. another origin for the credential rule.
  std::string localhost_url(const std::string& path = "") const;

 private:
  HttpTestServer(pid_t pid, int stdin_fd, int port) : pid_(pid), stdin_fd_(stdin_fd), port_(port) {}
  pid_t pid_;
  int stdin_fd_;
  int port_;
};

/// A GoogleTest fixture base that runs one HttpTestServer for the whole suite, as `server_`.
/// `Derived` (the fixture itself) gives each suite its own server pointer.
template <typename Derived, typename Base = ::testing::Test>
class WithHttpTestServer : public Base {
 protected:
  static void SetUpTestSuite() {
    auto started = HttpTestServer::Start();
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).ValueOrDie().release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static inline HttpTestServer* server_ = nullptr;
};

}  // namespace quiver::testing
