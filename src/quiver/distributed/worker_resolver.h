#pragma once

#include <arrow/result.h>

#include <string>
#include <utility>
#include <vector>

namespace quiver::distributed {

/// Tells the coordinator which workers it may run tasks on. Called at planning time (the worker
/// count caps the tasks per stage) and again at execution time (tasks go round robin over the
/// URLs). Implementations must be thread-safe.
class WorkerResolver {
 public:
  virtual ~WorkerResolver() = default;
  /// Returns the URLs of the available workers (at least one).
  virtual arrow::Result<std::vector<std::string>> worker_urls() const = 0;
};

/// A fixed list of workers.
class StaticWorkerResolver final : public WorkerResolver {
 public:
  /// Creates a resolver that always answers `urls`.
  explicit StaticWorkerResolver(std::vector<std::string> urls) : urls_(std::move(urls)) {}
  /// Returns the fixed URLs, or an error when the list is empty.
  arrow::Result<std::vector<std::string>> worker_urls() const override {
    if (urls_.empty()) return arrow::Status::Invalid("the worker list is empty");
    return urls_;
  }

 private:
  std::vector<std::string> urls_;
};

}  // namespace quiver::distributed
