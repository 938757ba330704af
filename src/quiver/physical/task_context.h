#pragma once

#include <any>
#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "quiver/common/config.h"
#include "quiver/physical/memory_pool.h"

namespace quiver::physical {

/// Which task of a distributed stage is running: a leaf such as NumbersExec generates only the
/// share of task `task_index` out of `task_count`. Single-node execution is task 0 of 1.
struct DistributedTaskContext {
  int task_index = 0;
  int task_count = 1;
};

/// Everything an ExecutionPlan needs to execute a partition: session options (including user
/// config extensions), the query's memory pool, the distributed task identity, and a cancellation
/// flag. Shared by all partitions of a query (or of a task, on a worker); read-only after creation
/// except for `cancel()`, so it is safe to use from many threads.
class TaskContext {
 public:
  /// Creates a context from session options; the memory pool is sized by `execution.memory_limit`.
  explicit TaskContext(common::ConfigOptions config,
                       DistributedTaskContext distributed = DistributedTaskContext{});

  /// Returns the session options.
  const common::ConfigOptions& config() const { return config_; }
  /// Returns the query's memory pool.
  const std::shared_ptr<QueryMemoryPool>& memory_pool() const { return memory_pool_; }
  /// Returns the distributed task identity.
  const DistributedTaskContext& distributed() const { return distributed_; }
  /// Returns the target rows per batch.
  int64_t batch_size() const { return batch_size_; }

  /// Marks the query as cancelled; streams check `cancelled()` between batches.
  void cancel() { cancelled_.store(true); }
  /// Returns whether the query was cancelled.
  bool cancelled() const { return cancelled_.load(); }

  /// Returns a copy for another task of the same query (same pool and options).
  std::shared_ptr<TaskContext> for_task(DistributedTaskContext distributed) const;

  /// Returns a user value stored under `key` (used by extensions), or an empty std::any.
  std::any extension(const std::string& key) const;
  /// Stores a user value under `key`; call before execution starts.
  void set_extension(const std::string& key, std::any value) {
    extensions_[key] = std::move(value);
  }

 private:
  common::ConfigOptions config_;
  DistributedTaskContext distributed_;
  std::shared_ptr<QueryMemoryPool> memory_pool_;
  int64_t batch_size_;
  std::atomic<bool> cancelled_{false};
  std::map<std::string, std::any> extensions_;
};

}  // namespace quiver::physical
