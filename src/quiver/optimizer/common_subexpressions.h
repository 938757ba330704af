#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Evaluates an expression that a Projection or Aggregate node computes several times once per
/// row. TPC-H q01 sums `l_extendedprice * (1 - l_discount)` and
/// `l_extendedprice * (1 - l_discount) * (1 + l_tax)`; afterwards a Projection below the
/// Aggregate computes `l_extendedprice * (1 - l_discount) AS __common_expr_1` and both sums read
/// that column.
///
/// Candidates are sub-expressions that are not columns, literals, aliases or aggregate calls and
/// hold no aggregate, subquery, outer reference or volatile function (random, now, ...). Nodes
/// whose expressions hold a subquery or an outer reference are left alone (the columns a
/// subquery reads are not visible to the rewrite).
///
/// Conditional evaluation. The physical CASE is lazy per row (each WHEN only on rows no earlier
/// WHEN took, each THEN/ELSE only on the rows that chose it), so an occurrence inside a CASE is
/// conditional except in the operand and the first WHEN. Later arguments of coalesce / nvl /
/// ifnull count as conditional (PostgreSQL evaluates them lazily, though our kernel does not),
/// as do the arguments of an aggregate with a FILTER (SQL evaluates them on the filtered rows
/// only; our AggregateExec happens to evaluate them on every row, then filters). The FILTER
/// predicate itself is evaluated on every input row and counts as unconditional.
///
/// Rule: an expression is hoisted when it occurs at least twice in the node and at least once
/// unconditionally: it is then computed on every row anyway, so computing it once below the node
/// adds no evaluation (and no error, e.g. `CASE WHEN x <> 0 THEN 10 / x END` repeated is hoisted
/// as a whole CASE, never `10 / x` alone); its conditional occurrences are replaced too.
/// Selection is top-down, largest expression first; the sub-expressions of a hoisted expression
/// are looked at again within the new Projection (recursively), so `a * (1 - d)` and
/// `b * (1 - d)` become `1 - d` in a lower Projection and both products in an upper one.
///
/// The inserted Projection passes through the input columns the node still reads, after the
/// `__common_expr_N` columns (N unique in the plan, never an input column's name). Rewritten
/// outputs are aliased back to their old names, so the node's output schema (qualifiers, names,
/// types, nullability) is unchanged. Run before ProjectionPushdown. Honours
/// `optimizer.eliminate_common_subexpressions`.
class EliminateCommonSubexpressions : public OptimizerRule {
 public:
  /// Returns "eliminate_common_subexpressions".
  std::string name() const override;
  /// Returns the plan with repeated expressions of projections and aggregations computed once.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
