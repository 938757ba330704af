#pragma once

#include <arrow/result.h>

#include <memory>

#include "quiver/catalog/session_context.h"
#include "quiver/distributed/feed/work_unit_feed_registry.h"

namespace quiver::distributed {

/// Returns the work unit feed registry of a distributed session's planner; Invalid when the
/// session is not distributed (call enable_distributed or enable_flight_distributed first).
arrow::Result<std::shared_ptr<WorkUnitFeedRegistry>> work_unit_feed_registry_of(
    const catalog::SessionContext& session);

/// Registers leaf type `Node` as holding a work unit feed, so the coordinator finds the feed in
/// the stage plans and streams its units to the tasks that run the leaf:
///
/// ```cpp
/// with_distributed_work_unit_feed<RemoteScanExec>(
///     *session, [](const RemoteScanExec& e) { return &e.feed(); });
/// ```
///
/// `accessor` returns a pointer to the node's WorkUnitFeed<P> (or WorkUnitFeedHandle), or null.
/// Call after the session is made distributed.
template <typename Node, typename Accessor>
arrow::Status with_distributed_work_unit_feed(catalog::SessionContext& session, Accessor accessor) {
  ARROW_ASSIGN_OR_RAISE(auto registry, work_unit_feed_registry_of(session));
  registry->template add_node<Node>(std::move(accessor));
  return arrow::Status::OK();
}

}  // namespace quiver::distributed
