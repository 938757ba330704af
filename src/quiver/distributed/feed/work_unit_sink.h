#pragma once

#include <arrow/status.h>

#include <string>

namespace quiver::distributed {

/// The coordinator's end of the delivery of one (task, feed, partition): the pump pushes the
/// provider's units into it, then finishes or fails it. Made by Transport::open_work_unit_feed;
/// used by one thread.
class WorkUnitSink {
 public:
  virtual ~WorkUnitSink() = default;
  /// Delivers one unit, blocking while the task's queue is full (back-pressure). Returns
  /// Cancelled (or the transport's error) when the task's reader is gone or the task ended: the
  /// pump then stops pulling the provider.
  virtual arrow::Status push(std::string unit) = 0;
  /// Ends the feed: the task's reader gets end-of-feed after the delivered units.
  virtual arrow::Status finish() = 0;
  /// Ends the feed with `error` (already naming the feed and partition): the task's reader fails
  /// with it after the delivered units.
  virtual arrow::Status fail(const arrow::Status& error) = 0;
};

}  // namespace quiver::distributed
