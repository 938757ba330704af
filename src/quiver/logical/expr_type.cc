#include "quiver/logical/expr_type.h"

#include <arrow/scalar.h>
#include <arrow/status.h>

#include "quiver/functions/aggregate_function.h"
#include "quiver/functions/scalar_function.h"
#include "quiver/logical/decimal_types.h"
#include "quiver/logical/logical_plan.h"

// Type inference and the type rules; the coercion pass that applies them is expr_coercion.cc.
namespace quiver::logical {

namespace {

using TypePtr = std::shared_ptr<arrow::DataType>;

bool is_null_type(const arrow::DataType& t) { return t.id() == arrow::Type::NA; }
bool is_float_or_decimal(const arrow::DataType& t) {
  return arrow::is_floating(t.id()) || arrow::is_decimal(t.id());
}

// The wider of two numeric types: integers by width (signed and unsigned meet at Int64), a float
// with anything as Float64, decimals (and integers meeting decimals) as the decimal holding both.
TypePtr widen_numeric(const TypePtr& a, const TypePtr& b) {
  if (a->Equals(*b)) return a;
  if (arrow::is_floating(a->id()) || arrow::is_floating(b->id())) return arrow::float64();
  if (arrow::is_decimal(a->id()) || arrow::is_decimal(b->id())) {
    auto da = integer_as_decimal(a);
    auto db = integer_as_decimal(b);
    if (!da || !db) return arrow::float64();
    return common_decimal(*da, *db);
  }
  const int wa = a->bit_width();
  const int wb = b->bit_width();
  const bool sa = arrow::is_signed_integer(a->id());
  const bool sb = arrow::is_signed_integer(b->id());
  if (sa == sb) return wa >= wb ? a : b;
  return arrow::int64();
}

bool is_interval_value_type(const arrow::DataType& t) {
  return t.id() == arrow::Type::INTERVAL_MONTH_DAY_NANO || t.id() == arrow::Type::INTERVAL_MONTHS ||
         t.id() == arrow::Type::INTERVAL_DAY_TIME;
}

bool is_date(const arrow::DataType& t) {
  return t.id() == arrow::Type::DATE32 || t.id() == arrow::Type::DATE64;
}

// True for an interval literal with a sub-day part (`INTERVAL '1 hour'`): a date it is added to
// becomes a timestamp, as in PostgreSQL, instead of losing the hours.
bool has_time_part(const Expr* e) {
  if (e == nullptr || e->kind != ExprKind::kLiteral || !e->literal || !e->literal->is_valid ||
      e->literal->type->id() != arrow::Type::INTERVAL_MONTH_DAY_NANO) {
    return false;
  }
  return static_cast<const arrow::MonthDayNanoIntervalScalar&>(*e->literal).value.nanoseconds != 0;
}

TypePtr sql_timestamp() { return arrow::timestamp(arrow::TimeUnit::MICRO); }

// The decimal an integer operand of decimal arithmetic becomes: a literal its own digits.
TypePtr operand_as_decimal(const Expr* e, const TypePtr& t) {
  if (e != nullptr && e->kind == ExprKind::kLiteral && e->literal) {
    if (auto d = integer_literal_as_decimal(*e->literal)) return d;
  }
  return integer_as_decimal(t);
}

std::string type_name(const TypePtr& t) { return type_display_name(*t); }

// The common type of two values, for comparisons (`numeric_with_string`: a string meets a number
// as the number, as an untyped PostgreSQL literal would) and unification (it does not).
arrow::Result<TypePtr> common_type(const TypePtr& a, const TypePtr& b, bool numeric_with_string,
                                   const char* what) {
  if (a->Equals(*b)) return a;
  if (is_null_type(*a)) return b;
  if (is_null_type(*b)) return a;
  if (is_numeric_type(*a) && is_numeric_type(*b)) return widen_numeric(a, b);
  if (is_string_type(*a) && is_string_type(*b)) {
    return a->id() == arrow::Type::LARGE_STRING ? a : b;
  }
  if (is_string_type(*a) && is_temporal_type(*b)) return b;
  if (is_temporal_type(*a) && is_string_type(*b)) return a;
  if (is_temporal_type(*a) && is_temporal_type(*b)) {
    if (a->id() == arrow::Type::TIMESTAMP) return a;
    if (b->id() == arrow::Type::TIMESTAMP) return b;
    return a;
  }
  if (numeric_with_string) {
    if (is_string_type(*a) && is_numeric_type(*b)) return b;
    if (is_numeric_type(*a) && is_string_type(*b)) return a;
  }
  return arrow::Status::Invalid("cannot ", what, " ", type_name(a), " and ", type_name(b));
}

// Types every operand, so a boolean-valued node still reports an unknown column beneath it.
arrow::Status check_operands(const Expr& expr, const PlanSchema& schema) {
  for (const auto& child : expr_children(expr)) {
    ARROW_RETURN_NOT_OK(expr_type(*child, schema).status());
  }
  return arrow::Status::OK();
}

}  // namespace

bool is_integer_type(const arrow::DataType& type) { return arrow::is_integer(type.id()); }

bool is_numeric_type(const arrow::DataType& type) {
  return arrow::is_integer(type.id()) || arrow::is_floating(type.id()) ||
         arrow::is_decimal(type.id());
}

bool is_string_type(const arrow::DataType& type) {
  return type.id() == arrow::Type::STRING || type.id() == arrow::Type::LARGE_STRING;
}

bool is_temporal_type(const arrow::DataType& type) {
  return type.id() == arrow::Type::DATE32 || type.id() == arrow::Type::DATE64 ||
         type.id() == arrow::Type::TIMESTAMP;
}

arrow::Result<TypePtr> comparison_coercion(const TypePtr& left, const TypePtr& right) {
  return common_type(left, right, /*numeric_with_string=*/true, "compare");
}

arrow::Result<TypePtr> arithmetic_coercion(const TypePtr& left, const TypePtr& right) {
  if (is_null_type(*left) && is_null_type(*right)) return arrow::int64();
  if (is_null_type(*left) && is_numeric_type(*right)) return right;
  if (is_numeric_type(*left) && is_null_type(*right)) return left;
  if (is_numeric_type(*left) && is_numeric_type(*right)) return widen_numeric(left, right);
  return arrow::Status::Invalid("cannot do arithmetic on ", type_name(left), " and ",
                                type_name(right));
}

arrow::Result<std::pair<TypePtr, TypePtr>> arithmetic_operand_types(BinaryOp op, const Expr* left,
                                                                    const TypePtr& lt,
                                                                    const Expr* right,
                                                                    const TypePtr& rt) {
  const bool l_temporal = is_temporal_type(*lt);
  const bool r_temporal = is_temporal_type(*rt);
  if (l_temporal || r_temporal || is_interval_value_type(*lt) || is_interval_value_type(*rt)) {
    const bool plus_minus = op == BinaryOp::kPlus || op == BinaryOp::kMinus;
    if (plus_minus && l_temporal && (is_interval_value_type(*rt) || is_null_type(*rt))) {
      const TypePtr temporal = has_time_part(right) && is_date(*lt) ? sql_timestamp() : lt;
      return std::make_pair(temporal, is_null_type(*rt) ? arrow::month_day_nano_interval() : rt);
    }
    if (op == BinaryOp::kPlus && is_interval_value_type(*lt) && r_temporal) {
      return std::make_pair(lt, has_time_part(left) && is_date(*rt) ? sql_timestamp() : rt);
    }
    if (op == BinaryOp::kMinus && is_date(*lt) && is_date(*rt)) return std::make_pair(lt, rt);
    if (plus_minus && is_date(*lt) && is_integer_type(*rt)) return std::make_pair(lt, rt);
    if (op == BinaryOp::kPlus && is_integer_type(*lt) && is_date(*rt)) {
      return std::make_pair(lt, rt);
    }
    return arrow::Status::Invalid("cannot do arithmetic on ", type_name(lt), " and ",
                                  type_name(rt));
  }
  const bool l_dec = arrow::is_decimal(lt->id());
  const bool r_dec = arrow::is_decimal(rt->id());
  if ((l_dec || r_dec) && is_numeric_type(*lt) && is_numeric_type(*rt) &&
      !arrow::is_floating(lt->id()) && !arrow::is_floating(rt->id())) {
    auto l_decimal = operand_as_decimal(left, lt);
    auto r_decimal = operand_as_decimal(right, rt);
    if (op == BinaryOp::kDivide || !l_decimal || !r_decimal) {
      return std::make_pair(arrow::float64(), arrow::float64());
    }
    return std::make_pair(l_decimal, r_decimal);
  }
  ARROW_ASSIGN_OR_RAISE(TypePtr common, arithmetic_coercion(lt, rt));
  return std::make_pair(common, common);
}

arrow::Result<TypePtr> arithmetic_result_type(BinaryOp op, const TypePtr& lt, const TypePtr& rt) {
  if (lt->id() == arrow::Type::DECIMAL128 && rt->id() == arrow::Type::DECIMAL128) {
    return decimal_arithmetic_type(op, *lt, *rt);
  }
  if (is_temporal_type(*lt) && is_interval_value_type(*rt)) return lt;
  if (is_interval_value_type(*lt) && is_temporal_type(*rt)) return rt;
  if (is_date(*lt) && is_date(*rt)) return arrow::int64();
  if (is_date(*lt) && is_integer_type(*rt)) return lt;
  if (is_integer_type(*lt) && is_date(*rt)) return rt;
  return lt;
}

arrow::Result<TypePtr> unify_types(const std::vector<TypePtr>& types) {
  TypePtr out = arrow::null();
  for (const auto& t : types) {
    ARROW_ASSIGN_OR_RAISE(out, common_type(out, t, /*numeric_with_string=*/false, "unify"));
  }
  return out;
}

arrow::Result<TypePtr> expr_type(const Expr& expr, const PlanSchema& schema) {
  switch (expr.kind) {
    case ExprKind::kColumn: {
      ARROW_ASSIGN_OR_RAISE(int i, schema.index_of(expr.column));
      return schema.field(i).field->type();
    }
    case ExprKind::kLiteral:
      return expr.literal ? expr.literal->type : arrow::null();
    case ExprKind::kAlias:
      return expr_type(*expr.args[0], schema);
    case ExprKind::kBinary: {
      if (is_arithmetic(expr.op)) {
        ARROW_ASSIGN_OR_RAISE(TypePtr l, expr_type(*expr.args[0], schema));
        ARROW_ASSIGN_OR_RAISE(TypePtr r, expr_type(*expr.args[1], schema));
        auto t = arithmetic_operand_types(expr.op, expr.args[0].get(), l, expr.args[1].get(), r);
        if (!t.ok()) {
          return arrow::Status::Invalid("operator ", binary_op_symbol(expr.op),
                                        " is not defined for ", type_name(l), " and ", type_name(r),
                                        " in ", expr.to_string());
        }
        auto result = arithmetic_result_type(expr.op, t->first, t->second);
        if (!result.ok()) {
          return arrow::Status::Invalid(result.status().message(), " in ", expr.to_string());
        }
        return result;
      }
      if (expr.op == BinaryOp::kStringConcat) {
        ARROW_ASSIGN_OR_RAISE(TypePtr l, expr_type(*expr.args[0], schema));
        ARROW_ASSIGN_OR_RAISE(TypePtr r, expr_type(*expr.args[1], schema));
        const bool large =
            l->id() == arrow::Type::LARGE_STRING || r->id() == arrow::Type::LARGE_STRING;
        return large ? arrow::large_utf8() : arrow::utf8();
      }
      ARROW_RETURN_NOT_OK(check_operands(expr, schema));
      return arrow::boolean();
    }
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
    case ExprKind::kBetween:
    case ExprKind::kLike:
    case ExprKind::kInList:
    case ExprKind::kInSubquery:
      ARROW_RETURN_NOT_OK(check_operands(expr, schema));
      return arrow::boolean();
    case ExprKind::kExists:
      return arrow::boolean();
    case ExprKind::kNegative:
      return expr_type(*expr.args[0], schema);
    case ExprKind::kCase: {
      ARROW_RETURN_NOT_OK(check_operands(expr, schema));
      std::vector<TypePtr> types;
      for (const auto& wt : expr.when_then) {
        ARROW_ASSIGN_OR_RAISE(auto t, expr_type(*wt.second, schema));
        types.push_back(t);
      }
      if (expr.case_else) {
        ARROW_ASSIGN_OR_RAISE(auto t, expr_type(*expr.case_else, schema));
        types.push_back(t);
      }
      return unify_types(types);
    }
    case ExprKind::kCast:
      ARROW_RETURN_NOT_OK(check_operands(expr, schema));
      return expr.cast_type;
    case ExprKind::kScalarFunction: {
      const auto* def = functions::find_scalar_function(expr.name);
      if (def == nullptr) {
        return arrow::Status::Invalid("unknown function ", expr.name, "()");
      }
      functions::DataTypeVector arg_types;
      std::vector<std::shared_ptr<arrow::Scalar>> constants;
      for (const auto& a : expr.args) {
        ARROW_ASSIGN_OR_RAISE(auto t, expr_type(*a, schema));
        arg_types.push_back(t);
        constants.push_back(a->kind == ExprKind::kLiteral ? a->literal : nullptr);
      }
      return functions::resolve_return_type(*def, arg_types, constants);
    }
    case ExprKind::kAggregateFunction: {
      const auto* def = functions::find_aggregate_function(expr.name);
      if (def == nullptr) {
        return arrow::Status::Invalid("unknown aggregate function ", expr.name, "()");
      }
      functions::DataTypeVector arg_types;
      for (const auto& a : expr.args) {
        ARROW_ASSIGN_OR_RAISE(auto t, expr_type(*a, schema));
        arg_types.push_back(t);
      }
      if (expr.filter) ARROW_RETURN_NOT_OK(expr_type(*expr.filter, schema).status());
      return def->return_type(arg_types, expr.distinct);
    }
    case ExprKind::kWildcard:
      return arrow::Status::UnknownError("wildcard ", expr.to_string(),
                                         " was not expanded before typing");
    case ExprKind::kScalarSubquery:
      if (!expr.subquery || expr.subquery->schema.num_fields() != 1) {
        return arrow::Status::Invalid("a scalar subquery must return exactly one column");
      }
      return expr.subquery->schema.field(0).field->type();
    case ExprKind::kOuterColumn:
      return expr.cast_type;
  }
  return arrow::Status::UnknownError("expression kind without a type");
}

arrow::Result<bool> expr_nullable(const Expr& expr, const PlanSchema& schema) {
  switch (expr.kind) {
    case ExprKind::kColumn: {
      ARROW_ASSIGN_OR_RAISE(int i, schema.index_of(expr.column));
      return schema.field(i).field->nullable();
    }
    case ExprKind::kLiteral:
      return !expr.literal || !expr.literal->is_valid;
    case ExprKind::kIsNull:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
    case ExprKind::kExists:
      return false;
    case ExprKind::kBinary:
      if (expr.op == BinaryOp::kIsDistinctFrom || expr.op == BinaryOp::kIsNotDistinctFrom) {
        return false;
      }
      if (expr.op == BinaryOp::kDivide || expr.op == BinaryOp::kModulo) return true;
      break;
    case ExprKind::kCast:
      if (expr.try_cast) return true;
      break;
    case ExprKind::kCase: {
      if (!expr.case_else) return true;
      for (const auto& wt : expr.when_then) {
        ARROW_ASSIGN_OR_RAISE(bool n, expr_nullable(*wt.second, schema));
        if (n) return true;
      }
      return expr_nullable(*expr.case_else, schema);
    }
    case ExprKind::kAggregateFunction:
      return expr.name != "count";
    case ExprKind::kScalarFunction:
    case ExprKind::kScalarSubquery:
    case ExprKind::kInSubquery:
    case ExprKind::kWildcard:
    case ExprKind::kOuterColumn:
      return true;
    default:
      break;
  }
  for (const auto& a : expr.args) {
    ARROW_ASSIGN_OR_RAISE(bool n, expr_nullable(*a, schema));
    if (n) return true;
  }
  return false;
}

arrow::Result<QualifiedField> expr_to_field(const Expr& expr, const PlanSchema& schema) {
  if (expr.kind == ExprKind::kColumn) {
    ARROW_ASSIGN_OR_RAISE(int i, schema.index_of(expr.column));
    return schema.field(i);
  }
  ARROW_ASSIGN_OR_RAISE(TypePtr type, expr_type(expr, schema));
  ARROW_ASSIGN_OR_RAISE(bool nullable, expr_nullable(expr, schema));
  return QualifiedField{std::nullopt, arrow::field(expr.display_name(), type, nullable)};
}

}  // namespace quiver::logical
