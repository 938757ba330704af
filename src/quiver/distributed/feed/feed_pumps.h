#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "quiver/distributed/feed/work_unit_feed_registry.h"
#include "quiver/distributed/transport.h"

namespace quiver::distributed {

/// The coordinator's delivery of the work unit feeds of one query run. For every (task, feed,
/// local partition i) it runs one pump thread that opens the transport's sink
/// (Transport::open_work_unit_feed), asks the provider for partition task*N + i, and pushes each
/// unit into the sink until the end of the feed (finish), a provider error (fail, with the
/// error naming the feed and partition), or until the task's reader is gone or the run is
/// stopped. A sink blocks while the task's queue is full, so the provider is pulled no further
/// than the queue allows. One thread per partition keeps every partition independent: no
/// partition or task count can make two pumps wait on each other.
///
/// Thread-safety: start() and stop() are called by the query's driving thread.
class FeedPumps {
 public:
  /// Creates the pumps of a run; providers see a copy of `context` that stop() cancels.
  FeedPumps(std::shared_ptr<Transport> transport, const physical::TaskContext& context);
  /// Stops the pumps (see stop()).
  ~FeedPumps();

  /// Starts the pumps of one feed of one task running on `worker`.
  void start(const std::string& worker, const TaskKey& key, const FeedUse& use);
  /// Cancels the providers' context, makes every pump stop at its next unit and waits for them.
  /// End the tasks first (Transport::end_task) so that pumps waiting for queue space wake up.
  /// Idempotent.
  void stop();
  /// Returns how many pump threads were started.
  size_t pump_count() const { return threads_.size(); }

 private:
  void pump(std::string worker, TaskKey key, FeedUse use, int partition);

  std::shared_ptr<Transport> transport_;
  std::shared_ptr<physical::TaskContext> context_;
  std::atomic<bool> stopped_{false};
  std::vector<std::thread> threads_;
};

}  // namespace quiver::distributed
