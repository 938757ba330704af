#pragma once

#include <arrow/result.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "quiver/distributed/feed/work_unit_queue.h"
#include "quiver/physical/task_context.h"

namespace quiver::distributed {

/// How many work units a task's queue holds per (feed, partition) before the coordinator stops
/// pulling that partition's provider.
inline constexpr size_t kWorkUnitQueueCapacity = 8;

/// The TaskContext extension key under which a task's WorkUnitInbox is stored.
inline constexpr const char* kWorkUnitInboxExtension = "quiver.distributed.work_unit_inbox";

/// The work units a task receives: one WorkUnitQueue per (feed id, local partition), made by
/// whichever side comes first (the delivery or the leaf reading it). Only the feeds the task was
/// submitted with (TaskSpec::work_unit_feeds) are accepted. Transports attach an inbox to the
/// context of every task they run and close it when the task ends or is freed. Thread-safe.
class WorkUnitInbox {
 public:
  /// Creates the inbox of a task that receives `feed_ids`, queues of `capacity` units.
  explicit WorkUnitInbox(std::vector<std::string> feed_ids,
                         size_t capacity = kWorkUnitQueueCapacity);

  /// Returns the queue of (feed, partition); Invalid when the task does not receive the feed,
  /// Cancelled after close().
  arrow::Result<std::shared_ptr<WorkUnitQueue>> queue(const std::string& feed_id, int partition);
  /// Closes every queue (waiting deliveries and readers return Cancelled). Idempotent.
  void close();
  /// Returns how many queues exist now.
  size_t queue_count() const;

 private:
  const std::set<std::string> feed_ids_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::shared_ptr<WorkUnitQueue>> queues_;
  bool closed_ = false;
};

/// Stores a new inbox for `feed_ids` in `context` (before the task runs) and returns it.
std::shared_ptr<WorkUnitInbox> attach_work_unit_inbox(physical::TaskContext& context,
                                                      std::vector<std::string> feed_ids);
/// Returns the inbox stored in `context`, or null.
std::shared_ptr<WorkUnitInbox> work_unit_inbox_of(const physical::TaskContext& context);
/// Closes the inbox stored in `context`, if any.
void close_work_unit_inbox(const physical::TaskContext& context);

}  // namespace quiver::distributed
