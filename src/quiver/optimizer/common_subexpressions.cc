#include "quiver/optimizer/common_subexpressions.h"

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/plan_rewrite.h"

namespace quiver::optimizer {

using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::LogicalPlan;
using logical::LogicalPlanPtr;
using logical::PlanKind;
using logical::PlanSchema;

namespace {

constexpr const char* kCommonPrefix = "__common_expr_";

// How often one expression (keyed by its text) occurs in a node, and how often on every row.
struct Occurrences {
  int total = 0;
  int unconditional = 0;
};
using Counts = std::unordered_map<std::string, Occurrences>;

// Returns true when `e` may be computed once in a projection below its node.
bool is_candidate(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kColumn:
    case ExprKind::kLiteral:
    case ExprKind::kAlias:
    case ExprKind::kWildcard:
    case ExprKind::kOuterColumn:
    case ExprKind::kAggregateFunction:
    case ExprKind::kScalarSubquery:
    case ExprKind::kExists:
    case ExprKind::kInSubquery:
      return false;
    default:
      break;
  }
  return !logical::contains_aggregate(e) && !contains_volatile(e) && !contains_subquery(e) &&
         !logical::contains_outer_reference(e);
}

bool is_coalesce(const std::string& name) {
  return name == "coalesce" || name == "nvl" || name == "ifnull";
}

// Returns, per child of `e` (in expr_children order), whether it is evaluated only on some of
// the rows `e` is evaluated on (see the class comment).
std::vector<bool> lazy_children(const Expr& e) {
  const size_t n = logical::expr_children(e).size();
  std::vector<bool> lazy(n, false);
  if (e.kind == ExprKind::kCase) {
    // Children: operand (optional), WHEN 1, THEN 1, WHEN 2, ..., ELSE (optional).
    const size_t first_lazy = e.args.size() + (e.case_operand ? 1 : 0) + 1;
    for (size_t i = first_lazy; i < n; ++i) lazy[i] = true;
  } else if (e.kind == ExprKind::kScalarFunction && is_coalesce(e.name)) {
    for (size_t i = 1; i < e.args.size(); ++i) lazy[i] = true;
  } else if (e.kind == ExprKind::kAggregateFunction && e.filter) {
    for (size_t i = 0; i < e.args.size(); ++i) lazy[i] = true;
  }
  return lazy;
}

void count_occurrences(const ExprPtr& e, bool conditional, Counts* counts) {
  if (is_candidate(*e)) {
    Occurrences& o = (*counts)[e->to_string()];
    ++o.total;
    if (!conditional) ++o.unconditional;
  }
  const auto children = logical::expr_children(*e);
  const auto lazy = lazy_children(*e);
  for (size_t i = 0; i < children.size(); ++i) {
    count_occurrences(children[i], conditional || lazy[i], counts);
  }
}

bool is_hoistable(const Counts& counts, const std::string& key) {
  auto it = counts.find(key);
  return it != counts.end() && it->second.total >= 2 && it->second.unconditional >= 1;
}

// Replaces hoistable expressions, largest first, by references to `__common_expr_N` columns and
// collects their definitions.
class Hoister {
 public:
  Hoister(const Counts& counts, const PlanSchema& input, int* counter)
      : counts_(counts), input_(input), counter_(counter) {}

  // Names the column of `e` `name` (when hoisted), so that a projection output `e AS name` made
  // by an upper level becomes a plain pass-through of the column instead of a rename.
  void prefer_name(const ExprPtr& e, const std::string& name) {
    if (!input_has(name)) preferred_.emplace(e->to_string(), name);
  }

  ExprPtr rewrite(const ExprPtr& e) {
    if (is_candidate(*e)) {
      std::string key = e->to_string();
      if (is_hoistable(counts_, key)) return logical::col(std::nullopt, column_for(key, e));
    }
    const auto children = logical::expr_children(*e);
    std::vector<ExprPtr> rewritten;
    rewritten.reserve(children.size());
    bool changed = false;
    for (const auto& child : children) {
      rewritten.push_back(rewrite(child));
      changed = changed || rewritten.back() != child;
    }
    return changed ? logical::with_children(*e, std::move(rewritten)) : e;
  }

  // Returns the hoisted expressions, each aliased to its column name, in first-seen order.
  const std::vector<ExprPtr>& definitions() const { return definitions_; }
  // Returns true when `name` is one of the new columns.
  bool is_common_column(const std::string& name) const { return names_.count(name) != 0; }

 private:
  const std::string& column_for(const std::string& key, const ExprPtr& e) {
    auto it = column_of_.find(key);
    if (it != column_of_.end()) return it->second;
    auto preferred = preferred_.find(key);
    std::string name = preferred != preferred_.end() ? preferred->second : std::string();
    while (name.empty() || input_has(name) || names_.count(name) != 0) {
      name = kCommonPrefix + std::to_string((*counter_)++);
    }
    definitions_.push_back(logical::alias(e, name));
    names_.insert(name);
    return column_of_.emplace(key, std::move(name)).first->second;
  }

  bool input_has(const std::string& name) const {
    for (const auto& f : input_.fields()) {
      if (f.field->name() == name) return true;
    }
    return false;
  }

  const Counts& counts_;
  const PlanSchema& input_;
  int* counter_;
  std::unordered_map<std::string, std::string> column_of_;
  std::unordered_map<std::string, std::string> preferred_;
  std::unordered_set<std::string> names_;
  std::vector<ExprPtr> definitions_;
};

// Returns the expressions of a Projection or Aggregate node without their top-level aliases:
// projection expressions, or group expressions then aggregate calls.
std::vector<ExprPtr> node_roots(const LogicalPlan& node) {
  std::vector<ExprPtr> roots;
  if (node.kind == PlanKind::kProjection) {
    for (const auto& e : node.exprs) roots.push_back(logical::unalias(e));
  } else {
    for (const auto& e : node.group_exprs) roots.push_back(logical::unalias(e));
    for (const auto& e : node.aggr_exprs) roots.push_back(logical::unalias(e));
  }
  return roots;
}

// Returns the node's expressions with `rewritten` roots, named as the node's outputs were.
std::vector<ExprPtr> renamed(const LogicalPlan& node, const std::vector<ExprPtr>& originals,
                             const std::vector<ExprPtr>& roots,
                             const std::vector<ExprPtr>& rewritten, size_t offset) {
  std::vector<ExprPtr> out;
  out.reserve(originals.size());
  for (size_t i = 0; i < originals.size(); ++i) {
    const size_t k = offset + i;
    if (rewritten[k] == roots[k]) {
      out.push_back(originals[i]);
    } else {
      const std::string& name = node.schema.field(static_cast<int>(k)).field->name();
      out.push_back(keep_name(rewritten[k], name));
    }
  }
  return out;
}

arrow::Result<LogicalPlanPtr> eliminate(const LogicalPlanPtr& node, int* counter);

// Builds the Projection below `node` and `node` over it; returns `node` itself when the result
// could not be built or would change the node's output.
arrow::Result<LogicalPlanPtr> hoist(const LogicalPlanPtr& node, const std::vector<ExprPtr>& roots,
                                    const Counts& counts, int* counter) {
  const LogicalPlan& n = *node;
  const LogicalPlanPtr& input = n.inputs[0];
  Hoister hoister(counts, input->schema, counter);
  if (n.kind == PlanKind::kProjection) {
    for (const auto& e : n.exprs) {
      if (e->kind == ExprKind::kAlias && e->name.rfind(kCommonPrefix, 0) == 0) {
        hoister.prefer_name(e->args[0], e->name);
      }
    }
  }
  std::vector<ExprPtr> rewritten;
  rewritten.reserve(roots.size());
  for (const auto& r : roots) rewritten.push_back(hoister.rewrite(r));
  if (hoister.definitions().empty()) return node;

  // The input columns the rewritten expressions still read, in input order.
  const PlanSchema& in = input->schema;
  std::vector<bool> needed(static_cast<size_t>(in.num_fields()), false);
  for (const auto& r : rewritten) {
    for (const auto& c : logical::referenced_columns(*r)) {
      if (!c.relation && hoister.is_common_column(c.name)) continue;
      const int i = in.find(c);
      if (i < 0) return node;
      needed[static_cast<size_t>(i)] = true;
    }
  }
  std::vector<ExprPtr> below_exprs = hoister.definitions();
  for (int i = 0; i < in.num_fields(); ++i) {
    if (!needed[static_cast<size_t>(i)]) continue;
    below_exprs.push_back(logical::col(in.field(i).qualifier, in.field(i).field->name()));
  }
  auto below = logical::make_projection(input, std::move(below_exprs));
  if (!below.ok()) return node;
  // The hoisted expressions may share sub-expressions among themselves.
  ARROW_ASSIGN_OR_RAISE(LogicalPlanPtr lower, eliminate(*below, counter));

  arrow::Result<LogicalPlanPtr> rebuilt;
  if (n.kind == PlanKind::kProjection) {
    rebuilt = logical::make_projection(lower, renamed(n, n.exprs, roots, rewritten, 0));
  } else {
    rebuilt =
        logical::make_aggregate(lower, renamed(n, n.group_exprs, roots, rewritten, 0),
                                renamed(n, n.aggr_exprs, roots, rewritten, n.group_exprs.size()));
  }
  if (!rebuilt.ok() || !same_fields_and_nullability((*rebuilt)->schema, n.schema)) return node;
  return rebuilt;
}

arrow::Result<LogicalPlanPtr> eliminate(const LogicalPlanPtr& node, int* counter) {
  if (node->kind != PlanKind::kProjection && node->kind != PlanKind::kAggregate) return node;
  const std::vector<ExprPtr> roots = node_roots(*node);
  for (const auto& r : roots) {
    // The columns a subquery reads from this node's input are not visible here.
    if (contains_subquery(*r) || logical::contains_outer_reference(*r)) return node;
  }
  Counts counts;
  for (const auto& r : roots) count_occurrences(r, false, &counts);
  bool any = false;
  for (const auto& [key, o] : counts) any = any || (o.total >= 2 && o.unconditional >= 1);
  if (!any) return node;
  return hoist(node, roots, counts, counter);
}

}  // namespace

std::string EliminateCommonSubexpressions::name() const {
  return "eliminate_common_subexpressions";
}

arrow::Result<LogicalPlanPtr> EliminateCommonSubexpressions::rewrite(
    const LogicalPlanPtr& plan, const common::ConfigOptions& options) const {
  if (!options.get_bool("optimizer.eliminate_common_subexpressions")) return plan;
  int counter = 1;
  return transform_plan_up(plan,
                           [&](const LogicalPlanPtr& node) { return eliminate(node, &counter); });
}

}  // namespace quiver::optimizer
