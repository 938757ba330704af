#include "quiver/datasource/row_group_pruning.h"

#include <arrow/compute/api.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/metadata.h>
#include <parquet/statistics.h>

#include <optional>
#include <string>

#include "quiver/datasource/parquet_statistics.h"

namespace quiver::datasource {

namespace {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using ScalarPtr = std::shared_ptr<arrow::Scalar>;

bool numeric_type(const arrow::DataType& t) {
  return arrow::is_integer(t.id()) || arrow::is_floating(t.id());
}

bool binary_like_type(const arrow::DataType& t) {
  return arrow::is_base_binary_like(t.id()) || t.id() == arrow::Type::STRING_VIEW ||
         t.id() == arrow::Type::BINARY_VIEW;
}

// Returns -1, 0 or 1 comparing two non-null scalars, or nullopt when they are not comparable.
std::optional<int> compare(const ScalarPtr& a, const ScalarPtr& b) {
  if (a == nullptr || b == nullptr || !a->is_valid || !b->is_valid) return std::nullopt;
  const auto& ta = *a->type;
  const auto& tb = *b->type;
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (numeric_type(ta) && numeric_type(tb)) {
    if (arrow::is_integer(ta.id()) && arrow::is_integer(tb.id())) {
      auto ia = arrow::compute::Cast(a, arrow::int64());
      auto ib = arrow::compute::Cast(b, arrow::int64());
      if (!ia.ok() || !ib.ok()) return std::nullopt;
      return sign(std::static_pointer_cast<arrow::Int64Scalar>(ia->scalar())->value,
                  std::static_pointer_cast<arrow::Int64Scalar>(ib->scalar())->value);
    }
    auto da = arrow::compute::Cast(a, arrow::float64());
    auto db = arrow::compute::Cast(b, arrow::float64());
    if (!da.ok() || !db.ok()) return std::nullopt;
    const double x = std::static_pointer_cast<arrow::DoubleScalar>(da->scalar())->value;
    const double y = std::static_pointer_cast<arrow::DoubleScalar>(db->scalar())->value;
    if (x != x || y != y) return std::nullopt;  // NaN
    return sign(x, y);
  }
  if (binary_like_type(ta) && binary_like_type(tb)) {
    const auto& sa = static_cast<const arrow::BaseBinaryScalar&>(*a);
    const auto& sb = static_cast<const arrow::BaseBinaryScalar&>(*b);
    const int c = sa.view().compare(sb.view());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  // Other types (dates, timestamps, decimals, booleans): compare in a's type.
  ScalarPtr other = b;
  if (!tb.Equals(ta)) {
    auto cast = arrow::compute::Cast(b, a->type);
    if (!cast.ok()) return std::nullopt;
    other = cast->scalar();
  }
  auto less = arrow::compute::CallFunction("less", {a, other});
  auto equal = arrow::compute::CallFunction("equal", {a, other});
  if (!less.ok() || !equal.ok()) return std::nullopt;
  const auto& l = static_cast<const arrow::BooleanScalar&>(*less->scalar());
  const auto& e = static_cast<const arrow::BooleanScalar&>(*equal->scalar());
  if (!l.is_valid || !e.is_valid) return std::nullopt;
  return l.value ? -1 : (e.value ? 0 : 1);
}

// Returns the column an operand reads, looking through widening numeric casts.
const Expr* column_operand(const Expr& e, const arrow::Schema& schema) {
  if (e.kind == ExprKind::kColumn) {
    return schema.GetFieldIndex(e.column.name) >= 0 ? &e : nullptr;
  }
  if (e.kind == ExprKind::kCast && e.args.size() == 1 && e.cast_type != nullptr) {
    const Expr* inner = column_operand(*e.args[0], schema);
    if (inner == nullptr) return nullptr;
    const auto& from = *schema.GetFieldByName(inner->column.name)->type();
    const auto& to = *e.cast_type;
    const bool widening = arrow::is_integer(from.id()) &&
                          (arrow::is_floating(to.id()) || to.id() == arrow::Type::INT64);
    const bool float_widening = arrow::is_floating(from.id()) && to.id() == arrow::Type::DOUBLE;
    if (from.Equals(to) || widening || float_widening) return inner;
  }
  return nullptr;
}

// Returns the value of a constant operand (a literal, or a cast of one).
ScalarPtr literal_operand(const Expr& e) {
  if (e.kind == ExprKind::kLiteral) return e.literal;
  if (e.kind == ExprKind::kCast && e.args.size() == 1 && e.cast_type != nullptr) {
    ScalarPtr inner = literal_operand(*e.args[0]);
    if (inner == nullptr) return nullptr;
    auto cast = arrow::compute::Cast(inner, e.cast_type);
    if (!cast.ok()) return nullptr;
    return cast->scalar();
  }
  return nullptr;
}

// `NOT (col op lit)` is `col negate(op) lit` (NULL rows satisfy neither).
BinaryOp negate(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
      return BinaryOp::kNotEq;
    case BinaryOp::kNotEq:
      return BinaryOp::kEq;
    case BinaryOp::kLt:
      return BinaryOp::kGtEq;
    case BinaryOp::kLtEq:
      return BinaryOp::kGt;
    case BinaryOp::kGt:
      return BinaryOp::kLtEq;
    case BinaryOp::kGtEq:
      return BinaryOp::kLt;
    default:
      return op;
  }
}

// What the statistics of one column chunk say.
struct ColumnStats {
  ScalarPtr min, max;                 // null when unknown
  std::optional<int64_t> null_count;  // nullopt when unknown
  int64_t num_rows = 0;
  bool all_null() const { return null_count && *null_count == num_rows; }
};

// Evaluates whether any row of one row group may satisfy a predicate.
class RowGroupEvaluator {
 public:
  RowGroupEvaluator(const parquet::RowGroupMetaData& row_group,
                    const parquet::arrow::SchemaManifest& manifest, const arrow::Schema& schema)
      : row_group_(row_group), manifest_(manifest), schema_(schema) {}

  // `negated` evaluates NOT e instead of e.
  bool may_match(const Expr& e, bool negated) const {
    switch (e.kind) {
      case ExprKind::kNot:
        return e.args.size() == 1 ? may_match(*e.args[0], !negated) : true;
      case ExprKind::kLiteral: {
        if (e.literal == nullptr || e.literal->type->id() != arrow::Type::BOOL) return true;
        if (!e.literal->is_valid) return false;  // NULL and NOT NULL are both not true
        return static_cast<const arrow::BooleanScalar&>(*e.literal).value != negated;
      }
      case ExprKind::kBinary:
        return binary(e, negated);
      case ExprKind::kIsNull: {
        auto stats = column_stats_of(*e.args[0]);
        if (!stats) return true;
        const bool want_null = (e.negated != negated) ? false : true;
        if (!stats->null_count) return true;
        return want_null ? *stats->null_count > 0 : *stats->null_count < stats->num_rows;
      }
      case ExprKind::kInList:
        return in_list(e, e.negated != negated);
      case ExprKind::kBetween:
        return between(e, e.negated != negated);
      default:
        return true;
    }
  }

 private:
  bool binary(const Expr& e, bool negated) const {
    if (e.args.size() != 2) return true;
    if (e.op == BinaryOp::kAnd || e.op == BinaryOp::kOr) {
      // De Morgan under negation.
      const bool is_and = (e.op == BinaryOp::kAnd) != negated;
      const bool l = may_match(*e.args[0], negated);
      if (is_and && !l) return false;
      if (!is_and && l) return true;
      return may_match(*e.args[1], negated);
    }
    if (!logical::is_ordering_comparison(e.op)) return true;
    BinaryOp op = negated ? negate(e.op) : e.op;
    const Expr* column = column_operand(*e.args[0], schema_);
    ScalarPtr value = literal_operand(*e.args[1]);
    if (column == nullptr || value == nullptr) {
      column = column_operand(*e.args[1], schema_);
      value = literal_operand(*e.args[0]);
      op = logical::flipped_comparison(op);
    }
    if (column == nullptr || value == nullptr) return true;
    if (!value->is_valid) return false;  // comparing with NULL is never true
    auto stats = stats_for(column->column.name);
    if (!stats) return true;
    return compare_may_match(*stats, op, value);
  }

  static bool compare_may_match(const ColumnStats& s, BinaryOp op, const ScalarPtr& v) {
    if (s.all_null()) return false;
    if (s.min == nullptr || s.max == nullptr) return true;
    const auto lo = compare(s.min, v);  // min vs v
    const auto hi = compare(s.max, v);  // max vs v
    if (!lo || !hi) return true;
    switch (op) {
      case BinaryOp::kEq:
        return *lo <= 0 && *hi >= 0;
      case BinaryOp::kNotEq:
        return !(*lo == 0 && *hi == 0);
      case BinaryOp::kLt:
        return *lo < 0;
      case BinaryOp::kLtEq:
        return *lo <= 0;
      case BinaryOp::kGt:
        return *hi > 0;
      case BinaryOp::kGtEq:
        return *hi >= 0;
      default:
        return true;
    }
  }

  bool in_list(const Expr& e, bool negated) const {
    if (e.args.empty()) return true;
    const Expr* column = column_operand(*e.args[0], schema_);
    if (column == nullptr) return true;
    std::vector<ScalarPtr> values;
    for (size_t i = 1; i < e.args.size(); ++i) {
      ScalarPtr v = literal_operand(*e.args[i]);
      if (v == nullptr) return true;
      values.push_back(std::move(v));
    }
    auto stats = stats_for(column->column.name);
    if (!stats) return true;
    if (stats->all_null()) return false;
    if (!negated) {
      for (const auto& v : values) {
        if (!v->is_valid) continue;
        if (compare_may_match(*stats, BinaryOp::kEq, v)) return true;
      }
      return false;
    }
    // NOT IN: no row matches when the list holds NULL, or when every value is one listed value.
    for (const auto& v : values) {
      if (!v->is_valid) return false;
    }
    for (const auto& v : values) {
      if (!compare_may_match(*stats, BinaryOp::kNotEq, v)) return false;
    }
    return true;
  }

  bool between(const Expr& e, bool negated) const {
    if (e.args.size() != 3) return true;
    const Expr* column = column_operand(*e.args[0], schema_);
    ScalarPtr low = literal_operand(*e.args[1]);
    ScalarPtr high = literal_operand(*e.args[2]);
    if (column == nullptr || low == nullptr || high == nullptr) return true;
    auto stats = stats_for(column->column.name);
    if (!stats) return true;
    if (!negated) {
      return compare_may_match(*stats, BinaryOp::kGtEq, low) &&
             compare_may_match(*stats, BinaryOp::kLtEq, high);
    }
    return compare_may_match(*stats, BinaryOp::kLt, low) ||
           compare_may_match(*stats, BinaryOp::kGt, high);
  }

  std::optional<ColumnStats> column_stats_of(const Expr& operand) const {
    const Expr* column = column_operand(operand, schema_);
    if (column == nullptr) return std::nullopt;
    return stats_for(column->column.name);
  }

  std::optional<ColumnStats> stats_for(const std::string& name) const {
    auto statistics = row_group_column_statistics(row_group_, manifest_, name);
    if (!statistics) return std::nullopt;
    return ColumnStats{std::move(statistics->min), std::move(statistics->max),
                       statistics->null_count, row_group_.num_rows()};
  }

  const parquet::RowGroupMetaData& row_group_;
  const parquet::arrow::SchemaManifest& manifest_;
  const arrow::Schema& schema_;
};

bool prunable(const Expr& e, const arrow::Schema& schema) {
  switch (e.kind) {
    case ExprKind::kNot:
      return e.args.size() == 1 && prunable(*e.args[0], schema);
    case ExprKind::kBinary:
      if (e.args.size() != 2) return false;
      if (e.op == BinaryOp::kAnd)
        return prunable(*e.args[0], schema) || prunable(*e.args[1], schema);
      if (e.op == BinaryOp::kOr)
        return prunable(*e.args[0], schema) && prunable(*e.args[1], schema);
      if (!logical::is_ordering_comparison(e.op)) return false;
      return (column_operand(*e.args[0], schema) && literal_operand(*e.args[1])) ||
             (column_operand(*e.args[1], schema) && literal_operand(*e.args[0]));
    case ExprKind::kIsNull:
      return e.args.size() == 1 && column_operand(*e.args[0], schema) != nullptr;
    case ExprKind::kInList:
      if (e.args.empty() || column_operand(*e.args[0], schema) == nullptr) return false;
      for (size_t i = 1; i < e.args.size(); ++i) {
        if (literal_operand(*e.args[i]) == nullptr) return false;
      }
      return true;
    case ExprKind::kBetween:
      return e.args.size() == 3 && column_operand(*e.args[0], schema) != nullptr &&
             literal_operand(*e.args[1]) != nullptr && literal_operand(*e.args[2]) != nullptr;
    default:
      return false;
  }
}

}  // namespace

RowGroupPruner::RowGroupPruner(std::vector<logical::ExprPtr> predicates,
                               std::shared_ptr<arrow::Schema> table_schema)
    : predicates_(std::move(predicates)), table_schema_(std::move(table_schema)) {}

bool RowGroupPruner::can_prune(const logical::Expr& predicate, const arrow::Schema& table_schema) {
  return prunable(predicate, table_schema);
}

bool RowGroupPruner::may_match(const parquet::RowGroupMetaData& row_group,
                               const parquet::arrow::SchemaManifest& manifest) const {
  RowGroupEvaluator evaluator(row_group, manifest, *table_schema_);
  for (const auto& predicate : predicates_) {
    if (predicate != nullptr && !evaluator.may_match(*predicate, /*negated=*/false)) return false;
  }
  return true;
}

std::vector<int> RowGroupPruner::select_row_groups(
    const parquet::FileMetaData& metadata, const parquet::arrow::SchemaManifest& manifest) const {
  std::vector<int> selected;
  for (int i = 0; i < metadata.num_row_groups(); ++i) {
    if (predicates_.empty() || may_match(*metadata.RowGroup(i), manifest)) selected.push_back(i);
  }
  return selected;
}

}  // namespace quiver::datasource
