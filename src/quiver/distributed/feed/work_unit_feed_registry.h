#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "quiver/distributed/feed/work_unit_feed_handle.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// A work unit feed found in a stage plan: its handle, and the partitions per task of the leaf
/// that holds it (task t of the stage reads the provider's partitions [t*N, (t+1)*N)).
struct FeedUse {
  WorkUnitFeedHandle handle;
  int partitions_per_task = 1;
};

/// Tells the coordinator where the work unit feeds are in a plan: a list of finders, one per
/// registered leaf type, each returning the feed a node holds (or null). The distributed planner
/// owns one (DistributedPlanner::work_unit_feeds); fill it with with_distributed_work_unit_feed.
/// Thread-safe.
class WorkUnitFeedRegistry {
 public:
  /// Returns the feed handle `node` holds, or null when the node is not the finder's.
  using Finder = std::function<const WorkUnitFeedHandle*(const physical::ExecutionPlan& node)>;

  /// Adds a finder.
  void add(Finder finder);

  /// Adds a finder for leaf type `Node`: `accessor(const Node&)` returns a pointer to the node's
  /// WorkUnitFeed<P> (or WorkUnitFeedHandle), or null when the node has none.
  template <typename Node, typename Accessor>
  void add_node(Accessor accessor) {
    add([accessor](const physical::ExecutionPlan& plan) -> const WorkUnitFeedHandle* {
      const auto* node = dynamic_cast<const Node*>(&plan);
      if (node == nullptr) return nullptr;
      const auto* feed = accessor(*node);
      if (feed == nullptr) return nullptr;
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(*feed)>, WorkUnitFeedHandle>) {
        return feed;
      } else {
        return &feed->handle();
      }
    });
  }

  /// Returns the feeds held by the operators of the stage rooted at `stage` (not looking below
  /// its network boundaries), in plan order, each feed once.
  std::vector<FeedUse> find(const physical::ExecutionPlan& stage) const;

 private:
  mutable std::mutex mutex_;
  std::vector<Finder> finders_;
};

}  // namespace quiver::distributed
