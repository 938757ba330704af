#pragma once

#include <string>

#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {

/// Returns a plan as the seeds show distributed plans: one box per stage (the head first,
/// `┌───── DistributedExec ── Tasks: t0:[p0] `, then `┌───── Stage 2 ── Tasks: t0:[p0..p15] ...`),
/// `│ ` before each operator line (two spaces per level), `[Stage N] => ` before a boundary that
/// reads stage N, `└` plus 50 `─` to close, and each stage's input stages drawn below it,
/// indented two more spaces. A plan without DistributedExec at the root prints as
/// physical::display_plan does. Every line ends with a newline.
///
/// With `with_metrics` (EXPLAIN ANALYZE, after the plan ran), every operator line ends with
/// `, metrics=[output_rows=..., elapsed_compute=...]` (the operator's own: in a lower stage the
/// sum over its tasks), and in a lower stage one line per task follows, four spaces under the
/// operator: `t0: output_rows=..., elapsed_compute=...` (DistributedExec::task_metrics()).
std::string display_distributed_plan(const physical::ExecutionPlan& plan,
                                     bool with_metrics = false);

/// Returns a Graphviz DOT rendering of a plan: one cluster per stage (labelled with its task
/// count), one node per operator, edges from inputs to consumers (dashed across stages).
std::string distributed_plan_dot(const physical::ExecutionPlan& plan);

}  // namespace quiver::distributed
