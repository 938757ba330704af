#include "quiver/distributed/feed/with_work_unit_feed.h"

#include "quiver/distributed/distributed_context.h"

namespace quiver::distributed {

arrow::Result<std::shared_ptr<WorkUnitFeedRegistry>> work_unit_feed_registry_of(
    const catalog::SessionContext& session) {
  for (const auto& rule : session.physical_optimizer_rules()) {
    if (auto planner = std::dynamic_pointer_cast<const DistributedPlannerRule>(rule)) {
      return planner->planner()->work_unit_feeds();
    }
  }
  return arrow::Status::Invalid(
      "with_distributed_work_unit_feed: the session is not distributed (call enable_distributed "
      "or enable_flight_distributed first)");
}

}  // namespace quiver::distributed
