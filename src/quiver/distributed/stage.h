#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/distributed/transport.h"
#include "quiver/physical/task_context.h"

namespace quiver::distributed {

/// Where the tasks of one stage run in one execution of a query: the query id, the stage number
/// and the worker URL of each task (index = task index). A network boundary carries the routing
/// of the stage it reads once DistributedExec has specialised the plan for an execution.
struct StageRouting {
  std::string query_id;
  int stage = 0;
  std::vector<std::string> task_workers;

  /// Returns the key of task `task` of this stage.
  TaskKey task_key(int task) const { return TaskKey{query_id, stage, task}; }
};

/// The TaskContext extension key under which the query's Transport is stored (as a
/// std::shared_ptr<Transport>). DistributedExec sets it for the head stage; transports set it on
/// the contexts of the tasks they run.
inline constexpr const char* kTransportExtension = "quiver.distributed.transport";

/// Returns a copy of `context` (same pool and options) that carries `transport`.
std::shared_ptr<physical::TaskContext> with_transport(const physical::TaskContext& context,
                                                      physical::DistributedTaskContext task,
                                                      std::shared_ptr<Transport> transport);

/// Returns the Transport stored in `context`, or an internal error when there is none.
arrow::Result<std::shared_ptr<Transport>> transport_of(const physical::TaskContext& context);

/// Renders a task's partitions as the plan display does: `[p0]` or `[p0..p15]`.
std::string partition_range(int partitions);

}  // namespace quiver::distributed
