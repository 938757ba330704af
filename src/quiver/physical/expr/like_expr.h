#pragma once

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// `a@0 [NOT] LIKE|ILIKE pattern` with SQL wildcards (`%`, `_`, backslash escapes): patterns
/// of literal text and `%` through LikeMatcher (substring search), the others through Arrow's
/// `match_like`. The pattern must evaluate to a single value (a literal or other
/// constant); a per-row pattern is NotImplemented. NULL value or pattern gives NULL.
class LikeExpr : public PhysicalExpr {
 public:
  /// Creates the match; `case_insensitive` makes it ILIKE, `negated` NOT LIKE.
  LikeExpr(PhysicalExprPtr value, PhysicalExprPtr pattern, bool negated, bool case_insensitive)
      : value_(std::move(value)),
        pattern_(std::move(pattern)),
        negated_(negated),
        case_insensitive_(case_insensitive) {}

  /// Returns the matched expression.
  const PhysicalExprPtr& value() const { return value_; }
  /// Returns the pattern expression.
  const PhysicalExprPtr& pattern() const { return pattern_; }
  /// Returns true for NOT LIKE / NOT ILIKE.
  bool negated() const { return negated_; }
  /// Returns true for ILIKE.
  bool case_insensitive() const { return case_insensitive_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return {value_, pattern_}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  PhysicalExprPtr value_;
  PhysicalExprPtr pattern_;
  bool negated_;
  bool case_insensitive_;
};

/// Returns `value [NOT] LIKE|ILIKE pattern`.
PhysicalExprPtr make_like(PhysicalExprPtr value, PhysicalExprPtr pattern, bool negated = false,
                          bool case_insensitive = false);

}  // namespace quiver::physical
