#pragma once

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// The four SQL truth tests.
enum class TruthTest { kIsTrue, kIsNotTrue, kIsFalse, kIsNotFalse };

/// `a@0 IS TRUE`, `IS NOT TRUE`, `IS FALSE`, `IS NOT FALSE`: tests a Boolean where NULL counts as
/// unknown (NULL IS NOT TRUE is true); never NULL itself.
class TruthTestExpr : public PhysicalExpr {
 public:
  /// Creates the test `test` of `arg`.
  TruthTestExpr(PhysicalExprPtr arg, TruthTest test) : arg_(std::move(arg)), test_(test) {}

  /// Returns the tested expression.
  const PhysicalExprPtr& arg() const { return arg_; }
  /// Returns which test this is.
  TruthTest test() const { return test_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return {arg_}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  PhysicalExprPtr arg_;
  TruthTest test_;
};

/// Returns `arg IS TRUE` (or `IS NOT TRUE` when `negated`).
PhysicalExprPtr make_is_true(PhysicalExprPtr arg, bool negated = false);
/// Returns `arg IS FALSE` (or `IS NOT FALSE` when `negated`).
PhysicalExprPtr make_is_false(PhysicalExprPtr arg, bool negated = false);

}  // namespace quiver::physical
