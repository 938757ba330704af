#include <arrow/compute/cast.h>
#include <arrow/scalar.h>
#include <arrow/status.h>

#include "quiver/logical/decimal_types.h"
#include "quiver/logical/expr_type.h"

// The coercion pass of expr_type.h: inserts the casts the type rules call for.
namespace quiver::logical {

namespace {

using TypePtr = std::shared_ptr<arrow::DataType>;

bool is_null_type(const arrow::DataType& t) { return t.id() == arrow::Type::NA; }
bool is_bool_type(const arrow::DataType& t) { return t.id() == arrow::Type::BOOL; }

std::string type_name(const TypePtr& t) { return type_display_name(*t); }
// Folds a literal into `target` when the conversion is exact (round-trips), else returns null.
std::shared_ptr<arrow::Scalar> fold_exact(const arrow::Scalar& value, const TypePtr& target) {
  if (!value.is_valid) return arrow::MakeNullScalar(target);
  if (auto decimal = integer_scalar_to_decimal(value, *target)) return decimal;
  auto cast = arrow::compute::Cast(arrow::Datum(value.GetSharedPtr()), target,
                                   arrow::compute::CastOptions::Safe());
  if (!cast.ok()) return nullptr;
  auto back = arrow::compute::Cast(*cast, value.type, arrow::compute::CastOptions::Safe());
  if (!back.ok() || !back->scalar()->Equals(value)) return nullptr;
  return cast->scalar();
}

bool is_literal(const Expr& e) { return e.kind == ExprKind::kLiteral; }

// The type `subject` is compared with `others` in. When the others are all literals that fit the
// subject's numeric type exactly, the subject keeps its type (no cast on a column).
arrow::Result<TypePtr> comparison_type(const ExprPtr& subject, const std::vector<ExprPtr>& others,
                                       const PlanSchema& schema) {
  ARROW_ASSIGN_OR_RAISE(TypePtr subject_type, expr_type(*subject, schema));
  TypePtr common = subject_type;
  bool others_fit = !is_literal(*subject) && is_numeric_type(*subject_type);
  for (const auto& other : others) {
    ARROW_ASSIGN_OR_RAISE(TypePtr t, expr_type(*other, schema));
    ARROW_ASSIGN_OR_RAISE(common, comparison_coercion(common, t));
    if (others_fit) {
      others_fit = is_literal(*other) &&
                   (is_null_type(*t) || t->Equals(*subject_type) ||
                    (is_numeric_type(*t) && fold_exact(*other->literal, subject_type) != nullptr));
    }
  }
  return others_fit ? subject_type : common;
}

arrow::Status expect_boolean(const Expr& e, const PlanSchema& schema, const char* where) {
  ARROW_ASSIGN_OR_RAISE(TypePtr t, expr_type(e, schema));
  if (is_bool_type(*t) || is_null_type(*t)) return arrow::Status::OK();
  return arrow::Status::Invalid("argument of ", where, " must be Boolean, not ", type_name(t), ": ",
                                e.to_string());
}

arrow::Result<ExprPtr> to_boolean(const ExprPtr& e, const PlanSchema& schema, const char* where) {
  ARROW_RETURN_NOT_OK(expect_boolean(*e, schema, where));
  return cast_expr_to(e, arrow::boolean(), schema);
}

arrow::Result<ExprPtr> coerce_binary(const Expr& e, const PlanSchema& schema) {
  const ExprPtr& left = e.args[0];
  const ExprPtr& right = e.args[1];
  ARROW_ASSIGN_OR_RAISE(TypePtr lt, expr_type(*left, schema));
  ARROW_ASSIGN_OR_RAISE(TypePtr rt, expr_type(*right, schema));
  TypePtr target;
  if (is_comparison(e.op)) {
    auto common = comparison_coercion(lt, rt);
    if (!common.ok()) {
      return arrow::Status::Invalid("cannot compare ", type_name(lt), " with ", type_name(rt),
                                    " in ", e.to_string());
    }
    if (is_literal(*right) && !is_literal(*left)) {
      ARROW_ASSIGN_OR_RAISE(target, comparison_type(left, {right}, schema));
    } else if (is_literal(*left) && !is_literal(*right)) {
      ARROW_ASSIGN_OR_RAISE(target, comparison_type(right, {left}, schema));
    } else {
      target = *common;
    }
  } else if (is_arithmetic(e.op)) {
    auto operands = arithmetic_operand_types(e.op, left.get(), lt, right.get(), rt);
    if (!operands.ok()) {
      return arrow::Status::Invalid("operator ", binary_op_symbol(e.op), " is not defined for ",
                                    type_name(lt), " and ", type_name(rt), " in ", e.to_string());
    }
    ARROW_ASSIGN_OR_RAISE(auto l, cast_expr_to(left, operands->first, schema));
    ARROW_ASSIGN_OR_RAISE(auto r, cast_expr_to(right, operands->second, schema));
    return with_args(e, {l, r});
  } else if (e.op == BinaryOp::kAnd || e.op == BinaryOp::kOr) {
    ARROW_ASSIGN_OR_RAISE(auto l, to_boolean(left, schema, binary_op_symbol(e.op)));
    ARROW_ASSIGN_OR_RAISE(auto r, to_boolean(right, schema, binary_op_symbol(e.op)));
    return with_args(e, {l, r});
  } else {  // ||: both sides as text
    target = arrow::utf8();
    if (lt->id() == arrow::Type::LARGE_STRING || rt->id() == arrow::Type::LARGE_STRING) {
      target = arrow::large_utf8();
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto l, cast_expr_to(left, target, schema));
  ARROW_ASSIGN_OR_RAISE(auto r, cast_expr_to(right, target, schema));
  return with_args(e, {l, r});
}

// Casts every expression of `exprs` to `target`.
arrow::Result<std::vector<ExprPtr>> cast_all(const std::vector<ExprPtr>& exprs,
                                             const TypePtr& target, const PlanSchema& schema) {
  std::vector<ExprPtr> out;
  out.reserve(exprs.size());
  for (const auto& e : exprs) {
    ARROW_ASSIGN_OR_RAISE(auto c, cast_expr_to(e, target, schema));
    out.push_back(std::move(c));
  }
  return out;
}

arrow::Result<ExprPtr> coerce_case(const Expr& e, const PlanSchema& schema) {
  auto out = std::make_shared<Expr>(e);
  if (e.case_operand) {
    std::vector<ExprPtr> whens;
    for (const auto& wt : e.when_then) whens.push_back(wt.first);
    ARROW_ASSIGN_OR_RAISE(TypePtr t, comparison_type(e.case_operand, whens, schema));
    ARROW_ASSIGN_OR_RAISE(out->case_operand, cast_expr_to(e.case_operand, t, schema));
    ARROW_ASSIGN_OR_RAISE(whens, cast_all(whens, t, schema));
    for (size_t i = 0; i < whens.size(); ++i) out->when_then[i].first = whens[i];
  } else {
    for (auto& wt : out->when_then) {
      ARROW_ASSIGN_OR_RAISE(wt.first, to_boolean(wt.first, schema, "CASE WHEN"));
    }
  }
  std::vector<TypePtr> result_types;
  for (const auto& wt : e.when_then) {
    ARROW_ASSIGN_OR_RAISE(auto t, expr_type(*wt.second, schema));
    result_types.push_back(t);
  }
  if (e.case_else) {
    ARROW_ASSIGN_OR_RAISE(auto t, expr_type(*e.case_else, schema));
    result_types.push_back(t);
  }
  auto unified = unify_types(result_types);
  if (!unified.ok()) {
    return arrow::Status::Invalid("CASE results do not share a type (", unified.status().message(),
                                  ") in ", e.to_string());
  }
  for (auto& wt : out->when_then) {
    ARROW_ASSIGN_OR_RAISE(wt.second, cast_expr_to(wt.second, *unified, schema));
  }
  if (out->case_else) {
    ARROW_ASSIGN_OR_RAISE(out->case_else, cast_expr_to(out->case_else, *unified, schema));
  }
  return out;
}

// Coerces one node whose children are already coerced.
arrow::Result<ExprPtr> coerce_node(const ExprPtr& expr, const PlanSchema& schema) {
  const Expr& e = *expr;
  switch (e.kind) {
    case ExprKind::kBinary:
      return coerce_binary(e, schema);
    case ExprKind::kNot: {
      ARROW_ASSIGN_OR_RAISE(auto a, to_boolean(e.args[0], schema, "NOT"));
      return with_args(e, {a});
    }
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse: {
      ARROW_ASSIGN_OR_RAISE(auto a, to_boolean(e.args[0], schema, "IS TRUE/FALSE"));
      return with_args(e, {a});
    }
    case ExprKind::kNegative: {
      ARROW_ASSIGN_OR_RAISE(TypePtr t, expr_type(*e.args[0], schema));
      if (!is_numeric_type(*t) && !is_null_type(*t)) {
        return arrow::Status::Invalid("unary minus is not defined for ", type_name(t), " in ",
                                      e.to_string());
      }
      return expr;
    }
    case ExprKind::kBetween:
    case ExprKind::kInList: {
      std::vector<ExprPtr> others(e.args.begin() + 1, e.args.end());
      auto t = comparison_type(e.args[0], others, schema);
      if (!t.ok()) {
        return arrow::Status::Invalid(t.status().message(), " in ", e.to_string());
      }
      ARROW_ASSIGN_OR_RAISE(auto args, cast_all(e.args, *t, schema));
      return with_args(e, std::move(args));
    }
    case ExprKind::kLike: {
      std::vector<ExprPtr> args;
      for (const auto& a : e.args) {
        ARROW_ASSIGN_OR_RAISE(TypePtr t, expr_type(*a, schema));
        if (!is_string_type(*t) && !is_null_type(*t)) {
          return arrow::Status::Invalid("LIKE needs text operands, not ", type_name(t), " in ",
                                        e.to_string());
        }
        ARROW_ASSIGN_OR_RAISE(auto c,
                              cast_expr_to(a, is_null_type(*t) ? arrow::utf8() : t, schema));
        args.push_back(std::move(c));
      }
      return with_args(e, std::move(args));
    }
    case ExprKind::kCase:
      return coerce_case(e, schema);
    case ExprKind::kAggregateFunction: {
      if (!e.filter) return expr;
      auto out = std::make_shared<Expr>(e);
      ARROW_ASSIGN_OR_RAISE(out->filter, to_boolean(e.filter, schema, "FILTER"));
      return out;
    }
    default:
      return expr;
  }
}

}  // namespace

arrow::Result<ExprPtr> cast_expr_to(const ExprPtr& expr, const TypePtr& target,
                                    const PlanSchema& schema) {
  ARROW_ASSIGN_OR_RAISE(TypePtr current, expr_type(*expr, schema));
  if (current->Equals(*target)) return expr;
  if (expr->kind == ExprKind::kLiteral) {
    if (!expr->literal->is_valid) return lit(arrow::MakeNullScalar(target));
    if (auto decimal = integer_scalar_to_decimal(*expr->literal, *target)) return lit(decimal);
    auto folded = arrow::compute::Cast(arrow::Datum(expr->literal), target,
                                       arrow::compute::CastOptions::Safe());
    if (!folded.ok()) {
      return arrow::Status::Invalid("cannot cast ", expr->to_string(), " to ", type_name(target),
                                    ": ", folded.status().message());
    }
    return lit(folded->scalar());
  }
  return cast(expr, target);
}

arrow::Result<ExprPtr> coerce_expr(const ExprPtr& expr, const PlanSchema& schema) {
  std::vector<ExprPtr> children = expr_children(*expr);
  bool changed = false;
  for (auto& child : children) {
    ARROW_ASSIGN_OR_RAISE(auto coerced, coerce_expr(child, schema));
    changed = changed || coerced != child;
    child = std::move(coerced);
  }
  ExprPtr node = changed ? with_children(*expr, std::move(children)) : expr;
  return coerce_node(node, schema);
}

}  // namespace quiver::logical
