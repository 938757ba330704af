#include "quiver/planner/expr_planner.h"

#include <arrow/scalar.h>

#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/case_expr.h"
#include "quiver/physical/expr/cast_expr.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/physical/expr/in_list_expr.h"
#include "quiver/physical/expr/is_not_null_expr.h"
#include "quiver/physical/expr/is_null_expr.h"
#include "quiver/physical/expr/like_expr.h"
#include "quiver/physical/expr/literal_expr.h"
#include "quiver/physical/expr/negative_expr.h"
#include "quiver/physical/expr/not_expr.h"
#include "quiver/physical/expr/scalar_function_expr.h"
#include "quiver/physical/expr/truth_test_expr.h"

namespace quiver::planner {

namespace {

using logical::BinaryOp;
using logical::ExprKind;
using physical::PhysicalExprPtr;

// Plans one logical expression; `arrow_schema` is `schema` as Arrow sees it (for the
// expressions whose construction depends on input types).
class ExprPlanner {
 public:
  explicit ExprPlanner(const logical::PlanSchema& schema)
      : schema_(schema), arrow_schema_(schema.to_arrow()) {}

  arrow::Result<PhysicalExprPtr> plan(const logical::Expr& e) {
    switch (e.kind) {
      case ExprKind::kColumn: {
        ARROW_ASSIGN_OR_RAISE(int index, schema_.index_of(e.column));
        return physical::make_column(schema_.field(index).field->name(), index);
      }
      case ExprKind::kLiteral:
        return physical::make_literal(e.literal ? e.literal : arrow::MakeNullScalar(arrow::null()));
      case ExprKind::kAlias:
        return plan_arg(e, 0);
      case ExprKind::kBinary: {
        ARROW_ASSIGN_OR_RAISE(auto left, plan_arg(e, 0));
        ARROW_ASSIGN_OR_RAISE(auto right, plan_arg(e, 1));
        return physical::make_binary(std::move(left), e.op, std::move(right));
      }
      case ExprKind::kNot: {
        ARROW_ASSIGN_OR_RAISE(auto arg, plan_arg(e, 0));
        return physical::make_not(std::move(arg));
      }
      case ExprKind::kNegative: {
        ARROW_ASSIGN_OR_RAISE(auto arg, plan_arg(e, 0));
        return physical::make_negative(std::move(arg));
      }
      case ExprKind::kIsNull: {
        ARROW_ASSIGN_OR_RAISE(auto arg, plan_arg(e, 0));
        return e.negated ? physical::make_is_not_null(std::move(arg))
                         : physical::make_is_null(std::move(arg));
      }
      case ExprKind::kIsTrue: {
        ARROW_ASSIGN_OR_RAISE(auto arg, plan_arg(e, 0));
        return physical::make_is_true(std::move(arg), e.negated);
      }
      case ExprKind::kIsFalse: {
        ARROW_ASSIGN_OR_RAISE(auto arg, plan_arg(e, 0));
        return physical::make_is_false(std::move(arg), e.negated);
      }
      case ExprKind::kBetween:
        return plan_between(e);
      case ExprKind::kLike: {
        ARROW_ASSIGN_OR_RAISE(auto value, plan_arg(e, 0));
        ARROW_ASSIGN_OR_RAISE(auto pattern, plan_arg(e, 1));
        return physical::make_like(std::move(value), std::move(pattern), e.negated,
                                   e.case_insensitive);
      }
      case ExprKind::kInList: {
        ARROW_ASSIGN_OR_RAISE(auto value, plan_arg(e, 0));
        std::vector<PhysicalExprPtr> list;
        for (size_t i = 1; i < e.args.size(); ++i) {
          ARROW_ASSIGN_OR_RAISE(auto item, plan(*e.args[i]));
          list.push_back(std::move(item));
        }
        return physical::make_in_list(std::move(value), std::move(list), e.negated, *arrow_schema_);
      }
      case ExprKind::kCase:
        return plan_case(e);
      case ExprKind::kCast: {
        if (!e.cast_type)
          return arrow::Status::UnknownError("CAST without a type: ", e.to_string());
        ARROW_ASSIGN_OR_RAISE(auto arg, plan_arg(e, 0));
        return e.try_cast ? physical::make_try_cast(std::move(arg), e.cast_type)
                          : physical::make_cast(std::move(arg), e.cast_type);
      }
      case ExprKind::kScalarFunction: {
        std::vector<PhysicalExprPtr> args;
        for (const auto& a : e.args) {
          ARROW_ASSIGN_OR_RAISE(auto arg, plan(*a));
          args.push_back(std::move(arg));
        }
        return physical::make_scalar_function(e.name, std::move(args), *arrow_schema_);
      }
      case ExprKind::kAggregateFunction:
        return arrow::Status::UnknownError("aggregate ", e.to_string(),
                                           " reached the expression planner; AggregateExec "
                                           "plans aggregates");
      case ExprKind::kWildcard:
        return arrow::Status::UnknownError("wildcard ", e.to_string(),
                                           " reached the expression planner unexpanded");
      case ExprKind::kScalarSubquery:
      case ExprKind::kExists:
      case ExprKind::kInSubquery:
      case ExprKind::kOuterColumn:
        return arrow::Status::UnknownError("subquery ", e.to_string(),
                                           " reached the expression planner; subqueries must "
                                           "be decorrelated into joins first");
    }
    return arrow::Status::UnknownError("unknown expression kind in ", e.to_string());
  }

 private:
  arrow::Result<PhysicalExprPtr> plan_arg(const logical::Expr& e, size_t i) {
    if (i >= e.args.size() || !e.args[i]) {
      return arrow::Status::UnknownError("expression ", e.to_string(), " is missing operand ", i);
    }
    return plan(*e.args[i]);
  }

  // x BETWEEN lo AND hi  ==  x >= lo AND x <= hi  (negated: NOT (...)).
  arrow::Result<PhysicalExprPtr> plan_between(const logical::Expr& e) {
    ARROW_ASSIGN_OR_RAISE(auto value, plan_arg(e, 0));
    ARROW_ASSIGN_OR_RAISE(auto low, plan_arg(e, 1));
    ARROW_ASSIGN_OR_RAISE(auto high, plan_arg(e, 2));
    auto range = physical::make_binary(
        physical::make_binary(value, BinaryOp::kGtEq, std::move(low)), BinaryOp::kAnd,
        physical::make_binary(value, BinaryOp::kLtEq, std::move(high)));
    return e.negated ? physical::make_not(std::move(range)) : range;
  }

  arrow::Result<PhysicalExprPtr> plan_case(const logical::Expr& e) {
    PhysicalExprPtr operand;
    if (e.case_operand) {
      ARROW_ASSIGN_OR_RAISE(operand, plan(*e.case_operand));
    }
    std::vector<physical::CaseExpr::WhenThen> when_then;
    for (const auto& [when, then] : e.when_then) {
      ARROW_ASSIGN_OR_RAISE(auto w, plan(*when));
      ARROW_ASSIGN_OR_RAISE(auto t, plan(*then));
      when_then.emplace_back(std::move(w), std::move(t));
    }
    PhysicalExprPtr else_expr;
    if (e.case_else) {
      ARROW_ASSIGN_OR_RAISE(else_expr, plan(*e.case_else));
    }
    return physical::make_case(std::move(operand), std::move(when_then), std::move(else_expr),
                               *arrow_schema_);
  }

  const logical::PlanSchema& schema_;
  std::shared_ptr<arrow::Schema> arrow_schema_;
};

}  // namespace

arrow::Result<physical::PhysicalExprPtr> create_physical_expr(
    const logical::Expr& expr, const logical::PlanSchema& input_schema) {
  return ExprPlanner(input_schema).plan(expr);
}

}  // namespace quiver::planner
