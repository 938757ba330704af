#include "quiver/distributed/feed/feed_pumps.h"

namespace quiver::distributed {

FeedPumps::FeedPumps(std::shared_ptr<Transport> transport, const physical::TaskContext& context)
    : transport_(std::move(transport)), context_(context.for_task({0, 1})) {}

FeedPumps::~FeedPumps() { stop(); }

void FeedPumps::start(const std::string& worker, const TaskKey& key, const FeedUse& use) {
  for (int i = 0; i < use.partitions_per_task; ++i) {
    threads_.emplace_back([this, worker, key, use, i] { pump(worker, key, use, i); });
  }
}

void FeedPumps::stop() {
  stopped_.store(true);
  context_->cancel();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void FeedPumps::pump(std::string worker, TaskKey key, FeedUse use, int partition) {
  const int global = key.task * use.partitions_per_task + partition;
  const std::string& name = use.handle.name();
  // A sink that cannot be opened means the task is gone (ended, or finished without reading
  // this partition): there is nobody to deliver to.
  auto sink = transport_->open_work_unit_feed(worker, key, use.handle.id(), partition);
  if (!sink.ok()) return;
  if (use.handle.provider() == nullptr) {
    (void)(*sink)->fail(
        feed_error(name, global, arrow::Status::Invalid("the coordinator's feed has no provider")));
    return;
  }
  auto units = use.handle.provider()->feed(global, *context_);
  if (!units.ok()) {
    (void)(*sink)->fail(feed_error(name, global, units.status()));
    return;
  }
  while (!stopped_.load()) {
    auto unit = (*units)();
    if (!unit.ok()) {
      (void)(*sink)->fail(feed_error(name, global, unit.status()));
      return;
    }
    if (!unit->has_value()) {
      (void)(*sink)->finish();
      return;
    }
    // An error here means the task's reader is gone or the task ended: stop pulling.
    if (!(*sink)->push(std::move(**unit)).ok()) return;
  }
}

}  // namespace quiver::distributed
