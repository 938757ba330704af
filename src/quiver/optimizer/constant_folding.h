#pragma once

#include "quiver/logical/expr.h"
#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Evaluates constant sub-expressions while planning (`1 + 2` -> `Int64(3)`, `upper('a')`,
/// `CAST('2020-01-01' AS DATE)`) and simplifies boolean identities (`x AND true` -> `x`,
/// `x OR false` -> `x`, `x AND false` -> `false`, `x OR true` -> `true`, `NOT NOT x` -> `x`).
/// Expressions with columns, aggregates, subqueries or volatile functions (random, now) are not
/// evaluated; an expression whose evaluation fails (`1 / 0`) is left as it is, so the error
/// shows at execution. A Filter whose predicate folds to `true` is removed. Projection and
/// aggregate outputs keep their names (`Int64(3) AS Int64(1) + Int64(2)`). Honours
/// `optimizer.constant_folding`.
class ConstantFolding : public OptimizerRule {
 public:
  /// Returns "constant_folding".
  std::string name() const override;
  /// Returns the plan with every node's expressions folded.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

/// Returns `expr` with its constant sub-expressions evaluated and boolean identities simplified
/// (never fails: what cannot be evaluated stays as it is).
logical::ExprPtr fold_constants(const logical::ExprPtr& expr);

}  // namespace quiver::optimizer
