#include "quiver/distributed/feed/work_unit_feed_registry.h"

#include <set>

#include "quiver/distributed/task_metrics.h"

namespace quiver::distributed {

void WorkUnitFeedRegistry::add(Finder finder) {
  std::lock_guard<std::mutex> lock(mutex_);
  finders_.push_back(std::move(finder));
}

std::vector<FeedUse> WorkUnitFeedRegistry::find(const physical::ExecutionPlan& stage) const {
  std::vector<Finder> finders;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finders = finders_;
  }
  std::vector<FeedUse> uses;
  std::set<std::string> seen;
  if (finders.empty()) return uses;
  for (const auto* node : stage_nodes(stage)) {
    for (const auto& finder : finders) {
      const WorkUnitFeedHandle* handle = finder(*node);
      if (handle == nullptr) continue;
      if (seen.insert(handle->id()).second) {
        uses.push_back({*handle, node->output_partitions()});
      }
      break;
    }
  }
  return uses;
}

}  // namespace quiver::distributed
