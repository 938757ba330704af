#include "quiver/sql/constant_evaluator.h"

#include <arrow/compute/api_scalar.h>
#include <arrow/compute/cast.h>
#include <arrow/datum.h>

#include "quiver/logical/expr_type.h"

namespace quiver::sql {

namespace {

using logical::BinaryOp;
using logical::ExprKind;

const char* arithmetic_function(BinaryOp op) {
  switch (op) {
    case BinaryOp::kPlus:
      return "add_checked";
    case BinaryOp::kMinus:
      return "subtract_checked";
    case BinaryOp::kMultiply:
      return "multiply_checked";
    case BinaryOp::kDivide:
      return "divide_checked";
    case BinaryOp::kStringConcat:
      return "binary_join_element_wise";
    default:
      return nullptr;
  }
}

arrow::Result<std::shared_ptr<arrow::Scalar>> evaluate(const logical::Expr& e, const char* what) {
  switch (e.kind) {
    case ExprKind::kLiteral:
      return e.literal;
    case ExprKind::kAlias:
      return evaluate(*e.args[0], what);
    case ExprKind::kCast: {
      ARROW_ASSIGN_OR_RAISE(auto value, evaluate(*e.args[0], what));
      if (!value->is_valid) return arrow::MakeNullScalar(e.cast_type);
      ARROW_ASSIGN_OR_RAISE(auto out, arrow::compute::Cast(arrow::Datum(value), e.cast_type));
      return out.scalar();
    }
    case ExprKind::kNegative: {
      ARROW_ASSIGN_OR_RAISE(auto value, evaluate(*e.args[0], what));
      ARROW_ASSIGN_OR_RAISE(auto out, arrow::compute::CallFunction("negate_checked", {value}));
      return out.scalar();
    }
    case ExprKind::kBinary: {
      const char* function = arithmetic_function(e.op);
      if (function == nullptr) break;
      ARROW_ASSIGN_OR_RAISE(auto left, evaluate(*e.args[0], what));
      ARROW_ASSIGN_OR_RAISE(auto right, evaluate(*e.args[1], what));
      std::vector<arrow::Datum> args = {left, right};
      if (e.op == BinaryOp::kStringConcat)
        args.emplace_back(std::make_shared<arrow::StringScalar>(""));
      ARROW_ASSIGN_OR_RAISE(auto out, arrow::compute::CallFunction(function, args));
      return out.scalar();
    }
    default:
      break;
  }
  return arrow::Status::Invalid(what, " must be a constant, not ", e.to_string());
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Scalar>> evaluate_constant(const logical::ExprPtr& expr,
                                                                const char* what) {
  if (!logical::referenced_columns(*expr).empty()) {
    return arrow::Status::Invalid(what, " must be a constant, not ", expr->to_string());
  }
  ARROW_ASSIGN_OR_RAISE(auto coerced, logical::coerce_expr(expr, logical::PlanSchema()));
  return evaluate(*coerced, what);
}

}  // namespace quiver::sql
