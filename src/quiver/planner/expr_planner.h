#pragma once

#include <arrow/result.h>

#include "quiver/logical/expr.h"
#include "quiver/logical/plan_schema.h"
#include "quiver/physical/physical_expr.h"

namespace quiver::planner {

/// Converts a bound logical expression over `input_schema` into a physical expression whose
/// columns are positions in that schema (`t.a` -> `a@0`).
arrow::Result<physical::PhysicalExprPtr> create_physical_expr(
    const logical::Expr& expr, const logical::PlanSchema& input_schema);

}  // namespace quiver::planner
