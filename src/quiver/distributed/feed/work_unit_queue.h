#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

namespace quiver::distributed {

/// The bounded queue between the delivery of one (task, feed, partition) and the leaf that reads
/// it. The delivering side blocks in push() while the queue is full, which is what keeps the
/// coordinator from pulling the provider further (back-pressure). Thread-safe: one producer and
/// one consumer, plus close() from anywhere.
class WorkUnitQueue {
 public:
  /// Creates an empty queue holding at most `capacity` (>= 1) units.
  explicit WorkUnitQueue(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  /// Adds a unit, waiting while the queue is full. Returns Cancelled when the queue was closed
  /// (the reader dropped it or the task ended) or `stop()` returned true (checked every 50 ms
  /// while waiting), Invalid after finish()/fail().
  arrow::Status push(std::string unit, const std::function<bool()>& stop = {});
  /// Marks the end of the feed: the reader gets nullopt once the queued units are read.
  void finish();
  /// Ends the feed with `error`: the reader gets it once the queued units are read.
  void fail(arrow::Status error);
  /// Closes the queue from the reading side (or at task end): waiting pushes return Cancelled,
  /// and later pops return Cancelled. Idempotent.
  void close();

  /// Returns the next unit, waiting until one arrives; nullopt at the end of the feed; the
  /// feed's error; Cancelled when closed or when `stop()` returns true (checked every 50 ms).
  arrow::Result<std::optional<std::string>> pop(const std::function<bool()>& stop = {});

  /// Returns how many units are queued now.
  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::string> units_;
  bool ended_ = false;   // finish() or fail() was called
  arrow::Status error_;  // the feed's error, when fail() was called
  bool closed_ = false;
};

}  // namespace quiver::distributed
