#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "quiver/logical/expr.h"
#include "quiver/logical/plan_schema.h"
#include "quiver/optimizer/optimizer.h"

/// Join-condition analysis shared by the join rules: which input an expression reads, and
/// which conjuncts are equi-join keys.
namespace quiver::optimizer {

/// Which inputs of a join an expression's columns come from.
enum class JoinSide {
  kNone,     ///< no columns (a constant)
  kLeft,     ///< left input only
  kRight,    ///< right input only
  kBoth,     ///< columns of both inputs
  kUnknown,  ///< a column resolves in neither input, or in both (ambiguous): do not move it
};

/// Returns the inputs `expr` reads, resolving each column in `left` and `right`. Expressions
/// holding subqueries are kUnknown (a correlated subquery may read either side).
JoinSide expr_side(const logical::Expr& expr, const logical::PlanSchema& left,
                   const logical::PlanSchema& right);

/// Returns (left key, right key) when `conjunct` is `x = y` with one operand over each input
/// (either order), both deterministic and of comparable types; nullopt otherwise.
std::optional<std::pair<logical::ExprPtr, logical::ExprPtr>> as_equijoin_key(
    const logical::ExprPtr& conjunct, const logical::PlanSchema& left,
    const logical::PlanSchema& right);

/// Conjuncts of a join condition split into equi-join key pairs and the residual filter.
struct EquijoinSplit {
  std::vector<std::pair<logical::ExprPtr, logical::ExprPtr>> keys;
  std::vector<logical::ExprPtr> residual;
};

/// Splits `conjuncts` (over both inputs) into key pairs (see as_equijoin_key) and the rest, in
/// their order.
EquijoinSplit split_equijoin(const std::vector<logical::ExprPtr>& conjuncts,
                             const logical::PlanSchema& left, const logical::PlanSchema& right);

/// Turns equalities between the two inputs in a join's filter into equi-join keys
/// (`Inner Join: Filter: a.x = b.y AND a.z < b.w` -> `Inner Join: a.x = b.y Filter: a.z < b.w`),
/// for every join type: an equality in the ON clause means the same as a key pair. Null-aware
/// anti joins (NOT IN) are left as they are. Runs whatever the options say: a hash join on keys
/// is always better than a nested loop over the same condition.
class ExtractEquijoin : public OptimizerRule {
 public:
  /// Returns "extract_equijoin".
  std::string name() const override;
  /// Returns the plan with its joins' key equalities moved from filters to keys.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
