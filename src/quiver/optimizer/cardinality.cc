#include "quiver/optimizer/cardinality.h"

#include <arrow/scalar.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "quiver/catalog/table_provider.h"
#include "quiver/optimizer/expr_rewrite.h"
#include "quiver/optimizer/range_selectivity.h"

namespace quiver::optimizer {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::JoinType;
using logical::LogicalPlan;
using logical::PlanKind;

namespace {

constexpr double kDefaultTableRows = 1000.0;
constexpr double kEqualitySelectivity = 0.1;
constexpr double kRangeSelectivity = 0.33;
constexpr double kDefaultSelectivity = 0.5;
constexpr double kGroupReduction = 0.1;
constexpr double kSemiJoinFraction = 0.5;
constexpr double kLikeCharSelectivity = 0.6;
constexpr double kMinLikeSelectivity = 1e-4;

double table_rows(const LogicalPlan& scan) {
  if (scan.table) {
    if (auto n = scan.table->num_rows()) return static_cast<double>(*n);
  }
  return kDefaultTableRows;
}

double cap(double rows, std::optional<int64_t> fetch) {
  return fetch ? std::min(rows, static_cast<double>(*fetch)) : rows;
}

// Returns `e` without a top-level cast or alias.
const Expr& strip_cast(const Expr& e) {
  return e.kind == ExprKind::kCast || e.kind == ExprKind::kAlias ? *e.args[0] : e;
}

// Returns the number of values `column` of `plan` can take: the row count of the table it comes
// from, bounded by the keys it is equated with below (nullopt when it is computed).
std::optional<double> base_distinct(const logical::Column& column, const LogicalPlan& plan) {
  const int i = plan.schema.find(column);
  if (i < 0) return std::nullopt;
  const auto& field = plan.schema.field(i);
  const logical::Column here{field.qualifier, field.field->name()};
  switch (plan.kind) {
    case PlanKind::kTableScan: {
      // At most the table's rows, and at most the span of an integer column's values.
      const double rows = table_rows(plan);
      const auto span = integer_span(traced_column_statistics(here, plan));
      return span ? std::min(rows, *span) : rows;
    }
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit:
      return base_distinct(here, *plan.inputs[0]);
    case PlanKind::kSubqueryAlias: {
      const auto& f = plan.inputs[0]->schema.field(i);
      return base_distinct(logical::Column{f.qualifier, f.field->name()}, *plan.inputs[0]);
    }
    case PlanKind::kProjection: {
      const ExprPtr e = logical::unalias(plan.exprs[static_cast<size_t>(i)]);
      if (e->kind != ExprKind::kColumn) return std::nullopt;
      return base_distinct(e->column, *plan.inputs[0]);
    }
    case PlanKind::kJoin: {
      const int left_width = plan.inputs[0]->schema.num_fields();
      const bool from_left = i < left_width || plan.join_type == JoinType::kLeftSemi ||
                             plan.join_type == JoinType::kLeftAnti;
      const LogicalPlan& input = *plan.inputs[from_left ? 0 : 1];
      std::optional<double> own = base_distinct(here, input);
      if (plan.join_type != JoinType::kInner || !own) return own;
      // Below an inner equi-join a key column only keeps values the other key has: its domain
      // is at most the other key's (`s.nation = n.id` bounds s.nation by the nation table).
      const LogicalPlan& other = *plan.inputs[from_left ? 1 : 0];
      for (const auto& [lk, rk] : plan.join_on) {
        const Expr& mine = strip_cast(from_left ? *lk : *rk);
        const Expr& theirs = strip_cast(from_left ? *rk : *lk);
        if (mine.kind != ExprKind::kColumn || theirs.kind != ExprKind::kColumn) continue;
        if (input.schema.find(mine.column) != input.schema.find(here)) continue;
        if (auto bound = base_distinct(theirs.column, other)) own = std::min(*own, *bound);
      }
      return own;
    }
    default:
      return std::nullopt;
  }
}

double comparison_selectivity(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
    case BinaryOp::kIsNotDistinctFrom:
      return kEqualitySelectivity;
    case BinaryOp::kNotEq:
    case BinaryOp::kIsDistinctFrom:
      return 1.0 - kEqualitySelectivity;
    case BinaryOp::kLt:
    case BinaryOp::kLtEq:
    case BinaryOp::kGt:
    case BinaryOp::kGtEq:
      return kRangeSelectivity;
    default:
      return kDefaultSelectivity;
  }
}

// Returns the number of distinct values `key` can take in its table (the table's row count for
// a column traced to a scan), or `fallback` when unknown.
double key_domain(const Expr& key, const LogicalPlan& plan, double fallback) {
  const Expr& e = strip_cast(key);
  if (e.kind != ExprKind::kColumn) return fallback;
  return base_distinct(e.column, plan).value_or(fallback);
}

// Returns the selectivity of the conjunction of `conjuncts` over `input`: ranges on columns with
// known statistics by interpolation (range_selectivity.h), the others by the fixed guesses.
double conjunction_selectivity(const std::vector<ExprPtr>& conjuncts, const LogicalPlan& input) {
  std::vector<ExprPtr> rest;
  double sel = range_selectivity(conjuncts, input, &rest);
  for (const auto& c : rest) sel *= estimate_selectivity(*c);
  return sel;
}

// The fraction of rows `x LIKE 'pattern'` keeps: each literal character of the pattern keeps
// kLikeCharSelectivity of them (PostgreSQL's heuristic without statistics, which takes 0.2 per
// character, is milder here: short words are common in text), at least kMinLikeSelectivity.
// TPC-H: '%green%' keeps 5% of part names (estimate 7.8%), 'forest%' 1% (4.7%), '%BRASS' 20%
// (7.8%). A pattern that is not a literal keeps a quarter.
double like_selectivity(const Expr& like) {
  const Expr& pattern = *like.args[1];
  if (pattern.kind != ExprKind::kLiteral || pattern.literal == nullptr ||
      !pattern.literal->is_valid || !arrow::is_base_binary_like(pattern.literal->type->id())) {
    return 0.25;
  }
  const auto& text = static_cast<const arrow::BaseBinaryScalar&>(*pattern.literal).value;
  int fixed = 0;
  for (int64_t i = 0; i < text->size(); ++i) {
    const char c = static_cast<char>(text->data()[i]);
    if (c != '%' && c != '_') ++fixed;
  }
  return std::max(kMinLikeSelectivity, std::pow(kLikeCharSelectivity, fixed));
}

double join_rows(const LogicalPlan& join) {
  const LogicalPlan& l = *join.inputs[0];
  const LogicalPlan& r = *join.inputs[1];
  const double left = estimate_rows(l);
  const double right = estimate_rows(r);
  double inner = left * right;
  if (!join.join_on.empty()) {
    // The key pair's common domain is the smaller table's (a primary key that the other side's
    // foreign key points into). Each side's keys are taken to be spread over that domain
    // independently of the other side's filters, so a row finds right / domain partners.
    double domain = 1.0;
    for (const auto& [lk, rk] : join.join_on) {
      domain = std::max(domain, std::min(key_domain(*lk, l, left), key_domain(*rk, r, right)));
    }
    inner = left * right / domain;
  }
  if (join.join_filter) {
    inner *= conjunction_selectivity(split_conjunction(join.join_filter), join);
  }
  switch (join.join_type) {
    case JoinType::kLeft:
      return std::max(inner, left);
    case JoinType::kRight:
      return std::max(inner, right);
    case JoinType::kFull:
      return std::max(inner, left + right);
    case JoinType::kLeftSemi:
      // A left row is kept when it finds a partner: with `right / domain` partners expected
      // per row, at most all of them (TPC-H q04: the orders of one quarter that have a late
      // lineitem; q20: the partsupp rows of the parts named 'forest%').
      return join.join_on.empty() ? left * kSemiJoinFraction : std::min(left, inner);
    case JoinType::kLeftAnti:
      return left * kSemiJoinFraction;
    default:
      return inner;
  }
}

}  // namespace

double estimate_selectivity(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kAlias:
      return estimate_selectivity(*e.args[0]);
    case ExprKind::kLiteral:
      return is_bool_literal(e, true) ? 1.0 : (is_bool_literal(e, false) ? 0.0 : 0.5);
    case ExprKind::kBinary: {
      if (e.op == BinaryOp::kAnd) {
        return estimate_selectivity(*e.args[0]) * estimate_selectivity(*e.args[1]);
      }
      if (e.op == BinaryOp::kOr) {
        const double a = estimate_selectivity(*e.args[0]);
        const double b = estimate_selectivity(*e.args[1]);
        return a + b - a * b;
      }
      return comparison_selectivity(e.op);
    }
    case ExprKind::kNot:
      return 1.0 - estimate_selectivity(*e.args[0]);
    case ExprKind::kIsNull:
      return e.negated ? 1.0 - kEqualitySelectivity : kEqualitySelectivity;
    case ExprKind::kBetween:
      return e.negated ? 0.75 : 0.25;
    case ExprKind::kLike: {
      const double sel = like_selectivity(e);
      return e.negated ? 1.0 - sel : sel;
    }
    case ExprKind::kInList: {
      const double in =
          std::min(1.0, kEqualitySelectivity * static_cast<double>(e.args.size() - 1));
      return e.negated ? 1.0 - in : in;
    }
    default:
      return kDefaultSelectivity;
  }
}

double estimate_distinct(const Expr& expr, const LogicalPlan& plan) {
  const double rows = estimate_rows(plan);
  const ExprPtr inner =
      expr.kind == ExprKind::kCast || expr.kind == ExprKind::kAlias ? expr.args[0] : nullptr;
  const Expr& e = inner ? *inner : expr;
  std::optional<double> base;
  if (e.kind == ExprKind::kColumn) base = base_distinct(e.column, plan);
  return std::min(rows, base.value_or(rows));
}

std::optional<double> column_domain(const logical::Column& column, const LogicalPlan& plan) {
  return base_distinct(column, plan);
}

double estimate_rows(const LogicalPlan& plan) {
  switch (plan.kind) {
    case PlanKind::kTableScan: {
      const double rows = table_rows(plan) * conjunction_selectivity(plan.scan_filters, plan);
      return cap(rows, plan.scan_fetch);
    }
    case PlanKind::kFilter: {
      // Conjuncts a scan right below already counted (as pushed-down filters) count once.
      const LogicalPlan& input = *plan.inputs[0];
      std::vector<ExprPtr> uncounted;
      for (const auto& c : split_conjunction(plan.predicate)) {
        bool counted = false;
        if (input.kind == PlanKind::kTableScan) {
          const std::string text =
              replace_columns(c, [](const logical::Column& col) {
                return std::optional<ExprPtr>(logical::col(std::nullopt, col.name));
              })->to_string();
          for (const auto& f : input.scan_filters) counted = counted || f->to_string() == text;
        }
        if (!counted) uncounted.push_back(c);
      }
      return estimate_rows(input) * conjunction_selectivity(uncounted, input);
    }
    case PlanKind::kAggregate:
      if (plan.group_exprs.empty()) return 1.0;
      return std::max(1.0, estimate_rows(*plan.inputs[0]) * kGroupReduction);
    case PlanKind::kSort:
      return cap(estimate_rows(*plan.inputs[0]), plan.fetch);
    case PlanKind::kLimit:
      return cap(std::max(0.0, estimate_rows(*plan.inputs[0]) - static_cast<double>(plan.skip)),
                 plan.fetch);
    case PlanKind::kUnion: {
      double rows = 0;
      for (const auto& input : plan.inputs) rows += estimate_rows(*input);
      return rows;
    }
    case PlanKind::kValues:
      return static_cast<double>(plan.values.size());
    case PlanKind::kEmptyRelation:
      return plan.produce_one_row ? 1.0 : 0.0;
    case PlanKind::kJoin:
      return join_rows(plan);
    case PlanKind::kProjection:
    case PlanKind::kSubqueryAlias:
      return estimate_rows(*plan.inputs[0]);
  }
  return kDefaultTableRows;
}

std::optional<double> estimate_known_rows(const LogicalPlan& plan) {
  if (plan.kind == PlanKind::kTableScan && !(plan.table && plan.table->num_rows())) {
    if (plan.scan_fetch) return static_cast<double>(*plan.scan_fetch);
    return std::nullopt;
  }
  for (const auto& input : plan.inputs) {
    if (estimate_known_rows(*input)) continue;
    const bool capped =
        (plan.kind == PlanKind::kLimit || plan.kind == PlanKind::kSort) && plan.fetch.has_value();
    if (!capped) return std::nullopt;
    return static_cast<double>(*plan.fetch);
  }
  return estimate_rows(plan);
}

}  // namespace quiver::optimizer
