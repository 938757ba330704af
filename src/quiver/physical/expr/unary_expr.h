#pragma once

#include <string_view>

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// A physical expression with one operand (NOT, unary minus, IS [NOT] NULL): holds the operand
/// and implements children() / with_new_children(); subclasses evaluate and display.
class UnaryExpr : public PhysicalExpr {
 public:
  /// Returns the operand.
  const PhysicalExprPtr& arg() const { return arg_; }

  std::vector<PhysicalExprPtr> children() const override { return {arg_}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;

 protected:
  /// Creates the expression over `arg`.
  explicit UnaryExpr(PhysicalExprPtr arg) : arg_(std::move(arg)) {}
  /// Returns the same kind of expression over another operand.
  virtual PhysicalExprPtr with_arg(PhysicalExprPtr arg) const = 0;

 private:
  PhysicalExprPtr arg_;
};

}  // namespace quiver::physical
