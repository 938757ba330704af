#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

#include "quiver/logical/expr.h"
#include "quiver/physical/physical_expr.h"
#include "quiver_plan/quiver_plan.pb.h"

/// Physical expressions (and the logical filters a file scan carries) to and from their
/// quiver_plan.proto messages. Internal to the plan codec.
namespace quiver::distributed::codec {

/// Fills `out` with `expr`; an expression type without a codec is
/// `NotImplemented: no codec for expression X`.
arrow::Status encode_physical_expr(const physical::PhysicalExpr& expr,
                                   proto::PhysicalExprNode* out);
/// Rebuilds a physical expression; malformed messages are Invalid errors.
arrow::Result<physical::PhysicalExprPtr> decode_physical_expr(const proto::PhysicalExprNode& node);

/// Fills `out` with a logical expression (subqueries are NotImplemented).
arrow::Status encode_logical_expr(const logical::Expr& expr, proto::LogicalExprNode* out);
/// Rebuilds a logical expression.
arrow::Result<logical::ExprPtr> decode_logical_expr(const proto::LogicalExprNode& node);

/// Returns the wire form of a binary operator.
proto::BinaryOperator encode_binary_op(logical::BinaryOp op);
/// Returns the operator of a wire form (Invalid when out of range).
arrow::Result<logical::BinaryOp> decode_binary_op(int op);

}  // namespace quiver::distributed::codec
