#pragma once

#include <arrow/result.h>
#include <arrow/table.h>

#include <memory>

#include "quiver/logical/logical_plan.h"

namespace quiver::catalog {

class SessionContext;

/// What EXPLAIN was asked for.
struct ExplainOptions {
  bool analyze = false;  ///< run the query and show each operator's metrics
  bool verbose = false;  ///< show the plan after every optimizer rule too
};

/// Returns EXPLAIN's result: a table with columns `plan_type` and `plan` (both Utf8). Plain:
/// rows `logical_plan` (the optimized plan) and `physical_plan`. VERBOSE adds
/// `initial_logical_plan`, `logical_plan after <rule>` for each optimizer rule,
/// `initial_physical_plan` and `physical_plan after <rule>` for each physical optimizer rule.
/// ANALYZE runs the query and returns one row, `Plan with Metrics`.
arrow::Result<std::shared_ptr<arrow::Table>> explain(const SessionContext& session,
                                                     const logical::LogicalPlanPtr& plan,
                                                     ExplainOptions options);

}  // namespace quiver::catalog
