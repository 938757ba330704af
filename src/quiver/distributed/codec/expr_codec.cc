#include "quiver/distributed/codec/expr_codec.h"

#include <typeinfo>

#include "quiver/distributed/codec/class_name.h"
#include "quiver/distributed/codec/ipc_values.h"
#include "quiver/functions/scalar_function.h"
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

namespace quiver::distributed::codec {

namespace {

using physical::PhysicalExpr;
using physical::PhysicalExprPtr;

// Returns the expression's class when it is exactly T (subclasses may carry more state).
template <typename T>
const T* exactly(const PhysicalExpr& expr) {
  return typeid(expr) == typeid(T) ? static_cast<const T*>(&expr) : nullptr;
}

arrow::Result<PhysicalExprPtr> decode_required(const proto::PhysicalExprNode& node, bool present,
                                               const char* what) {
  if (!present) return arrow::Status::Invalid("plan codec: ", what, " has no operand");
  return decode_physical_expr(node);
}

arrow::Result<PhysicalExprPtr> decode_optional(const proto::PhysicalExprNode& node, bool present) {
  if (!present) return PhysicalExprPtr();
  return decode_physical_expr(node);
}

}  // namespace

proto::BinaryOperator encode_binary_op(logical::BinaryOp op) {
  return static_cast<proto::BinaryOperator>(static_cast<int>(op));
}

arrow::Result<logical::BinaryOp> decode_binary_op(int op) {
  if (op < 0 || op > static_cast<int>(logical::BinaryOp::kIsNotDistinctFrom)) {
    return arrow::Status::Invalid("plan codec: unknown binary operator ", op);
  }
  return static_cast<logical::BinaryOp>(op);
}

arrow::Status encode_physical_expr(const PhysicalExpr& expr, proto::PhysicalExprNode* out) {
  if (auto* e = exactly<physical::ColumnExpr>(expr)) {
    out->mutable_column()->set_name(e->name());
    out->mutable_column()->set_index(e->index());
  } else if (auto* e = exactly<physical::LiteralExpr>(expr)) {
    ARROW_ASSIGN_OR_RAISE(auto bytes, encode_scalar(*e->value()));
    out->mutable_literal()->mutable_value()->set_ipc_stream(std::move(bytes));
  } else if (auto* e = exactly<physical::BinaryExpr>(expr)) {
    auto* m = out->mutable_binary();
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->left(), m->mutable_left()));
    m->set_op(encode_binary_op(e->op()));
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->right(), m->mutable_right()));
  } else if (auto* e = exactly<physical::CaseExpr>(expr)) {
    auto* m = out->mutable_case_expr();
    if (e->operand())
      ARROW_RETURN_NOT_OK(encode_physical_expr(*e->operand(), m->mutable_operand()));
    for (const auto& [when, then] : e->when_then()) {
      auto* pair = m->add_when_then();
      ARROW_RETURN_NOT_OK(encode_physical_expr(*when, pair->mutable_when()));
      ARROW_RETURN_NOT_OK(encode_physical_expr(*then, pair->mutable_then()));
    }
    if (e->else_expr()) {
      ARROW_RETURN_NOT_OK(encode_physical_expr(*e->else_expr(), m->mutable_else_expr()));
    }
    ARROW_ASSIGN_OR_RAISE(auto type, encode_type(e->result_type()));
    m->mutable_result_type()->set_ipc_schema(std::move(type));
  } else if (auto* e = exactly<physical::CastExpr>(expr)) {
    auto* m = out->mutable_cast();
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->arg(), m->mutable_arg()));
    ARROW_ASSIGN_OR_RAISE(auto type, encode_type(e->cast_type()));
    m->mutable_type()->set_ipc_schema(std::move(type));
    m->set_try_cast(e->is_try_cast());
  } else if (auto* e = exactly<physical::InListExpr>(expr)) {
    auto* m = out->mutable_in_list();
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->value(), m->mutable_value()));
    for (const auto& item : e->list()) {
      ARROW_RETURN_NOT_OK(encode_physical_expr(*item, m->add_list()));
    }
    m->set_negated(e->negated());
    if (e->value_set()) {
      ARROW_ASSIGN_OR_RAISE(auto set, encode_array(e->value_set()));
      m->set_value_set_ipc(std::move(set));
      m->set_has_value_set(true);
    }
  } else if (auto* e = exactly<physical::IsNullExpr>(expr)) {
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->arg(), out->mutable_is_null()->mutable_arg()));
  } else if (auto* e = exactly<physical::IsNotNullExpr>(expr)) {
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->arg(), out->mutable_is_not_null()->mutable_arg()));
  } else if (auto* e = exactly<physical::LikeExpr>(expr)) {
    auto* m = out->mutable_like();
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->value(), m->mutable_value()));
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->pattern(), m->mutable_pattern()));
    m->set_negated(e->negated());
    m->set_case_insensitive(e->case_insensitive());
  } else if (auto* e = exactly<physical::NegativeExpr>(expr)) {
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->arg(), out->mutable_negative()->mutable_arg()));
  } else if (auto* e = exactly<physical::NotExpr>(expr)) {
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->arg(), out->mutable_not_expr()->mutable_arg()));
  } else if (auto* e = exactly<physical::ScalarFunctionExpr>(expr)) {
    auto* m = out->mutable_scalar_function();
    m->set_name(e->name());
    for (const auto& arg : e->args())
      ARROW_RETURN_NOT_OK(encode_physical_expr(*arg, m->add_args()));
    ARROW_ASSIGN_OR_RAISE(auto type, encode_type(e->return_type()));
    m->mutable_return_type()->set_ipc_schema(std::move(type));
  } else if (auto* e = exactly<physical::TruthTestExpr>(expr)) {
    auto* m = out->mutable_truth_test();
    ARROW_RETURN_NOT_OK(encode_physical_expr(*e->arg(), m->mutable_arg()));
    m->set_test(static_cast<proto::TruthTestKind>(static_cast<int>(e->test())));
  } else {
    return arrow::Status::NotImplemented("no codec for expression ", expr.to_string(), " (",
                                         class_name(typeid(expr)), ")");
  }
  return arrow::Status::OK();
}

arrow::Result<PhysicalExprPtr> decode_physical_expr(const proto::PhysicalExprNode& node) {
  using Kind = proto::PhysicalExprNode::KindCase;
  switch (node.kind_case()) {
    case Kind::kColumn:
      return physical::make_column(node.column().name(), node.column().index());
    case Kind::kLiteral: {
      ARROW_ASSIGN_OR_RAISE(auto value, decode_scalar(node.literal().value().ipc_stream()));
      return physical::make_literal(std::move(value));
    }
    case Kind::kBinary: {
      const auto& m = node.binary();
      ARROW_ASSIGN_OR_RAISE(auto left, decode_required(m.left(), m.has_left(), "BinaryExpr"));
      ARROW_ASSIGN_OR_RAISE(auto right, decode_required(m.right(), m.has_right(), "BinaryExpr"));
      ARROW_ASSIGN_OR_RAISE(auto op, decode_binary_op(m.op()));
      return PhysicalExprPtr(
          std::make_shared<physical::BinaryExpr>(std::move(left), op, std::move(right)));
    }
    case Kind::kCaseExpr: {
      const auto& m = node.case_expr();
      ARROW_ASSIGN_OR_RAISE(auto operand, decode_optional(m.operand(), m.has_operand()));
      std::vector<physical::CaseExpr::WhenThen> when_then;
      for (const auto& pair : m.when_then()) {
        ARROW_ASSIGN_OR_RAISE(auto when, decode_required(pair.when(), pair.has_when(), "CASE"));
        ARROW_ASSIGN_OR_RAISE(auto then, decode_required(pair.then(), pair.has_then(), "CASE"));
        when_then.emplace_back(std::move(when), std::move(then));
      }
      ARROW_ASSIGN_OR_RAISE(auto else_expr, decode_optional(m.else_expr(), m.has_else_expr()));
      ARROW_ASSIGN_OR_RAISE(auto type, decode_type(m.result_type().ipc_schema()));
      return PhysicalExprPtr(std::make_shared<physical::CaseExpr>(
          std::move(operand), std::move(when_then), std::move(else_expr), std::move(type)));
    }
    case Kind::kCast: {
      const auto& m = node.cast();
      ARROW_ASSIGN_OR_RAISE(auto arg, decode_required(m.arg(), m.has_arg(), "CastExpr"));
      ARROW_ASSIGN_OR_RAISE(auto type, decode_type(m.type().ipc_schema()));
      return PhysicalExprPtr(
          std::make_shared<physical::CastExpr>(std::move(arg), std::move(type), m.try_cast()));
    }
    case Kind::kInList: {
      const auto& m = node.in_list();
      ARROW_ASSIGN_OR_RAISE(auto value, decode_required(m.value(), m.has_value(), "InListExpr"));
      std::vector<PhysicalExprPtr> list;
      for (const auto& item : m.list()) {
        ARROW_ASSIGN_OR_RAISE(auto decoded, decode_physical_expr(item));
        list.push_back(std::move(decoded));
      }
      std::shared_ptr<arrow::Array> value_set;
      if (m.has_value_set()) {
        ARROW_ASSIGN_OR_RAISE(value_set, decode_array(m.value_set_ipc()));
      }
      return PhysicalExprPtr(std::make_shared<physical::InListExpr>(
          std::move(value), std::move(list), m.negated(), std::move(value_set)));
    }
    case Kind::kIsNull: {
      ARROW_ASSIGN_OR_RAISE(
          auto arg, decode_required(node.is_null().arg(), node.is_null().has_arg(), "IS NULL"));
      return physical::make_is_null(std::move(arg));
    }
    case Kind::kIsNotNull: {
      ARROW_ASSIGN_OR_RAISE(auto arg, decode_required(node.is_not_null().arg(),
                                                      node.is_not_null().has_arg(), "IS NOT NULL"));
      return physical::make_is_not_null(std::move(arg));
    }
    case Kind::kLike: {
      const auto& m = node.like();
      ARROW_ASSIGN_OR_RAISE(auto value, decode_required(m.value(), m.has_value(), "LIKE"));
      ARROW_ASSIGN_OR_RAISE(auto pattern, decode_required(m.pattern(), m.has_pattern(), "LIKE"));
      return physical::make_like(std::move(value), std::move(pattern), m.negated(),
                                 m.case_insensitive());
    }
    case Kind::kNegative: {
      ARROW_ASSIGN_OR_RAISE(
          auto arg, decode_required(node.negative().arg(), node.negative().has_arg(), "negation"));
      return physical::make_negative(std::move(arg));
    }
    case Kind::kNotExpr: {
      ARROW_ASSIGN_OR_RAISE(
          auto arg, decode_required(node.not_expr().arg(), node.not_expr().has_arg(), "NOT"));
      return physical::make_not(std::move(arg));
    }
    case Kind::kScalarFunction: {
      const auto& m = node.scalar_function();
      const auto* def = functions::find_scalar_function(m.name());
      if (def == nullptr) {
        return arrow::Status::NotImplemented("plan codec: no scalar function named '", m.name(),
                                             "' is registered here");
      }
      std::vector<PhysicalExprPtr> args;
      for (const auto& arg : m.args()) {
        ARROW_ASSIGN_OR_RAISE(auto decoded, decode_physical_expr(arg));
        args.push_back(std::move(decoded));
      }
      ARROW_ASSIGN_OR_RAISE(auto type, decode_type(m.return_type().ipc_schema()));
      return PhysicalExprPtr(
          std::make_shared<physical::ScalarFunctionExpr>(def, std::move(args), std::move(type)));
    }
    case Kind::kTruthTest: {
      const auto& m = node.truth_test();
      ARROW_ASSIGN_OR_RAISE(auto arg, decode_required(m.arg(), m.has_arg(), "truth test"));
      if (m.test() < 0 || m.test() > static_cast<int>(physical::TruthTest::kIsNotFalse)) {
        return arrow::Status::Invalid("plan codec: unknown truth test ", m.test());
      }
      return PhysicalExprPtr(std::make_shared<physical::TruthTestExpr>(
          std::move(arg), static_cast<physical::TruthTest>(m.test())));
    }
    case Kind::KIND_NOT_SET:
      break;
  }
  return arrow::Status::Invalid("plan codec: expression message without a kind");
}

arrow::Status encode_logical_expr(const logical::Expr& expr, proto::LogicalExprNode* out) {
  if (expr.subquery != nullptr) {
    return arrow::Status::NotImplemented("no codec for logical expression with a subquery (",
                                         expr.to_string(), ")");
  }
  out->set_kind(static_cast<int>(expr.kind));
  out->set_has_relation(expr.column.relation.has_value());
  if (expr.column.relation) out->set_relation(*expr.column.relation);
  out->set_column_name(expr.column.name);
  if (expr.literal) {
    ARROW_ASSIGN_OR_RAISE(auto bytes, encode_scalar(*expr.literal));
    out->mutable_literal()->set_ipc_stream(std::move(bytes));
  }
  out->set_name(expr.name);
  out->set_op(encode_binary_op(expr.op));
  for (const auto& arg : expr.args) ARROW_RETURN_NOT_OK(encode_logical_expr(*arg, out->add_args()));
  out->set_negated(expr.negated);
  out->set_distinct(expr.distinct);
  out->set_case_insensitive(expr.case_insensitive);
  out->set_try_cast(expr.try_cast);
  if (expr.cast_type) {
    ARROW_ASSIGN_OR_RAISE(auto type, encode_type(expr.cast_type));
    out->mutable_cast_type()->set_ipc_schema(std::move(type));
  }
  if (expr.case_operand) {
    ARROW_RETURN_NOT_OK(encode_logical_expr(*expr.case_operand, out->mutable_case_operand()));
  }
  for (const auto& [when, then] : expr.when_then) {
    auto* pair = out->add_when_then();
    ARROW_RETURN_NOT_OK(encode_logical_expr(*when, pair->mutable_when()));
    ARROW_RETURN_NOT_OK(encode_logical_expr(*then, pair->mutable_then()));
  }
  if (expr.case_else)
    ARROW_RETURN_NOT_OK(encode_logical_expr(*expr.case_else, out->mutable_case_else()));
  if (expr.filter) ARROW_RETURN_NOT_OK(encode_logical_expr(*expr.filter, out->mutable_filter()));
  return arrow::Status::OK();
}

arrow::Result<logical::ExprPtr> decode_logical_expr(const proto::LogicalExprNode& node) {
  if (node.kind() < 0 || node.kind() > static_cast<int>(logical::ExprKind::kInSubquery)) {
    return arrow::Status::Invalid("plan codec: unknown logical expression kind ", node.kind());
  }
  auto expr = std::make_shared<logical::Expr>();
  expr->kind = static_cast<logical::ExprKind>(node.kind());
  if (node.has_relation()) expr->column.relation = node.relation();
  expr->column.name = node.column_name();
  if (node.has_literal()) {
    ARROW_ASSIGN_OR_RAISE(expr->literal, decode_scalar(node.literal().ipc_stream()));
  }
  expr->name = node.name();
  ARROW_ASSIGN_OR_RAISE(expr->op, decode_binary_op(node.op()));
  for (const auto& arg : node.args()) {
    ARROW_ASSIGN_OR_RAISE(auto decoded, decode_logical_expr(arg));
    expr->args.push_back(std::move(decoded));
  }
  expr->negated = node.negated();
  expr->distinct = node.distinct();
  expr->case_insensitive = node.case_insensitive();
  expr->try_cast = node.try_cast();
  if (node.has_cast_type()) {
    ARROW_ASSIGN_OR_RAISE(expr->cast_type, decode_type(node.cast_type().ipc_schema()));
  }
  if (node.has_case_operand()) {
    ARROW_ASSIGN_OR_RAISE(expr->case_operand, decode_logical_expr(node.case_operand()));
  }
  for (const auto& pair : node.when_then()) {
    ARROW_ASSIGN_OR_RAISE(auto when, decode_logical_expr(pair.when()));
    ARROW_ASSIGN_OR_RAISE(auto then, decode_logical_expr(pair.then()));
    expr->when_then.emplace_back(std::move(when), std::move(then));
  }
  if (node.has_case_else()) {
    ARROW_ASSIGN_OR_RAISE(expr->case_else, decode_logical_expr(node.case_else()));
  }
  if (node.has_filter()) {
    ARROW_ASSIGN_OR_RAISE(expr->filter, decode_logical_expr(node.filter()));
  }
  return logical::ExprPtr(std::move(expr));
}

}  // namespace quiver::distributed::codec
