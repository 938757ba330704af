#include "quiver/optimizer/join_reorder.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/cardinality.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/extract_equijoin.h"
#include "quiver/optimizer/plan_rewrite.h"
#include "quiver/optimizer/range_selectivity.h"

namespace quiver::optimizer {

using logical::ExprPtr;
using logical::JoinType;
using logical::LogicalPlanPtr;
using logical::PlanKind;

namespace {

using Mask = uint64_t;
constexpr size_t kMaxRelations = 64;

bool is_reorderable(const logical::LogicalPlan& plan) {
  return plan.kind == PlanKind::kJoin && !plan.null_aware &&
         (plan.join_type == JoinType::kInner || plan.join_type == JoinType::kCross);
}

// A flattened tree of inner / cross joins.
struct JoinGraph {
  std::vector<LogicalPlanPtr> relations;
  std::vector<ExprPtr> conditions;
};

void flatten(const LogicalPlanPtr& plan, JoinGraph* graph) {
  if (!is_reorderable(*plan)) {
    graph->relations.push_back(plan);
    return;
  }
  flatten(plan->inputs[0], graph);
  flatten(plan->inputs[1], graph);
  for (const auto& [l, r] : plan->join_on) {
    graph->conditions.push_back(logical::binary(l, logical::BinaryOp::kEq, r));
  }
  for (const auto& c : split_conjunction(plan->join_filter)) graph->conditions.push_back(c);
}

// Returns the relations `condition` reads, or nullopt when a column resolves to no relation or
// to several.
std::optional<Mask> relations_of(const logical::Expr& condition,
                                 const std::vector<LogicalPlanPtr>& relations) {
  if (contains_subquery(condition) || contains_volatile(condition)) return std::nullopt;
  Mask mask = 0;
  for (const auto& c : logical::referenced_columns(condition)) {
    std::optional<size_t> owner;
    for (size_t i = 0; i < relations.size(); ++i) {
      if (relations[i]->schema.find(c) < 0) continue;
      if (owner) return std::nullopt;
      owner = i;
    }
    if (!owner) return std::nullopt;
    mask |= Mask{1} << *owner;
  }
  return mask;
}

// Returns true when two fields share qualifier and name (a projection could not tell them apart).
// Returns whether every column-to-column equality among `conditions` between two tables'
// columns compares columns whose number of distinct values the tables' statistics bound
// (integer min/max), so that join estimates can tell a key join from a many-to-many one.
// Equalities with a computed column (a decorrelated subquery's aggregate, TPC-H q02's
// `ps_supplycost = min(ps_supplycost)`) join no table key and are not asked about.
bool join_keys_have_statistics(const std::vector<ExprPtr>& conditions,
                               const std::vector<LogicalPlanPtr>& relations) {
  auto owner = [&](const logical::Expr& e) -> const logical::LogicalPlan* {
    for (const auto& r : relations) {
      if (r->schema.find(e.column) >= 0) return r.get();
    }
    return nullptr;
  };
  for (const auto& c : conditions) {
    if (c->kind != logical::ExprKind::kBinary || c->op != logical::BinaryOp::kEq) continue;
    const auto& l = *c->args[0];
    const auto& r = *c->args[1];
    if (l.kind != logical::ExprKind::kColumn || r.kind != logical::ExprKind::kColumn) continue;
    const logical::LogicalPlan* lp = owner(l);
    const logical::LogicalPlan* rp = owner(r);
    if (lp == nullptr || rp == nullptr) return false;
    if (!column_domain(l.column, *lp) || !column_domain(r.column, *rp)) continue;
    if (!integer_span(traced_column_statistics(l.column, *lp)) ||
        !integer_span(traced_column_statistics(r.column, *rp))) {
      return false;
    }
  }
  return true;
}

// Whether `plan` keeps only some rows of its table: a Filter, or a scan with filters, under
// projections and aliases.
bool is_filtered(const logical::LogicalPlan& plan) {
  switch (plan.kind) {
    case logical::PlanKind::kFilter:
      return true;
    case logical::PlanKind::kTableScan:
      return !plan.scan_filters.empty();
    case logical::PlanKind::kProjection:
    case logical::PlanKind::kSubqueryAlias:
      return is_filtered(*plan.inputs[0]);
    default:
      return false;
  }
}

bool has_duplicate_names(const logical::PlanSchema& schema) {
  std::set<std::string> seen;
  for (const auto& f : schema.fields()) {
    if (!seen.insert(f.flat_name() + (f.qualifier ? "" : "\x01")).second) return true;
  }
  return false;
}

// Joins `a` and `b` (smaller estimate on the left) on `conditions`.
arrow::Result<LogicalPlanPtr> join_pair(const LogicalPlanPtr& a, const LogicalPlanPtr& b,
                                        const std::vector<ExprPtr>& conditions) {
  const bool swap = estimate_rows(*b) < estimate_rows(*a);
  const LogicalPlanPtr& left = swap ? b : a;
  const LogicalPlanPtr& right = swap ? a : b;
  if (conditions.empty()) return logical::make_join(left, right, JoinType::kCross, {}, nullptr);
  EquijoinSplit split = split_equijoin(conditions, left->schema, right->schema);
  return logical::make_join(left, right, JoinType::kInner, std::move(split.keys),
                            conjoin(split.residual));
}

class Reorderer {
 public:
  // Reorders every join tree in `plan`.
  arrow::Result<LogicalPlanPtr> visit(const LogicalPlanPtr& plan) const {
    if (is_reorderable(*plan)) {
      ARROW_ASSIGN_OR_RAISE(auto reordered, reorder(plan));
      if (reordered) return *reordered;
    }
    std::vector<LogicalPlanPtr> inputs;
    bool changed = false;
    for (const auto& input : plan->inputs) {
      ARROW_ASSIGN_OR_RAISE(auto rewritten, visit(input));
      changed = changed || rewritten != input;
      inputs.push_back(std::move(rewritten));
    }
    if (!changed) return plan;
    return logical::with_new_inputs(*plan, std::move(inputs));
  }

 private:
  // Returns the reordered tree, or nullopt when it must stay as it is.
  arrow::Result<std::optional<LogicalPlanPtr>> reorder(const LogicalPlanPtr& root) const {
    JoinGraph graph;
    flatten(root, &graph);
    const size_t n = graph.relations.size();
    if (n > kMaxRelations || has_duplicate_names(root->schema)) return std::nullopt;
    std::vector<Mask> masks;
    for (const auto& c : graph.conditions) {
      auto mask = relations_of(*c, graph.relations);
      if (!mask) return std::nullopt;
      masks.push_back(*mask);
    }
    // Relations are reordered on their own; one-relation conditions filter their relation.
    std::vector<LogicalPlanPtr> rels;
    std::vector<ExprPtr> on_top;
    std::vector<bool> used(graph.conditions.size(), false);
    for (size_t i = 0; i < n; ++i) {
      ARROW_ASSIGN_OR_RAISE(auto rel, visit(graph.relations[i]));
      std::vector<ExprPtr> own;
      for (size_t k = 0; k < masks.size(); ++k) {
        if (masks[k] == (Mask{1} << i)) {
          own.push_back(graph.conditions[k]);
          used[k] = true;
        }
      }
      if (!own.empty()) {
        ARROW_ASSIGN_OR_RAISE(rel, logical::make_filter(rel, conjoin(own)));
      }
      rels.push_back(std::move(rel));
    }
    for (size_t k = 0; k < masks.size(); ++k) {
      if (masks[k] == 0) {
        on_top.push_back(graph.conditions[k]);
        used[k] = true;
      }
    }
    // Greedy chains start from the smallest connected relation (the smallest of all when none is
    // connected) and, when statistics bound every join key's distinct values, from every
    // filtered one too; the chain whose joins produce the fewest estimated rows in total wins,
    // ties going to the smaller starting relation. Starting from the smallest relation alone can
    // join a big table to it before a selective one (TPC-H Q9: lineitem to nation/supplier, 6M
    // rows, before part). Without key statistics other starts are not tried: a chain could meet
    // the next relation through a many-to-many key (a nation key) that the estimates, knowing
    // only row counts, take for a primary key.
    std::vector<double> rows;
    for (const auto& r : rels) rows.push_back(estimate_rows(*r));
    Mask connected = 0;
    for (size_t k = 0; k < masks.size(); ++k) {
      if (!used[k]) connected |= masks[k];
    }
    std::optional<size_t> smallest;
    for (size_t i = 0; i < n; ++i) {
      const bool eligible = connected == 0 || (connected & (Mask{1} << i)) != 0;
      if (eligible && (!smallest || rows[i] < rows[*smallest])) smallest = i;
    }
    const bool try_filtered = join_keys_have_statistics(graph.conditions, rels);
    LogicalPlanPtr tree;
    std::optional<double> best_cost;
    std::optional<size_t> best_start;
    std::vector<bool> best_used;
    for (size_t start = 0; start < n; ++start) {
      const bool connected_start = connected == 0 || (connected & (Mask{1} << start)) != 0;
      const bool filtered = is_filtered(*rels[start]);
      if (start != *smallest && !(try_filtered && connected_start && filtered)) continue;
      std::vector<bool> chain_used = used;
      LogicalPlanPtr chain = rels[start];
      Mask in_tree = Mask{1} << start;
      double cost = 0;
      for (size_t step = 1; step < n; ++step) {
        ARROW_ASSIGN_OR_RAISE(auto next,
                              best_next(chain, in_tree, rels, rows, masks, graph, &chain_used));
        chain = std::move(next.first);
        in_tree |= Mask{1} << next.second;
        cost += estimate_rows(*chain);
      }
      const bool better = !best_cost || cost < *best_cost ||
                          (cost == *best_cost && rows[start] < rows[*best_start]);
      if (better) {
        best_cost = cost;
        best_start = start;
        best_used = std::move(chain_used);
        tree = std::move(chain);
      }
    }
    used = std::move(best_used);
    if (!on_top.empty()) {
      ARROW_ASSIGN_OR_RAISE(tree, logical::make_filter(tree, conjoin(on_top)));
    }
    if (same_fields(tree->schema, root->schema)) return std::optional<LogicalPlanPtr>(tree);
    // Restore the original column order.
    std::vector<ExprPtr> select;
    for (const auto& f : root->schema.fields()) {
      select.push_back(logical::col(f.qualifier, f.field->name()));
    }
    auto projected = logical::make_projection(tree, std::move(select));
    if (!projected.ok() || !same_fields((*projected)->schema, root->schema)) return std::nullopt;
    return std::optional<LogicalPlanPtr>(*projected);
  }

  // Joins `tree` with the remaining relation giving the fewest estimated rows, preferring
  // relations some unused condition connects to the tree. Returns the join and the relation.
  arrow::Result<std::pair<LogicalPlanPtr, size_t>> best_next(
      const LogicalPlanPtr& tree, Mask in_tree, const std::vector<LogicalPlanPtr>& rels,
      const std::vector<double>& rows, const std::vector<Mask>& masks, const JoinGraph& graph,
      std::vector<bool>* used) const {
    struct Candidate {
      LogicalPlanPtr join;
      size_t relation = 0;
      bool connected = false;
      double rows = 0;
      std::vector<size_t> conditions;
    };
    std::optional<Candidate> best;
    for (size_t j = 0; j < rels.size(); ++j) {
      const Mask bit = Mask{1} << j;
      if (in_tree & bit) continue;
      Candidate c;
      c.relation = j;
      std::vector<ExprPtr> conditions;
      for (size_t k = 0; k < masks.size(); ++k) {
        if ((*used)[k] || (masks[k] & bit) == 0 || (masks[k] & ~(in_tree | bit)) != 0) continue;
        c.conditions.push_back(k);
        conditions.push_back(graph.conditions[k]);
      }
      c.connected = !conditions.empty();
      if (best && best->connected && !c.connected) continue;
      ARROW_ASSIGN_OR_RAISE(c.join, join_pair(tree, rels[j], conditions));
      c.rows = estimate_rows(*c.join);
      const bool better = !best || (c.connected && !best->connected) || c.rows < best->rows ||
                          (c.rows == best->rows && rows[j] < rows[best->relation]);
      if (better) best = std::move(c);
    }
    for (size_t k : best->conditions) (*used)[k] = true;
    return std::make_pair(best->join, best->relation);
  }
};

}  // namespace

std::string JoinReorder::name() const { return "join_reorder"; }

arrow::Result<LogicalPlanPtr> JoinReorder::rewrite(const LogicalPlanPtr& plan,
                                                   const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.join_reordering")) return plan;
  return Reorderer().visit(plan);
}

}  // namespace quiver::optimizer
