#include "quiver/distributed/feed/work_unit_inbox.h"

#include <any>

namespace quiver::distributed {

WorkUnitInbox::WorkUnitInbox(std::vector<std::string> feed_ids, size_t capacity)
    : feed_ids_(feed_ids.begin(), feed_ids.end()), capacity_(capacity) {}

arrow::Result<std::shared_ptr<WorkUnitQueue>> WorkUnitInbox::queue(const std::string& feed_id,
                                                                   int partition) {
  if (feed_ids_.count(feed_id) == 0) {
    return arrow::Status::Invalid(
        "the task was not submitted with this feed (register its leaf with "
        "with_distributed_work_unit_feed on the coordinator)");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return arrow::Status::Cancelled("the task ended");
  auto& slot = queues_[{feed_id, partition}];
  if (slot == nullptr) slot = std::make_shared<WorkUnitQueue>(capacity_);
  return slot;
}

void WorkUnitInbox::close() {
  std::map<std::pair<std::string, int>, std::shared_ptr<WorkUnitQueue>> queues;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    queues.swap(queues_);
  }
  for (auto& [key, queue] : queues) queue->close();
}

size_t WorkUnitInbox::queue_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return queues_.size();
}

std::shared_ptr<WorkUnitInbox> attach_work_unit_inbox(physical::TaskContext& context,
                                                      std::vector<std::string> feed_ids) {
  auto inbox = std::make_shared<WorkUnitInbox>(std::move(feed_ids));
  context.set_extension(kWorkUnitInboxExtension, inbox);
  return inbox;
}

std::shared_ptr<WorkUnitInbox> work_unit_inbox_of(const physical::TaskContext& context) {
  std::any value = context.extension(kWorkUnitInboxExtension);
  if (auto* inbox = std::any_cast<std::shared_ptr<WorkUnitInbox>>(&value)) return *inbox;
  return nullptr;
}

void close_work_unit_inbox(const physical::TaskContext& context) {
  if (auto inbox = work_unit_inbox_of(context)) inbox->close();
}

}  // namespace quiver::distributed
