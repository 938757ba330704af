#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// The metrics of one operator of one task, as a value (MetricsSet is not copyable).
struct NodeMetrics {
  int64_t output_rows = 0;
  int64_t elapsed_compute_ns = 0;
  std::map<std::string, int64_t> counters;
  bool operator==(const NodeMetrics&) const = default;
};

/// The metrics of every operator of one task's stage plan, in stage_nodes() order.
using TaskMetrics = std::vector<NodeMetrics>;

/// Returns the operators of the stage whose root is `root`, pre-order (a node, then its inputs),
/// stopping at network boundaries: a boundary is listed, the stage it reads is not.
std::vector<const physical::ExecutionPlan*> stage_nodes(const physical::ExecutionPlan& root);

/// Returns a snapshot of the metrics of the stage rooted at `root` (stage_nodes() order).
TaskMetrics snapshot_task_metrics(const physical::ExecutionPlan& root);

/// Adds `metrics` (a snapshot of one task of the stage rooted at `root`) to the stage's own
/// nodes, so that they hold the sum over the tasks. A snapshot of another shape adds nothing and
/// returns false.
bool add_task_metrics(const physical::ExecutionPlan& root, const TaskMetrics& metrics);

/// Renders one node's metrics as MetricsSet::to_string does:
/// `output_rows=10, elapsed_compute=1.20ms, name=value...`.
std::string format_node_metrics(const NodeMetrics& metrics);

/// Encodes task metrics as text behind a format tag (the body of the task_metrics action).
std::string encode_task_metrics(const TaskMetrics& metrics);
/// Decodes what encode_task_metrics made; malformed input gives an Invalid status.
arrow::Result<TaskMetrics> decode_task_metrics(std::string_view bytes);

}  // namespace quiver::distributed
