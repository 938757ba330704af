#include "http_test_server.h"

#include <arrow/status.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

extern char** environ;

namespace quiver::testing {

namespace {

std::string source_dir() {
  const char* dir = std::getenv("QUIVER_SOURCE_DIR");
  return dir != nullptr ? dir : std::filesystem::current_path().string();
}

std::string python(const std::string& root) {
  if (const char* chosen = std::getenv("QUIVER_TEST_PYTHON")) return chosen;
  const std::string venv = root + "/.venv/bin/python";
  if (std::filesystem::exists(venv)) return venv;
  return "python3";
}

// Reads the first line of `fd`, waiting at most `timeout_ms`.
arrow::Result<std::string> read_line(int fd, int timeout_ms) {
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return arrow::Status::IOError("the HTTP test server printed no port in time");
    pollfd waiting{fd, POLLIN, 0};
    if (poll(&waiting, 1, static_cast<int>(left)) <= 0) continue;
    char c = 0;
    const ssize_t n = read(fd, &c, 1);
    if (n <= 0) return arrow::Status::IOError("the HTTP test server exited before its port");
    if (c == '\n') return line;
    line.push_back(c);
  }
}

}  // namespace

arrow::Result<std::unique_ptr<HttpTestServer>> HttpTestServer::Start() {
  const std::string root = source_dir();
  const std::string script = root + "/tests/http/http_test_server.py";
  if (!std::filesystem::exists(script)) {
    return arrow::Status::IOError(script, " not found: run the tests from the repository root ",
                                  "or set QUIVER_SOURCE_DIR");
  }
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0) return arrow::Status::IOError("pipe failed");
  if (pipe(from_child) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return arrow::Status::IOError("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, to_child[1]);
  posix_spawn_file_actions_addclose(&actions, from_child[0]);
  const std::string interpreter = python(root);
  std::vector<char*> argv = {const_cast<char*>(interpreter.c_str()),
                             const_cast<char*>(script.c_str()), nullptr};
  pid_t pid = 0;
  const int spawned =
      posix_spawnp(&pid, interpreter.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(to_child[0]);
  close(from_child[1]);
  if (spawned != 0) {
    close(to_child[1]);
    close(from_child[0]);
    return arrow::Status::IOError("cannot start ", interpreter, " ", script);
  }
  auto line = read_line(from_child[0], 30000);
  close(from_child[0]);
  int port = 0;
  if (line.ok()) port = std::atoi(line->c_str());
  // The destructor stops the child on every path from here.
  std::unique_ptr<HttpTestServer> server(new HttpTestServer(pid, to_child[1], port));
  ARROW_RETURN_NOT_OK(line.status());
  if (port <= 0) return arrow::Status::IOError("the HTTP test server printed '", *line, "'");
  return server;
}

HttpTestServer::~HttpTestServer() {
  close(stdin_fd_);
  for (int i = 0; i < 100; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string HttpTestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string HttpTestServer::localhost_url(const std::string& path) const {
  return "http://localhost:" + std::to_string(port_) + path;
}

}  // namespace quiver::testing
