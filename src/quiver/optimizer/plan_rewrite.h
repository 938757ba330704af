#pragma once

#include <arrow/result.h>

#include <functional>

#include "quiver/logical/logical_plan.h"
#include "quiver/optimizer/expr_rewrite.h"

/// Plan rewriting shared by the optimizer rules: bottom-up plan transforms and rebuilding one
/// node with rewritten expressions through the plan builders.
namespace quiver::optimizer {

/// A rewrite of one plan node whose inputs were already rewritten.
using PlanTransform =
    std::function<arrow::Result<logical::LogicalPlanPtr>(const logical::LogicalPlanPtr&)>;

/// Rewrites `plan` bottom-up: every input first (the node is rebuilt only when an input changed),
/// then `fn` on the node.
arrow::Result<logical::LogicalPlanPtr> transform_plan_up(const logical::LogicalPlanPtr& plan,
                                                         const PlanTransform& fn);

/// Rebuilds `node` with `fn` applied to each of its expressions (projection and aggregate
/// expressions, predicate, sort keys, values, scan filters). Projection and aggregate outputs
/// keep their names: a rewritten expression whose name changed is aliased to the old name.
/// Returns `node` itself when nothing changed, or when the rebuilt node's schema would differ in
/// names or types (the rewrite is then skipped for that node).
arrow::Result<logical::LogicalPlanPtr> map_node_exprs(const logical::LogicalPlanPtr& node,
                                                      const ExprTransform& fn);

/// Returns true when both schemas have the same fields: qualifiers, names and types (nullability
/// is not compared).
bool same_fields(const logical::PlanSchema& a, const logical::PlanSchema& b);

/// Returns true when both schemas have the same fields and nullability: what a rule that
/// replaces a node must keep for the plan above it to stay valid.
bool same_fields_and_nullability(const logical::PlanSchema& a, const logical::PlanSchema& b);

/// Returns `expr` aliased to `name` when its own display name differs (projection naming).
logical::ExprPtr keep_name(const logical::ExprPtr& expr, const std::string& name);

}  // namespace quiver::optimizer
