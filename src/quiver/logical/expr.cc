#include "quiver/logical/expr.h"

#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/util/decimal.h>

#include <algorithm>
#include <cctype>
#include <utility>

namespace quiver::logical {

namespace {

int precedence_of(BinaryOp op) {
  switch (op) {
    case BinaryOp::kOr:
      return 1;
    case BinaryOp::kAnd:
      return 2;
    case BinaryOp::kEq:
    case BinaryOp::kNotEq:
    case BinaryOp::kLt:
    case BinaryOp::kLtEq:
    case BinaryOp::kGt:
    case BinaryOp::kGtEq:
    case BinaryOp::kIsDistinctFrom:
    case BinaryOp::kIsNotDistinctFrom:
      return 3;
    case BinaryOp::kStringConcat:
      return 4;
    case BinaryOp::kPlus:
    case BinaryOp::kMinus:
      return 5;
    case BinaryOp::kMultiply:
    case BinaryOp::kDivide:
    case BinaryOp::kModulo:
      return 6;
  }
  return 0;
}

std::string time_unit_name(arrow::TimeUnit::type unit) {
  switch (unit) {
    case arrow::TimeUnit::SECOND:
      return "Second";
    case arrow::TimeUnit::MILLI:
      return "Millisecond";
    case arrow::TimeUnit::MICRO:
      return "Microsecond";
    case arrow::TimeUnit::NANO:
      return "Nanosecond";
  }
  return "Unknown";
}

std::string render(const Expr& e, bool as_name);

std::string render_list(const std::vector<ExprPtr>& exprs, size_t from, bool as_name) {
  std::string out;
  for (size_t i = from; i < exprs.size(); ++i) {
    if (i > from) out += ", ";
    out += render(*exprs[i], as_name);
  }
  return out;
}

std::string render_operand(const Expr& child, int parent_precedence, bool as_name) {
  std::string text = render(child, as_name);
  if (child.kind == ExprKind::kBinary && binary_op_precedence(child.op) < parent_precedence) {
    return "(" + text + ")";
  }
  return text;
}

std::string render_case(const Expr& e, bool as_name) {
  std::string out = "CASE";
  if (e.case_operand) out += " " + render(*e.case_operand, as_name);
  for (const auto& [when, then] : e.when_then) {
    out += " WHEN " + render(*when, as_name) + " THEN " + render(*then, as_name);
  }
  if (e.case_else) out += " ELSE " + render(*e.case_else, as_name);
  return out + " END";
}

std::string render(const Expr& e, bool as_name) {
  auto arg = [&](size_t i) { return render(*e.args[i], as_name); };
  const std::string is_not = e.negated ? " IS NOT " : " IS ";
  switch (e.kind) {
    case ExprKind::kColumn:
      return e.column.flat_name();
    case ExprKind::kLiteral:
      return e.literal ? literal_to_string(*e.literal) : "NULL";
    case ExprKind::kAlias:
      return as_name ? e.name : arg(0) + " AS " + e.name;
    case ExprKind::kBinary: {
      const int p = binary_op_precedence(e.op);
      return render_operand(*e.args[0], p, as_name) + " " + binary_op_symbol(e.op) + " " +
             render_operand(*e.args[1], p + 1, as_name);
    }
    case ExprKind::kNot:
      return "NOT " + render_operand(*e.args[0], binary_op_precedence(BinaryOp::kEq), as_name);
    case ExprKind::kNegative:
      return "(- " + arg(0) + ")";
    case ExprKind::kIsNull:
      return arg(0) + is_not + "NULL";
    case ExprKind::kIsTrue:
      return arg(0) + is_not + "TRUE";
    case ExprKind::kIsFalse:
      return arg(0) + is_not + "FALSE";
    case ExprKind::kBetween:
      return arg(0) + (e.negated ? " NOT BETWEEN " : " BETWEEN ") + arg(1) + " AND " + arg(2);
    case ExprKind::kLike:
      return arg(0) + (e.negated ? " NOT" : "") + (e.case_insensitive ? " ILIKE " : " LIKE ") +
             arg(1);
    case ExprKind::kInList:
      return arg(0) + (e.negated ? " NOT IN ([" : " IN ([") + render_list(e.args, 1, as_name) +
             "])";
    case ExprKind::kCase:
      return render_case(e, as_name);
    case ExprKind::kCast:
      return std::string(e.try_cast ? "TRY_CAST(" : "CAST(") + arg(0) + " AS " +
             (e.cast_type ? type_display_name(*e.cast_type) : "?") + ")";
    case ExprKind::kScalarFunction:
      return e.name + "(" + render_list(e.args, 0, as_name) + ")";
    case ExprKind::kAggregateFunction: {
      std::string out =
          e.name + "(" + (e.distinct ? "DISTINCT " : "") + render_list(e.args, 0, as_name) + ")";
      if (e.filter) out += " FILTER (WHERE " + render(*e.filter, as_name) + ")";
      return out;
    }
    case ExprKind::kWildcard:
      return e.column.relation ? *e.column.relation + ".*" : "*";
    case ExprKind::kScalarSubquery:
      return "(<subquery>)";
    case ExprKind::kExists:
      return e.negated ? "NOT EXISTS (<subquery>)" : "EXISTS (<subquery>)";
    case ExprKind::kInSubquery:
      return arg(0) + (e.negated ? " NOT IN (<subquery>)" : " IN (<subquery>)");
    case ExprKind::kOuterColumn:
      return "outer_ref(" + e.column.flat_name() + ")";
  }
  return "?";
}

std::shared_ptr<Expr> make(ExprKind kind) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  return e;
}

void collect_columns(const Expr& e, std::vector<Column>* out) {
  if (e.kind == ExprKind::kColumn) {
    for (const auto& c : *out) {
      if (c == e.column) return;
    }
    out->push_back(e.column);
    return;
  }
  for (const auto& child : expr_children(e)) collect_columns(*child, out);
}

}  // namespace

const char* binary_op_symbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
      return "=";
    case BinaryOp::kNotEq:
      return "!=";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLtEq:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGtEq:
      return ">=";
    case BinaryOp::kPlus:
      return "+";
    case BinaryOp::kMinus:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kModulo:
      return "%";
    case BinaryOp::kAnd:
      return "AND";
    case BinaryOp::kOr:
      return "OR";
    case BinaryOp::kStringConcat:
      return "||";
    case BinaryOp::kIsDistinctFrom:
      return "IS DISTINCT FROM";
    case BinaryOp::kIsNotDistinctFrom:
      return "IS NOT DISTINCT FROM";
  }
  return "?";
}

std::string Expr::display_name() const { return render(*this, /*as_name=*/true); }

std::string Expr::to_string() const { return render(*this, /*as_name=*/false); }

std::string type_display_name(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::NA:
      return "Null";
    case arrow::Type::BOOL:
      return "Boolean";
    case arrow::Type::INT8:
      return "Int8";
    case arrow::Type::INT16:
      return "Int16";
    case arrow::Type::INT32:
      return "Int32";
    case arrow::Type::INT64:
      return "Int64";
    case arrow::Type::UINT8:
      return "UInt8";
    case arrow::Type::UINT16:
      return "UInt16";
    case arrow::Type::UINT32:
      return "UInt32";
    case arrow::Type::UINT64:
      return "UInt64";
    case arrow::Type::HALF_FLOAT:
      return "Float16";
    case arrow::Type::FLOAT:
      return "Float32";
    case arrow::Type::DOUBLE:
      return "Float64";
    case arrow::Type::STRING:
      return "Utf8";
    case arrow::Type::LARGE_STRING:
      return "LargeUtf8";
    case arrow::Type::STRING_VIEW:
      return "Utf8View";
    case arrow::Type::BINARY:
      return "Binary";
    case arrow::Type::DATE32:
      return "Date32";
    case arrow::Type::DATE64:
      return "Date64";
    case arrow::Type::TIMESTAMP: {
      const auto& ts = static_cast<const arrow::TimestampType&>(type);
      const std::string tz = ts.timezone().empty() ? "None" : "\"" + ts.timezone() + "\"";
      return "Timestamp(" + time_unit_name(ts.unit()) + ", " + tz + ")";
    }
    case arrow::Type::DECIMAL128: {
      const auto& d = static_cast<const arrow::Decimal128Type&>(type);
      return "Decimal128(" + std::to_string(d.precision()) + ", " + std::to_string(d.scale()) + ")";
    }
    default:
      return type.ToString();
  }
}

std::string literal_to_string(const arrow::Scalar& scalar) {
  const auto& type = *scalar.type;
  if (type.id() == arrow::Type::NA) return "NULL";
  if (type.id() == arrow::Type::TIMESTAMP) {
    const auto& ts = static_cast<const arrow::TimestampType&>(type);
    const std::string tz = ts.timezone().empty() ? "None" : "Some(\"" + ts.timezone() + "\")";
    const std::string value =
        scalar.is_valid ? std::to_string(static_cast<const arrow::TimestampScalar&>(scalar).value)
                        : "NULL";
    return "Timestamp" + time_unit_name(ts.unit()) + "(" + value + ", " + tz + ")";
  }
  if (type.id() == arrow::Type::DECIMAL128) {
    const auto& d = static_cast<const arrow::Decimal128Type&>(type);
    const std::string value =
        scalar.is_valid
            ? "Some(" +
                  static_cast<const arrow::Decimal128Scalar&>(scalar).value.ToIntegerString() + ")"
            : "None";
    return "Decimal128(" + value + "," + std::to_string(d.precision()) + "," +
           std::to_string(d.scale()) + ")";
  }
  const std::string name = type_display_name(type);
  if (!scalar.is_valid) return name + "(NULL)";
  switch (type.id()) {
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::STRING_VIEW:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
      return name + "(\"" + scalar.ToString() + "\")";
    default:
      return name + "(" + scalar.ToString() + ")";
  }
}

ExprPtr col(std::string name) {
  // Split `t.a` only; a display name such as `t.a + Int64(1)` stays one unqualified name.
  const auto dot = name.rfind('.');
  const bool qualified =
      dot != std::string::npos && dot > 0 && dot + 1 < name.size() &&
      std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
      });
  if (!qualified) return col(std::nullopt, std::move(name));
  return col(name.substr(0, dot), name.substr(dot + 1));
}

ExprPtr col(std::optional<std::string> relation, std::string name) {
  auto e = make(ExprKind::kColumn);
  e->column = Column{std::move(relation), std::move(name)};
  return e;
}

ExprPtr lit(std::shared_ptr<arrow::Scalar> value) {
  auto e = make(ExprKind::kLiteral);
  e->literal = value ? std::move(value) : std::make_shared<arrow::NullScalar>();
  return e;
}

ExprPtr binary(ExprPtr left, BinaryOp op, ExprPtr right) {
  auto e = make(ExprKind::kBinary);
  e->op = op;
  e->args = {std::move(left), std::move(right)};
  return e;
}

ExprPtr alias(ExprPtr expr, std::string name) {
  auto e = make(ExprKind::kAlias);
  e->name = std::move(name);
  e->args = {unalias(expr)};
  return e;
}

ExprPtr scalar_function(std::string name, std::vector<ExprPtr> args) {
  auto e = make(ExprKind::kScalarFunction);
  e->name = std::move(name);
  e->args = std::move(args);
  return e;
}

ExprPtr aggregate_function(std::string name, std::vector<ExprPtr> args, bool distinct) {
  auto e = make(ExprKind::kAggregateFunction);
  e->name = std::move(name);
  e->args = std::move(args);
  e->distinct = distinct;
  return e;
}

ExprPtr cast(ExprPtr expr, std::shared_ptr<arrow::DataType> type) {
  auto e = make(ExprKind::kCast);
  e->args = {std::move(expr)};
  e->cast_type = std::move(type);
  return e;
}

ExprPtr with_args(const Expr& e, std::vector<ExprPtr> args) {
  auto copy = std::make_shared<Expr>(e);
  copy->args = std::move(args);
  return copy;
}

std::vector<ExprPtr> expr_children(const Expr& e) {
  std::vector<ExprPtr> out = e.args;
  if (e.kind == ExprKind::kCase) {
    if (e.case_operand) out.push_back(e.case_operand);
    for (const auto& [when, then] : e.when_then) {
      out.push_back(when);
      out.push_back(then);
    }
    if (e.case_else) out.push_back(e.case_else);
  }
  if (e.filter) out.push_back(e.filter);
  return out;
}

ExprPtr with_children(const Expr& e, std::vector<ExprPtr> children) {
  auto copy = std::make_shared<Expr>(e);
  size_t next = 0;
  for (auto& a : copy->args) a = children[next++];
  if (e.kind == ExprKind::kCase) {
    if (copy->case_operand) copy->case_operand = children[next++];
    for (auto& [when, then] : copy->when_then) {
      when = children[next++];
      then = children[next++];
    }
    if (copy->case_else) copy->case_else = children[next++];
  }
  if (copy->filter) copy->filter = children[next++];
  return copy;
}

bool contains_aggregate(const Expr& e) {
  if (e.kind == ExprKind::kAggregateFunction) return true;
  for (const auto& child : expr_children(e)) {
    if (contains_aggregate(*child)) return true;
  }
  return false;
}

ExprPtr unalias(const ExprPtr& e) {
  ExprPtr current = e;
  while (current && current->kind == ExprKind::kAlias) current = current->args[0];
  return current;
}

ExprPtr outer_col(Column column, std::shared_ptr<arrow::DataType> type) {
  auto e = make(ExprKind::kOuterColumn);
  e->column = std::move(column);
  e->cast_type = std::move(type);
  return e;
}

bool contains_outer_reference(const Expr& e) {
  if (e.kind == ExprKind::kOuterColumn) return true;
  for (const auto& child : expr_children(e)) {
    if (contains_outer_reference(*child)) return true;
  }
  return false;
}

std::vector<Column> referenced_columns(const Expr& e) {
  std::vector<Column> out;
  collect_columns(e, &out);
  return out;
}

BinaryOp flipped_comparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kLt:
      return BinaryOp::kGt;
    case BinaryOp::kLtEq:
      return BinaryOp::kGtEq;
    case BinaryOp::kGt:
      return BinaryOp::kLt;
    case BinaryOp::kGtEq:
      return BinaryOp::kLtEq;
    default:
      return op;
  }
}

bool is_ordering_comparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
    case BinaryOp::kNotEq:
    case BinaryOp::kLt:
    case BinaryOp::kLtEq:
    case BinaryOp::kGt:
    case BinaryOp::kGtEq:
      return true;
    default:
      return false;
  }
}

bool is_comparison(BinaryOp op) {
  return is_ordering_comparison(op) || op == BinaryOp::kIsDistinctFrom ||
         op == BinaryOp::kIsNotDistinctFrom;
}

bool is_arithmetic(BinaryOp op) {
  return op == BinaryOp::kPlus || op == BinaryOp::kMinus || op == BinaryOp::kMultiply ||
         op == BinaryOp::kDivide || op == BinaryOp::kModulo;
}

int binary_op_precedence(BinaryOp op) { return precedence_of(op); }

}  // namespace quiver::logical
