#include "quiver/optimizer/projection_pushdown.h"

#include <arrow/type.h>

#include <algorithm>
#include <limits>
#include <utility>

#include "quiver/catalog/table_provider.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/plan_rewrite.h"

namespace quiver::optimizer {

using logical::Expr;
using logical::ExprPtr;
using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;
using logical::PlanSchema;

namespace {

/// Which output fields of a node are needed, by index.
using Needed = std::vector<bool>;

Needed all_fields(const PlanSchema& schema) {
  return Needed(static_cast<size_t>(schema.num_fields()), true);
}

bool any(const Needed& needed) {
  for (bool b : needed) {
    if (b) return true;
  }
  return false;
}

// Marks the fields of `schema` that `e` references. A subquery may reference any of them
// (correlation), so it marks every field.
void mark_expr(const Expr& e, const PlanSchema& schema, Needed* needed) {
  if (contains_subquery(e)) {
    needed->assign(needed->size(), true);
    return;
  }
  for (const auto& c : logical::referenced_columns(e)) {
    const int i = schema.find(c);
    if (i >= 0) (*needed)[static_cast<size_t>(i)] = true;
  }
}

void mark_exprs(const std::vector<ExprPtr>& exprs, const PlanSchema& schema, Needed* needed) {
  for (const auto& e : exprs) mark_expr(*e, schema, needed);
}

// Returns a relative cost of reading one value of `type` (fixed-width types by bit width).
int64_t read_cost(const arrow::DataType& type) {
  if (const auto* fixed = dynamic_cast<const arrow::FixedWidthType*>(&type)) {
    return fixed->bit_width();
  }
  return std::numeric_limits<int32_t>::max();
}

// Returns the index of the field cheapest to read.
int cheapest_field(const PlanSchema& schema) {
  int best = 0;
  for (int i = 1; i < schema.num_fields(); ++i) {
    if (read_cost(*schema.field(i).field->type()) < read_cost(*schema.field(best).field->type())) {
      best = i;
    }
  }
  return best;
}

// Returns true when `projection` outputs exactly its input's fields, in order.
bool is_identity(const LogicalPlan& projection) {
  const PlanSchema& in = projection.inputs[0]->schema;
  if (static_cast<int>(projection.exprs.size()) != in.num_fields()) return false;
  for (int i = 0; i < in.num_fields(); ++i) {
    const Expr& e = *projection.exprs[static_cast<size_t>(i)];
    if (e.kind != logical::ExprKind::kColumn || in.find(e.column) != i) return false;
  }
  return same_fields(projection.schema, in);
}

class Pruner {
 public:
  // Returns a plan equivalent to `plan` whose output keeps at least the `needed` fields, in
  // their original order; fields not needed may be gone.
  arrow::Result<LogicalPlanPtr> prune(const LogicalPlanPtr& plan, const Needed& needed) const {
    switch (plan->kind) {
      case PlanKind::kTableScan:
        return prune_scan(plan, needed);
      case PlanKind::kProjection:
        return prune_projection(plan, needed);
      case PlanKind::kAggregate:
        return prune_aggregate(plan, needed);
      case PlanKind::kFilter: {
        Needed below = needed;
        mark_expr(*plan->predicate, plan->inputs[0]->schema, &below);
        return with_pruned_input(plan, below);
      }
      case PlanKind::kSort: {
        Needed below = needed;
        for (const auto& k : plan->sort_exprs) mark_expr(*k.expr, plan->inputs[0]->schema, &below);
        return with_pruned_input(plan, below);
      }
      case PlanKind::kLimit:
      case PlanKind::kSubqueryAlias:
        // Output field i is input field i.
        return with_pruned_input(plan, needed);
      case PlanKind::kUnion:
        return prune_union(plan, needed);
      case PlanKind::kJoin:
        return prune_join(plan, needed);
      default: {
        // Values, EmptyRelation: keep their shape, narrow below with everything needed.
        std::vector<LogicalPlanPtr> inputs;
        bool changed = false;
        for (const auto& input : plan->inputs) {
          ARROW_ASSIGN_OR_RAISE(auto pruned, prune(input, all_fields(input->schema)));
          changed = changed || pruned != input;
          inputs.push_back(std::move(pruned));
        }
        if (!changed) return plan;
        return logical::with_new_inputs(*plan, std::move(inputs));
      }
    }
  }

  // Like prune, but the output holds exactly the needed fields (at least one), in order.
  arrow::Result<LogicalPlanPtr> prune_exact(const LogicalPlanPtr& plan, Needed needed) const {
    if (!any(needed) && !needed.empty()) needed[0] = true;
    ARROW_ASSIGN_OR_RAISE(auto pruned, prune(plan, needed));
    std::vector<ExprPtr> select;
    for (int i = 0; i < plan->schema.num_fields(); ++i) {
      if (!needed[static_cast<size_t>(i)]) continue;
      const auto& f = plan->schema.field(i);
      select.push_back(logical::col(f.qualifier, f.field->name()));
    }
    if (pruned->schema.num_fields() == static_cast<int>(select.size())) return pruned;
    return logical::make_projection(pruned, std::move(select));
  }

 private:
  // Rebuilds a node whose expressions stay as they are over its pruned input.
  arrow::Result<LogicalPlanPtr> with_pruned_input(const LogicalPlanPtr& plan,
                                                  const Needed& below) const {
    ARROW_ASSIGN_OR_RAISE(auto input, prune(plan->inputs[0], below));
    if (input == plan->inputs[0]) return plan;
    return logical::with_new_inputs(*plan, {input});
  }

  arrow::Result<LogicalPlanPtr> prune_scan(const LogicalPlanPtr& plan, const Needed& needed) const {
    const int width = plan->schema.num_fields();
    std::vector<int> current;
    if (plan->projection) {
      current = *plan->projection;
    } else {
      for (int i = 0; i < width; ++i) current.push_back(i);
    }
    // The scan's own filters are applied by the provider over the columns it reads.
    Needed reads = needed;
    const PlanSchema unqualified = plan->schema.with_qualifier(std::nullopt);
    mark_exprs(plan->scan_filters, unqualified, &reads);
    std::vector<int> keep;
    for (int i = 0; i < width; ++i) {
      if (reads[static_cast<size_t>(i)]) keep.push_back(current[static_cast<size_t>(i)]);
    }
    if (keep.empty() && width > 0 && !(plan->table && plan->table->supports_empty_projection())) {
      keep.push_back(current[static_cast<size_t>(cheapest_field(plan->schema))]);
    }
    if (static_cast<int>(keep.size()) == width) return plan;
    std::sort(keep.begin(), keep.end());
    return logical::make_table_scan(plan->table_name, plan->table, std::move(keep),
                                    plan->scan_filters, plan->scan_fetch);
  }

  arrow::Result<LogicalPlanPtr> prune_projection(const LogicalPlanPtr& plan,
                                                 const Needed& needed) const {
    std::vector<ExprPtr> exprs;
    for (size_t i = 0; i < plan->exprs.size(); ++i) {
      if (needed[i]) exprs.push_back(plan->exprs[i]);
    }
    // A projection keeps one output even when nothing above reads it (row counts).
    if (exprs.empty() && !plan->exprs.empty()) exprs.push_back(plan->exprs[0]);
    const LogicalPlanPtr& input = plan->inputs[0];
    Needed below(static_cast<size_t>(input->schema.num_fields()), false);
    mark_exprs(exprs, input->schema, &below);
    ARROW_ASSIGN_OR_RAISE(auto new_input, prune(input, below));
    LogicalPlanPtr node = plan;
    if (new_input != input || exprs.size() != plan->exprs.size()) {
      ARROW_ASSIGN_OR_RAISE(node, logical::make_projection(new_input, std::move(exprs)));
    }
    if (is_identity(*node)) return node->inputs[0];
    return node;
  }

  arrow::Result<LogicalPlanPtr> prune_aggregate(const LogicalPlanPtr& plan,
                                                const Needed& needed) const {
    const size_t num_groups = plan->group_exprs.size();
    std::vector<ExprPtr> aggrs;
    for (size_t i = 0; i < plan->aggr_exprs.size(); ++i) {
      if (needed[num_groups + i]) aggrs.push_back(plan->aggr_exprs[i]);
    }
    // A global aggregate must still produce its one row.
    if (aggrs.empty() && num_groups == 0 && !plan->aggr_exprs.empty()) {
      aggrs.push_back(plan->aggr_exprs[0]);
    }
    const LogicalPlanPtr& input = plan->inputs[0];
    Needed below(static_cast<size_t>(input->schema.num_fields()), false);
    mark_exprs(plan->group_exprs, input->schema, &below);
    mark_exprs(aggrs, input->schema, &below);
    ARROW_ASSIGN_OR_RAISE(auto new_input, prune(input, below));
    if (new_input == input && aggrs.size() == plan->aggr_exprs.size()) return plan;
    return logical::make_aggregate(new_input, plan->group_exprs, std::move(aggrs));
  }

  // Each input keeps what is needed above from its side plus the columns of the join's keys and
  // filter (a semi / anti join outputs the left side only).
  arrow::Result<LogicalPlanPtr> prune_join(const LogicalPlanPtr& plan, const Needed& needed) const {
    const LogicalPlanPtr& left = plan->inputs[0];
    const LogicalPlanPtr& right = plan->inputs[1];
    const size_t left_width = static_cast<size_t>(left->schema.num_fields());
    Needed left_needed(left_width, false);
    Needed right_needed(static_cast<size_t>(right->schema.num_fields()), false);
    for (size_t i = 0; i < needed.size(); ++i) {
      if (!needed[i]) continue;
      if (i < left_width) {
        left_needed[i] = true;
      } else if (i - left_width < right_needed.size()) {
        right_needed[i - left_width] = true;
      }
    }
    for (const auto& [l, r] : plan->join_on) {
      mark_expr(*l, left->schema, &left_needed);
      mark_expr(*r, right->schema, &right_needed);
    }
    if (plan->join_filter) {
      // Resolved per side: the filter reads the concatenation of both inputs.
      mark_expr(*plan->join_filter, left->schema, &left_needed);
      mark_expr(*plan->join_filter, right->schema, &right_needed);
    }
    ARROW_ASSIGN_OR_RAISE(auto new_left, narrow_join_input(left, left_needed));
    ARROW_ASSIGN_OR_RAISE(auto new_right, narrow_join_input(right, right_needed));
    if (new_left == left && new_right == right) return plan;
    return logical::with_new_inputs(*plan, {new_left, new_right});
  }

  // A join input yields exactly the columns needed from it, so that what only the input itself
  // uses (a lower join's keys, a scan filter's columns) is not carried through, and copied by,
  // every join above it. Falls back to prune when the selecting projection cannot name a column
  // uniquely.
  arrow::Result<LogicalPlanPtr> narrow_join_input(const LogicalPlanPtr& input,
                                                  const Needed& needed) const {
    auto exact = prune_exact(input, needed);
    if (exact.ok()) return exact;
    return prune(input, needed);
  }

  arrow::Result<LogicalPlanPtr> prune_union(const LogicalPlanPtr& plan,
                                            const Needed& needed) const {
    // Every input must keep the same positions so the columns still line up.
    std::vector<LogicalPlanPtr> inputs;
    bool changed = false;
    for (const auto& input : plan->inputs) {
      auto pruned = prune_exact(input, needed);
      if (!pruned.ok()) {
        // e.g. a name the selecting projection cannot resolve uniquely: keep every column.
        return prune_keeping_all(plan);
      }
      changed = changed || *pruned != input;
      inputs.push_back(std::move(*pruned));
    }
    if (!changed) return plan;
    return logical::with_new_inputs(*plan, std::move(inputs));
  }

  arrow::Result<LogicalPlanPtr> prune_keeping_all(const LogicalPlanPtr& plan) const {
    std::vector<LogicalPlanPtr> inputs;
    for (const auto& input : plan->inputs) {
      ARROW_ASSIGN_OR_RAISE(auto pruned, prune(input, all_fields(input->schema)));
      inputs.push_back(std::move(pruned));
    }
    return logical::with_new_inputs(*plan, std::move(inputs));
  }
};

}  // namespace

std::string ProjectionPushdown::name() const { return "projection_pushdown"; }

arrow::Result<LogicalPlanPtr> ProjectionPushdown::rewrite(
    const LogicalPlanPtr& plan, const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.projection_pushdown")) return plan;
  ARROW_ASSIGN_OR_RAISE(auto pruned, Pruner().prune(plan, all_fields(plan->schema)));
  if (!same_fields(pruned->schema, plan->schema)) {
    return arrow::Status::UnknownError("projection pushdown changed the plan's output from [",
                                       plan->schema.to_arrow()->ToString(), "] to [",
                                       pruned->schema.to_arrow()->ToString(), "]");
  }
  return pruned;
}

}  // namespace quiver::optimizer
