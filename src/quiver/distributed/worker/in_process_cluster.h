#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/distributed/worker/worker.h"

namespace quiver::distributed {

/// N Flight workers running in this process on free loopback ports: a real network cluster for
/// tests and single-machine runs. The workers stop when the cluster is destroyed.
class InProcessCluster {
 public:
  /// Starts `n` workers that share `options` (the host must be loopback; the port is ignored,
  /// each worker picks a free one).
  static arrow::Result<std::unique_ptr<InProcessCluster>> start(int n, WorkerOptions options);
  /// Stops every worker.
  ~InProcessCluster();

  /// Returns the workers' URLs, in start order.
  std::vector<std::string> urls() const;
  /// Returns worker `i`.
  Worker& worker(int i) { return *workers_.at(static_cast<size_t>(i)); }
  /// Returns the number of workers.
  int size() const { return static_cast<int>(workers_.size()); }
  /// Returns the total number of tasks the workers hold.
  size_t task_count() const;

 private:
  InProcessCluster() = default;
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace quiver::distributed
