#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "quiver/logical/expr.h"

/// Expression rewriting shared by the optimizer rules: generic bottom-up transforms, column
/// substitution, and splitting / joining AND-ed predicates.
namespace quiver::optimizer {

/// A rewrite applied to one node after its children were rewritten; returns the node to use.
using ExprTransform = std::function<logical::ExprPtr(const logical::ExprPtr&)>;

/// Rewrites `expr` bottom-up: every child first, then `fn` on the rebuilt node. Sub-trees that
/// `fn` leaves unchanged are shared, not copied. Does not descend into subquery plans.
logical::ExprPtr transform_up(const logical::ExprPtr& expr, const ExprTransform& fn);

/// A column substitution: returns the replacement for a column, or nullopt to keep it.
using ColumnMapping = std::function<std::optional<logical::ExprPtr>(const logical::Column&)>;

/// Replaces every column reference that `mapping` has a replacement for.
logical::ExprPtr replace_columns(const logical::ExprPtr& expr, const ColumnMapping& mapping);

/// Splits `a AND b AND c` into its conjuncts (a single predicate gives itself).
std::vector<logical::ExprPtr> split_conjunction(const logical::ExprPtr& predicate);

/// Joins conjuncts with AND, left-deep, in order; returns null for an empty list.
logical::ExprPtr conjoin(const std::vector<logical::ExprPtr>& conjuncts);

/// Returns true when the tree calls a volatile function (random, now, uuid, ...), whose value
/// may differ per row or per evaluation, so it must be neither folded nor duplicated.
bool contains_volatile(const logical::Expr& expr);

/// Returns true when the tree holds a subquery (scalar, EXISTS or IN).
bool contains_subquery(const logical::Expr& expr);

/// Returns true when `expr` is the boolean literal `value` (not NULL).
bool is_bool_literal(const logical::Expr& expr, bool value);

}  // namespace quiver::optimizer
