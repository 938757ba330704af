#include "quiver/optimizer/predicate_pushdown.h"

#include <optional>
#include <utility>

#include "quiver/catalog/table_provider.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/join_pushdown.h"

namespace quiver::optimizer {

using logical::Column;
using logical::ExprPtr;
using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

using Conjuncts = std::vector<ExprPtr>;

// Returns true when a conjunct may be evaluated somewhere else than where it was written.
bool is_movable(const logical::Expr& e) {
  return !contains_volatile(e) && !contains_subquery(e) && !logical::contains_aggregate(e);
}

// Rewrites every column of `e` through `mapping`; nullopt when some column has no mapping.
std::optional<ExprPtr> map_every_column(const ExprPtr& e, const ColumnMapping& mapping) {
  bool complete = true;
  ExprPtr out = replace_columns(e, [&](const Column& c) -> std::optional<ExprPtr> {
    auto r = mapping(c);
    if (!r) complete = false;
    return r;
  });
  if (!complete) return std::nullopt;
  return out;
}

// Returns a column expression naming `schema`'s field i.
ExprPtr field_column(const logical::PlanSchema& schema, int i) {
  const auto& f = schema.field(i);
  return logical::col(f.qualifier, f.field->name());
}

void append_unique(Conjuncts* list, const ExprPtr& e) {
  const std::string text = e->to_string();
  for (const auto& existing : *list) {
    if (existing->to_string() == text) return;
  }
  list->push_back(e);
}

void split_disjunction(const ExprPtr& e, Conjuncts* out) {
  if (e->kind == logical::ExprKind::kBinary && e->op == logical::BinaryOp::kOr) {
    split_disjunction(e->args[0], out);
    split_disjunction(e->args[1], out);
  } else {
    out->push_back(e);
  }
}

// Appends `e` to *out, with the conjuncts every branch of an OR shares taken out of it:
// `(x AND a) OR (x AND b)` gives `x` and `a OR b` (Kleene logic distributes too), so a join key
// written in every branch (TPC-H Q19) still becomes a key. A branch that is only shared
// conjuncts makes the OR true once they hold (absorption).
void append_factored(const ExprPtr& e, Conjuncts* out) {
  Conjuncts branches;
  split_disjunction(e, &branches);
  if (branches.size() < 2 || contains_volatile(*e)) {
    append_unique(out, e);
    return;
  }
  std::vector<Conjuncts> parts;
  for (const auto& b : branches) parts.push_back(split_conjunction(b));
  auto in = [](const Conjuncts& list, const std::string& text) {
    for (const auto& c : list) {
      if (c->to_string() == text) return true;
    }
    return false;
  };
  Conjuncts common;
  for (const auto& c : parts[0]) {
    bool everywhere = true;
    for (size_t i = 1; i < parts.size() && everywhere; ++i)
      everywhere = in(parts[i], c->to_string());
    if (everywhere) append_unique(&common, c);
  }
  if (common.empty()) {
    append_unique(out, e);
    return;
  }
  ExprPtr rest;
  bool absorbed = false;
  for (const auto& branch : parts) {
    Conjuncts left;
    for (const auto& c : branch) {
      if (!in(common, c->to_string())) left.push_back(c);
    }
    if (left.empty()) absorbed = true;
    ExprPtr b = conjoin(left);
    if (b) rest = rest ? logical::binary(rest, logical::BinaryOp::kOr, b) : b;
  }
  for (const auto& c : common) append_unique(out, c);
  if (!absorbed && rest) append_unique(out, rest);
}

arrow::Result<LogicalPlanPtr> add_filter(LogicalPlanPtr input, const Conjuncts& conjuncts) {
  if (conjuncts.empty()) return input;
  return logical::make_filter(std::move(input), conjoin(conjuncts));
}

class Pusher {
 public:
  // Returns `plan` with `preds` (conjuncts over its output) applied as low as possible.
  arrow::Result<LogicalPlanPtr> push(const LogicalPlanPtr& plan, Conjuncts preds) const {
    switch (plan->kind) {
      case PlanKind::kFilter: {
        Conjuncts all;
        for (const auto& c : split_conjunction(plan->predicate)) append_factored(c, &all);
        for (const auto& c : preds) append_unique(&all, c);
        return push(plan->inputs[0], std::move(all));
      }
      case PlanKind::kProjection:
        return through_projection(plan, std::move(preds));
      case PlanKind::kSort:
        if (plan->fetch) return barrier(plan, std::move(preds));
        return through_renaming(plan, std::move(preds));
      case PlanKind::kSubqueryAlias:
        return through_renaming(plan, std::move(preds));
      case PlanKind::kUnion:
        return through_union(plan, std::move(preds));
      case PlanKind::kAggregate:
        return through_aggregate(plan, std::move(preds));
      case PlanKind::kTableScan:
        return into_scan(plan, std::move(preds));
      case PlanKind::kJoin:
        return through_join(plan, preds);
      default:
        // Limit (never crossed), Values, EmptyRelation.
        return barrier(plan, std::move(preds));
    }
  }

 private:
  // Rebuilds `plan` over `inputs` unless they are the same nodes.
  static arrow::Result<LogicalPlanPtr> rebuild(const LogicalPlanPtr& plan,
                                               std::vector<LogicalPlanPtr> inputs) {
    bool changed = false;
    for (size_t i = 0; i < inputs.size(); ++i) changed = changed || inputs[i] != plan->inputs[i];
    if (!changed) return plan;
    return logical::with_new_inputs(*plan, std::move(inputs));
  }

  // Optimizes the inputs on their own and keeps `preds` above the node.
  arrow::Result<LogicalPlanPtr> barrier(const LogicalPlanPtr& plan, Conjuncts preds) const {
    std::vector<LogicalPlanPtr> inputs;
    for (const auto& input : plan->inputs) {
      ARROW_ASSIGN_OR_RAISE(auto pushed, push(input, {}));
      inputs.push_back(std::move(pushed));
    }
    ARROW_ASSIGN_OR_RAISE(auto node, rebuild(plan, std::move(inputs)));
    return add_filter(std::move(node), preds);
  }

  // Splits `preds` into those `mapping` can rewrite (returned rewritten in *moved) and the rest.
  static Conjuncts partition(const Conjuncts& preds, const ColumnMapping& mapping,
                             Conjuncts* moved) {
    Conjuncts kept;
    for (const auto& p : preds) {
      std::optional<ExprPtr> rewritten;
      if (is_movable(*p)) rewritten = map_every_column(p, mapping);
      if (rewritten) {
        moved->push_back(*rewritten);
      } else {
        kept.push_back(p);
      }
    }
    return kept;
  }

  // Single-input nodes whose output field i is the input's field i (Sort, SubqueryAlias).
  arrow::Result<LogicalPlanPtr> through_renaming(const LogicalPlanPtr& plan,
                                                 Conjuncts preds) const {
    const auto& input = plan->inputs[0];
    Conjuncts moved;
    Conjuncts kept = partition(
        preds,
        [&](const Column& c) -> std::optional<ExprPtr> {
          const int i = plan->schema.find(c);
          if (i < 0) return std::nullopt;
          return field_column(input->schema, i);
        },
        &moved);
    ARROW_ASSIGN_OR_RAISE(auto new_input, push(input, std::move(moved)));
    ARROW_ASSIGN_OR_RAISE(auto node, rebuild(plan, {new_input}));
    return add_filter(std::move(node), kept);
  }

  arrow::Result<LogicalPlanPtr> through_projection(const LogicalPlanPtr& plan,
                                                   Conjuncts preds) const {
    Conjuncts moved;
    Conjuncts kept = partition(
        preds,
        [&](const Column& c) -> std::optional<ExprPtr> {
          const int i = plan->schema.find(c);
          if (i < 0) return std::nullopt;
          ExprPtr e = logical::unalias(plan->exprs[static_cast<size_t>(i)]);
          if (!is_movable(*e)) return std::nullopt;
          return e;
        },
        &moved);
    ARROW_ASSIGN_OR_RAISE(auto new_input, push(plan->inputs[0], std::move(moved)));
    ARROW_ASSIGN_OR_RAISE(auto node, rebuild(plan, {new_input}));
    return add_filter(std::move(node), kept);
  }

  arrow::Result<LogicalPlanPtr> through_aggregate(const LogicalPlanPtr& plan,
                                                  Conjuncts preds) const {
    // Below a global aggregate a filter would change the single output row, not remove it.
    if (plan->group_exprs.empty()) return barrier(plan, std::move(preds));
    const int num_groups = static_cast<int>(plan->group_exprs.size());
    Conjuncts moved;
    Conjuncts kept = partition(
        preds,
        [&](const Column& c) -> std::optional<ExprPtr> {
          const int i = plan->schema.find(c);
          if (i < 0 || i >= num_groups) return std::nullopt;
          ExprPtr e = logical::unalias(plan->group_exprs[static_cast<size_t>(i)]);
          if (!is_movable(*e)) return std::nullopt;
          return e;
        },
        &moved);
    ARROW_ASSIGN_OR_RAISE(auto new_input, push(plan->inputs[0], std::move(moved)));
    ARROW_ASSIGN_OR_RAISE(auto node, rebuild(plan, {new_input}));
    return add_filter(std::move(node), kept);
  }

  arrow::Result<LogicalPlanPtr> through_union(const LogicalPlanPtr& plan, Conjuncts preds) const {
    if (plan->inputs.empty()) return barrier(plan, std::move(preds));
    // Output field i of a union is field i of every input.
    std::vector<Conjuncts> per_input(plan->inputs.size());
    Conjuncts kept;
    for (const auto& p : preds) {
      std::vector<ExprPtr> mapped;
      for (const auto& input : plan->inputs) {
        if (!is_movable(*p)) break;
        auto r = map_every_column(p, [&](const Column& c) -> std::optional<ExprPtr> {
          const int i = plan->schema.find(c);
          if (i < 0) return std::nullopt;
          return field_column(input->schema, i);
        });
        if (!r) break;
        mapped.push_back(*r);
      }
      if (mapped.size() != plan->inputs.size()) {
        kept.push_back(p);
        continue;
      }
      for (size_t k = 0; k < mapped.size(); ++k) per_input[k].push_back(mapped[k]);
    }
    std::vector<LogicalPlanPtr> inputs;
    for (size_t k = 0; k < plan->inputs.size(); ++k) {
      ARROW_ASSIGN_OR_RAISE(auto pushed, push(plan->inputs[k], std::move(per_input[k])));
      inputs.push_back(std::move(pushed));
    }
    ARROW_ASSIGN_OR_RAISE(auto node, rebuild(plan, std::move(inputs)));
    return add_filter(std::move(node), kept);
  }

  // Places the join's conditions and `preds` (see plan_join_pushdown) and rebuilds the join.
  arrow::Result<LogicalPlanPtr> through_join(const LogicalPlanPtr& plan,
                                             const Conjuncts& preds) const {
    JoinPushdown placed = plan_join_pushdown(*plan, preds, is_movable);
    ARROW_ASSIGN_OR_RAISE(auto left, push(plan->inputs[0], std::move(placed.to_left)));
    ARROW_ASSIGN_OR_RAISE(auto right, push(plan->inputs[1], std::move(placed.to_right)));
    ARROW_ASSIGN_OR_RAISE(auto join, logical::make_join(std::move(left), std::move(right),
                                                        placed.join_type, std::move(placed.keys),
                                                        conjoin(placed.filter), plan->null_aware));
    return add_filter(std::move(join), placed.above);
  }

  arrow::Result<LogicalPlanPtr> into_scan(const LogicalPlanPtr& plan, Conjuncts preds) const {
    // A fetch counts rows after the scan's own filters: adding filters would change it.
    if (plan->scan_fetch || !plan->table || preds.empty()) return add_filter(plan, preds);
    Conjuncts candidates;        // over the table's unqualified columns
    std::vector<size_t> origin;  // index into preds of each candidate
    for (size_t i = 0; i < preds.size(); ++i) {
      if (!is_movable(*preds[i])) continue;
      auto rewritten = map_every_column(preds[i], [&](const Column& c) -> std::optional<ExprPtr> {
        const int f = plan->schema.find(c);
        if (f < 0) return std::nullopt;
        return logical::col(std::nullopt, plan->schema.field(f).field->name());
      });
      if (!rewritten) continue;
      candidates.push_back(*rewritten);
      origin.push_back(i);
    }
    const auto support = plan->table->supports_filters_pushdown(candidates);
    std::vector<bool> exact(preds.size(), false);
    Conjuncts scan_filters = plan->scan_filters;
    const size_t before = scan_filters.size();
    for (size_t k = 0; k < candidates.size() && k < support.size(); ++k) {
      if (support[k] == catalog::FilterPushdown::kUnsupported) continue;
      append_unique(&scan_filters, candidates[k]);
      exact[origin[k]] = support[k] == catalog::FilterPushdown::kExact;
    }
    Conjuncts kept;
    for (size_t i = 0; i < preds.size(); ++i) {
      if (!exact[i]) kept.push_back(preds[i]);
    }
    LogicalPlanPtr scan = plan;
    if (scan_filters.size() != before) {
      ARROW_ASSIGN_OR_RAISE(
          scan, logical::make_table_scan(plan->table_name, plan->table, plan->projection,
                                         std::move(scan_filters), plan->scan_fetch));
    }
    return add_filter(std::move(scan), kept);
  }
};

}  // namespace

std::string PredicatePushdown::name() const { return "predicate_pushdown"; }

arrow::Result<LogicalPlanPtr> PredicatePushdown::rewrite(
    const LogicalPlanPtr& plan, const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.filter_pushdown")) return plan;
  return Pusher().push(plan, {});
}

}  // namespace quiver::optimizer
