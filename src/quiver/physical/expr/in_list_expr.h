#pragma once

#include <vector>

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// `a@0 IN ([Int64(1), Int64(2)])` (or `NOT IN`) with SQL semantics: NULL when the value is
/// NULL, or when it is not found and the list holds a NULL. An all-literal list is looked up
/// in a hash set (Arrow `is_in`); other lists are evaluated as `x = e1 OR x = e2 ...`.
class InListExpr : public PhysicalExpr {
 public:
  /// Creates the test; `value_set` is the literal list cast to the value's type, or null when
  /// some item is not a literal.
  InListExpr(PhysicalExprPtr value, std::vector<PhysicalExprPtr> list, bool negated,
             std::shared_ptr<arrow::Array> value_set)
      : value_(std::move(value)),
        list_(std::move(list)),
        negated_(negated),
        value_set_(std::move(value_set)) {}

  /// Returns the tested expression.
  const PhysicalExprPtr& value() const { return value_; }
  /// Returns the list items.
  const std::vector<PhysicalExprPtr>& list() const { return list_; }
  /// Returns true for NOT IN.
  bool negated() const { return negated_; }
  /// Returns the literal list cast to the value's type, or null when items are compared one by
  /// one.
  const std::shared_ptr<arrow::Array>& value_set() const { return value_set_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override;
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  arrow::Result<arrow::Datum> evaluate_items(const arrow::Datum& value,
                                             const arrow::RecordBatch& batch) const;

  PhysicalExprPtr value_;
  std::vector<PhysicalExprPtr> list_;
  bool negated_;
  std::shared_ptr<arrow::Array> value_set_;
};

/// Returns `value [NOT] IN (list)` over `input_schema`; an all-literal list is cast to the
/// value's type once, here (when a literal does not convert exactly, items are compared one by
/// one instead).
arrow::Result<PhysicalExprPtr> make_in_list(PhysicalExprPtr value,
                                            std::vector<PhysicalExprPtr> list, bool negated,
                                            const arrow::Schema& input_schema);

}  // namespace quiver::physical
