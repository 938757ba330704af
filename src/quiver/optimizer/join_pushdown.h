#pragma once

#include <utility>
#include <vector>

#include "quiver/logical/expr.h"
#include "quiver/logical/logical_plan.h"

/// Where the conditions of a join and the conjuncts of a filter above it may go (used by the
/// predicate pushdown rule; PostgreSQL / DataFusion semantics).
namespace quiver::optimizer {

/// The placement of a join's conditions after pushdown.
struct JoinPushdown {
  logical::JoinType join_type = logical::JoinType::kInner;  ///< possibly simplified
  std::vector<std::pair<logical::ExprPtr, logical::ExprPtr>> keys;
  std::vector<logical::ExprPtr> filter;    ///< the join's residual condition (conjuncts)
  std::vector<logical::ExprPtr> to_left;   ///< conjuncts to apply to the left input
  std::vector<logical::ExprPtr> to_right;  ///< conjuncts to apply to the right input
  std::vector<logical::ExprPtr> above;     ///< conjuncts that stay in a Filter above the join
};

/// Returns true when `predicate` is never TRUE while every column of `side` is NULL (`r.x > 5`,
/// `r.x IS NOT NULL`, `r.a + 1 = l.b`), so a filter with it removes the rows an outer join pads
/// with NULLs for that side. Conservative: functions and CASE count as able to turn NULL into
/// a value.
bool rejects_nulls(const logical::Expr& predicate, const logical::PlanSchema& side);

/// Places the conjuncts of `join`'s condition and the `above` conjuncts of a filter over the
/// join. First a filter above that rejects the NULLs of an outer join's padded side makes the
/// join stricter (Left/Right -> Inner, Full -> Left/Right/Inner). Then a conjunct over one input
/// only moves into it when that keeps the result: from above, to either side of an inner or
/// cross join, to the preserved side of a Left/Right join, to the left of a semi/anti join;
/// from the ON clause, to either side of inner and semi joins, to the padded (non-preserved)
/// side of Left/Right joins, to the right of anti joins. Conjuncts over both inputs from above
/// join an inner/cross join's condition (a cross join becomes inner). Equalities between the
/// inputs become key pairs. An OR over both inputs left in the condition also adds the filter
/// it implies on each input (implied_side_predicate) where an ON conjunct over that input may
/// go, keeping the OR itself in the condition. Full joins keep everything where it is; `movable`
/// rejects conjuncts that must not be moved at all (volatile, subqueries); a null-aware anti join's
/// condition is never touched.
JoinPushdown plan_join_pushdown(const logical::LogicalPlan& join,
                                const std::vector<logical::ExprPtr>& above,
                                bool (*movable)(const logical::Expr&));

}  // namespace quiver::optimizer
