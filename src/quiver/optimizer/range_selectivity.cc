#include "quiver/optimizer/range_selectivity.h"

#include <arrow/scalar.h>
#include <arrow/type.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

#include "quiver/catalog/table_provider.h"

namespace quiver::optimizer {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;
using logical::JoinType;
using logical::LogicalPlan;
using logical::PlanKind;

namespace {

// The smallest selectivity a range gives: a range proven empty still estimates a few rows, so a
// plan over it stays ordered sensibly.
constexpr double kMinSelectivity = 1e-6;

// Returns a scalar's position on the number line (integers, floats, decimals, dates,
// timestamps), or nullopt for other types and NULL.
std::optional<double> position(const arrow::Scalar& s) {
  if (!s.is_valid) return std::nullopt;
  switch (s.type->id()) {
#define QUIVER_POSITION(TYPE_ID, SCALAR) \
  case arrow::Type::TYPE_ID:             \
    return static_cast<double>(static_cast<const arrow::SCALAR&>(s).value);
    QUIVER_POSITION(INT8, Int8Scalar)
    QUIVER_POSITION(INT16, Int16Scalar)
    QUIVER_POSITION(INT32, Int32Scalar)
    QUIVER_POSITION(INT64, Int64Scalar)
    QUIVER_POSITION(UINT8, UInt8Scalar)
    QUIVER_POSITION(UINT16, UInt16Scalar)
    QUIVER_POSITION(UINT32, UInt32Scalar)
    QUIVER_POSITION(UINT64, UInt64Scalar)
    QUIVER_POSITION(FLOAT, FloatScalar)
    QUIVER_POSITION(DOUBLE, DoubleScalar)
    QUIVER_POSITION(DATE32, Date32Scalar)
    QUIVER_POSITION(DATE64, Date64Scalar)
    QUIVER_POSITION(TIMESTAMP, TimestampScalar)
#undef QUIVER_POSITION
    case arrow::Type::DECIMAL128: {
      const auto& d = static_cast<const arrow::Decimal128Scalar&>(s);
      const auto& type = static_cast<const arrow::Decimal128Type&>(*s.type);
      return d.value.ToDouble(type.scale());
    }
    default:
      return std::nullopt;
  }
}

// Whether two scalars' positions are comparable: same unit (dates with dates, timestamps with
// timestamps of one unit, numbers with numbers).
bool same_scale(const arrow::DataType& a, const arrow::DataType& b) {
  auto kind = [](const arrow::DataType& t) {
    if (t.id() == arrow::Type::DATE32) return 1;
    if (t.id() == arrow::Type::DATE64) return 2;
    if (t.id() == arrow::Type::TIMESTAMP) {
      return 3 + static_cast<int>(static_cast<const arrow::TimestampType&>(t).unit());
    }
    return 0;
  };
  return kind(a) == kind(b);
}

bool counts_values(const arrow::DataType& t) {
  return arrow::is_integer(t.id()) || t.id() == arrow::Type::DATE32;
}

const Expr& strip_cast(const Expr& e) {
  return e.kind == ExprKind::kCast || e.kind == ExprKind::kAlias ? strip_cast(*e.args[0]) : e;
}

// Returns the constant an operand holds (a literal, possibly cast), or null.
const arrow::Scalar* constant(const Expr& e) {
  const Expr& inner = strip_cast(e);
  return inner.kind == ExprKind::kLiteral && inner.literal != nullptr ? inner.literal.get()
                                                                      : nullptr;
}

// A column's known span and the bounds the conjuncts put on it.
struct Range {
  double min = 0, max = 0;
  bool counts = false;  // integer-valued: max - min + 1 distinct values at most
  double low = 0, high = 0;
  double points = -1;  // values of `=` / IN (when set, the range is those points)
};

class RangeCollector {
 public:
  explicit RangeCollector(const LogicalPlan& input) : input_(input) {}

  // Folds `e` into the ranges and returns true, or returns false when it does not apply.
  bool add(const Expr& e) {
    if (e.kind == ExprKind::kBinary && e.args.size() == 2) {
      BinaryOp op = e.op;
      const Expr* column = &strip_cast(*e.args[0]);
      const arrow::Scalar* value = constant(*e.args[1]);
      if (column->kind != ExprKind::kColumn || value == nullptr) {
        column = &strip_cast(*e.args[1]);
        value = constant(*e.args[0]);
        op = logical::flipped_comparison(op);
      }
      if (column->kind != ExprKind::kColumn || value == nullptr) return false;
      Range* range = range_of(*column, *value);
      if (range == nullptr) return false;
      const double v = *position(*value);
      switch (op) {
        // An integer column's strict bound excludes the value itself.
        case BinaryOp::kLt:
          range->high = std::min(range->high, range->counts ? v - 1 : v);
          return true;
        case BinaryOp::kLtEq:
          range->high = std::min(range->high, v);
          return true;
        case BinaryOp::kGt:
          range->low = std::max(range->low, range->counts ? v + 1 : v);
          return true;
        case BinaryOp::kGtEq:
          range->low = std::max(range->low, v);
          return true;
        case BinaryOp::kEq:
          return points(*range, {v});
        default:
          return false;
      }
    }
    if (e.kind == ExprKind::kBetween && !e.negated && e.args.size() == 3) {
      const Expr& column = strip_cast(*e.args[0]);
      const arrow::Scalar* low = constant(*e.args[1]);
      const arrow::Scalar* high = constant(*e.args[2]);
      if (column.kind != ExprKind::kColumn || low == nullptr || high == nullptr) return false;
      Range* range = range_of(column, *low);
      if (range == nullptr || !position(*high)) return false;
      range->low = std::max(range->low, *position(*low));
      range->high = std::min(range->high, *position(*high));
      return true;
    }
    if (e.kind == ExprKind::kInList && !e.negated && e.args.size() > 1) {
      const Expr& column = strip_cast(*e.args[0]);
      if (column.kind != ExprKind::kColumn) return false;
      std::vector<double> values;
      Range* range = nullptr;
      for (size_t i = 1; i < e.args.size(); ++i) {
        const arrow::Scalar* value = constant(*e.args[i]);
        if (value == nullptr) return false;
        range = range_of(column, *value);
        if (range == nullptr) return false;
        values.push_back(*position(*value));
      }
      return points(*range, values);
    }
    return false;
  }

  // Returns the product of the ranges' fractions of their columns' spans.
  double selectivity() const {
    double out = 1.0;
    for (const auto& [column, entry] : ranges_) {
      const Range& r = entry.range;
      const double width = r.max - r.min;
      double fraction;
      if (r.points >= 0) {
        fraction = r.points / (width + 1);
      } else if (r.high < r.low) {
        fraction = 0;
      } else if (width <= 0) {
        fraction = 1;
      } else {
        // An integer column's range [low, high] holds high - low + 1 of its width + 1 values.
        fraction = r.counts ? (r.high - r.low + 1) / (width + 1) : (r.high - r.low) / width;
      }
      out *= std::clamp(fraction, kMinSelectivity, 1.0);
    }
    return out;
  }

 private:
  // Returns the range of `column` compared with `value`, creating it from the column's
  // statistics; null when they are unknown or not comparable with the value.
  Range* range_of(const Expr& column, const arrow::Scalar& value) {
    if (!position(value)) return nullptr;
    const int index = input_.schema.find(column.column);
    if (index < 0) return nullptr;
    if (auto it = ranges_.find(index); it != ranges_.end()) {
      return same_scale(*it->second.type, *value.type) ? &it->second.range : nullptr;
    }
    const catalog::ColumnStatistics stats = traced_column_statistics(column.column, input_);
    if (stats.min == nullptr || stats.max == nullptr) return nullptr;
    const auto min = position(*stats.min);
    const auto max = position(*stats.max);
    if (!min || !max || !same_scale(*stats.min->type, *value.type)) return nullptr;
    Range range;
    range.min = range.low = *min;
    range.max = range.high = *max;
    range.counts = counts_values(*stats.min->type);
    auto& entry = ranges_[index];
    entry.range = range;
    entry.type = stats.min->type;
    return &entry.range;
  }

  // Restricts `range` to the points `values` (only for integer-valued columns).
  static bool points(Range& range, const std::vector<double>& values) {
    if (!range.counts) return false;
    double inside = 0;
    for (double v : values) inside += v >= range.low && v <= range.high ? 1 : 0;
    range.points = range.points < 0 ? inside : std::min(range.points, inside);
    return true;
  }

  struct Entry {
    Range range;
    std::shared_ptr<arrow::DataType> type;
  };
  const LogicalPlan& input_;
  std::map<int, Entry> ranges_;  // by column index in the input
};

}  // namespace

std::optional<double> integer_span(const catalog::ColumnStatistics& stats) {
  if (stats.min == nullptr || stats.max == nullptr || !counts_values(*stats.min->type)) {
    return std::nullopt;
  }
  const auto min = position(*stats.min);
  const auto max = position(*stats.max);
  if (!min || !max || *max < *min) return std::nullopt;
  return *max - *min + 1;
}

catalog::ColumnStatistics traced_column_statistics(const logical::Column& column,
                                                   const LogicalPlan& plan) {
  const int i = plan.schema.find(column);
  if (i < 0) return {};
  switch (plan.kind) {
    case PlanKind::kTableScan: {
      if (plan.table == nullptr) return {};
      const int index = plan.table->schema()->GetFieldIndex(plan.schema.field(i).field->name());
      return index < 0 ? catalog::ColumnStatistics{} : plan.table->column_statistics(index);
    }
    case PlanKind::kFilter:
    case PlanKind::kSort:
    case PlanKind::kLimit:
    case PlanKind::kSubqueryAlias: {
      const auto& f = plan.inputs[0]->schema.field(i);
      return traced_column_statistics(logical::Column{f.qualifier, f.field->name()},
                                      *plan.inputs[0]);
    }
    case PlanKind::kProjection: {
      const ExprPtr e = logical::unalias(plan.exprs[static_cast<size_t>(i)]);
      if (e->kind != ExprKind::kColumn) return {};
      return traced_column_statistics(e->column, *plan.inputs[0]);
    }
    case PlanKind::kJoin: {
      const int left_width = plan.inputs[0]->schema.num_fields();
      const bool semi =
          plan.join_type == JoinType::kLeftSemi || plan.join_type == JoinType::kLeftAnti;
      const bool from_left = i < left_width || semi;
      const LogicalPlan& input = *plan.inputs[from_left ? 0 : 1];
      const auto& f = input.schema.field(from_left ? i : i - left_width);
      return traced_column_statistics(logical::Column{f.qualifier, f.field->name()}, input);
    }
    default:
      return {};
  }
}

double range_selectivity(const std::vector<ExprPtr>& conjuncts, const LogicalPlan& input,
                         std::vector<ExprPtr>* rest) {
  RangeCollector ranges(input);
  for (const auto& c : conjuncts) {
    if (!ranges.add(*c)) rest->push_back(c);
  }
  return ranges.selectivity();
}

}  // namespace quiver::optimizer
