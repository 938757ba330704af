#pragma once

#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {

/// Orders chains of inner and cross joins by estimated size (cardinality.h). A tree of inner /
/// cross joins is flattened into its relations (the nodes below it that are not such joins) and
/// its conditions (key equalities and filter conjuncts, each tied to the relations whose columns
/// it reads). A left-deep tree is then built greedily: it starts from the smallest relation that
/// some condition connects to another, and repeatedly joins the relation whose join gives the
/// fewest estimated rows among those a condition connects to the tree, so a cross product only
/// appears when no connected relation is left. Each join gets every condition whose relations
/// are all present (equalities between its two sides as keys, the rest as its filter), and its
/// smaller estimated side as its LEFT input (the hash join builds on the left). A condition over
/// a single relation becomes a Filter on it; one over none stays in a Filter on top. When the
/// new order changes the column order, a Projection on top restores it. Trees whose conditions
/// cannot be tied to relations (ambiguous names, subqueries, volatile functions) are left as
/// they are. Runs after predicate pushdown. Honours `optimizer.join_reordering`.
class JoinReorder : public OptimizerRule {
 public:
  /// Returns "join_reorder".
  std::string name() const override;
  /// Returns the plan with its inner join chains reordered.
  arrow::Result<logical::LogicalPlanPtr> rewrite(
      const logical::LogicalPlanPtr& plan, const common::ConfigOptions& options) const override;
};

}  // namespace quiver::optimizer
