#pragma once

#include "quiver/logical/expr.h"
#include "quiver/logical/plan_schema.h"

/// Single-input filters implied by a join condition that ORs conjunctions over both inputs.
namespace quiver::optimizer {

/// Returns the predicate over `side` only that `condition` implies, or null when there is none:
/// for `(a1 AND b1 AND k) OR (a2 AND b2 AND k)` with a1, a2 over `side` (b1, b2 over `other`,
/// k over both) it is `a1 OR a2`. Each branch contributes the AND of its conjuncts over `side`
/// alone; a branch with no such conjunct (or a condition that is no OR) gives null. Sound under
/// three-valued logic: when `condition` is TRUE some branch is TRUE, so all its conjuncts are
/// TRUE and so is the result; a filter with the result therefore never removes a row that
/// could satisfy `condition` (TPC-H Q19 filters part and lineitem before joining them).
logical::ExprPtr implied_side_predicate(const logical::ExprPtr& condition,
                                        const logical::PlanSchema& side,
                                        const logical::PlanSchema& other);

}  // namespace quiver::optimizer
