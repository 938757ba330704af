#include "quiver/distributed/feed/work_unit_queue.h"

#include <chrono>

namespace quiver::distributed {

namespace {
constexpr auto kPoll = std::chrono::milliseconds(50);
}  // namespace

arrow::Status WorkUnitQueue::push(std::string unit, const std::function<bool()>& stop) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!closed_ && units_.size() >= capacity_) {
    if (stop && stop()) return arrow::Status::Cancelled("the work unit feed was stopped");
    changed_.wait_for(lock, kPoll);
  }
  if (closed_) return arrow::Status::Cancelled("the reader of the work unit feed is gone");
  if (ended_) return arrow::Status::Invalid("work unit pushed after the end of the feed");
  units_.push_back(std::move(unit));
  changed_.notify_all();
  return arrow::Status::OK();
}

void WorkUnitQueue::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  ended_ = true;
  changed_.notify_all();
}

void WorkUnitQueue::fail(arrow::Status error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (ended_) return;
  ended_ = true;
  error_ = std::move(error);
  changed_.notify_all();
}

void WorkUnitQueue::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  units_.clear();
  changed_.notify_all();
}

arrow::Result<std::optional<std::string>> WorkUnitQueue::pop(const std::function<bool()>& stop) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!closed_ && units_.empty() && !ended_) {
    if (stop && stop()) return arrow::Status::Cancelled("the task reading the feed was cancelled");
    changed_.wait_for(lock, kPoll);
  }
  if (closed_) return arrow::Status::Cancelled("the work unit feed was closed (task ended)");
  if (!units_.empty()) {
    std::string unit = std::move(units_.front());
    units_.pop_front();
    changed_.notify_all();
    return std::optional<std::string>(std::move(unit));
  }
  if (!error_.ok()) return error_;
  return std::nullopt;
}

size_t WorkUnitQueue::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return units_.size();
}

}  // namespace quiver::distributed
