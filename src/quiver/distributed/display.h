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
std::string display_distributed_plan(const physical::ExecutionPlan& plan);

/// Returns a Graphviz DOT rendering of a plan: one cluster per stage (labelled with its task
/// count), one node per operator, edges from inputs to consumers (dashed across stages).
std::string distributed_plan_dot(const physical::ExecutionPlan& plan);

}  // namespace quiver::distributed
