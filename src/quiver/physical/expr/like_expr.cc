#include "quiver/physical/expr/like_expr.h"

#include <arrow/array/util.h>
#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include "quiver/physical/expr/compute_dispatch.h"
#include "quiver/physical/expr/like_matcher.h"

namespace quiver::physical {

namespace {

arrow::Status check_text(const std::shared_ptr<arrow::DataType>& type, const char* what,
                         const std::string& expr) {
  if (is_null_type(type) || is_string_type(*type)) return arrow::Status::OK();
  return arrow::Status::Invalid("LIKE expects a string ", what, ", got ", type->ToString(), " in ",
                                expr);
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> LikeExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(auto vt, value_->data_type(input_schema));
  ARROW_ASSIGN_OR_RAISE(auto pt, pattern_->data_type(input_schema));
  ARROW_RETURN_NOT_OK(check_text(vt, "value", to_string()));
  ARROW_RETURN_NOT_OK(check_text(pt, "pattern", to_string()));
  return arrow::boolean();
}

arrow::Result<bool> LikeExpr::nullable(const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(bool v, value_->nullable(input_schema));
  ARROW_ASSIGN_OR_RAISE(bool p, pattern_->nullable(input_schema));
  return v || p;
}

arrow::Result<arrow::Datum> LikeExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum pattern, pattern_->evaluate(batch));
  if (!pattern.is_scalar()) {
    return arrow::Status::NotImplemented("LIKE with a pattern that varies per row: ", to_string());
  }
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, value_->evaluate(batch));
  ARROW_RETURN_NOT_OK(check_text(value.type(), "value", to_string()));
  ARROW_RETURN_NOT_OK(check_text(pattern.type(), "pattern", to_string()));
  const auto& scalar = *pattern.scalar();
  if (!scalar.is_valid || is_null_type(value.type())) {
    if (value.is_scalar()) return arrow::Datum(arrow::MakeNullScalar(arrow::boolean()));
    ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(arrow::boolean(), value.length()));
    return arrow::Datum(nulls);
  }
  if (value.type()->id() == arrow::Type::STRING_VIEW) {
    ARROW_ASSIGN_OR_RAISE(value, cast_to(value, arrow::utf8()));
  }
  std::string text(static_cast<const arrow::BaseBinaryScalar&>(scalar).view());
  if (!case_insensitive_ && value.is_array()) {
    if (auto matcher = LikeMatcher::compile(text)) {
      ARROW_ASSIGN_OR_RAISE(auto matched, matcher->match_array(*value.make_array(), negated_));
      return arrow::Datum(std::move(matched));
    }
  }
  arrow::compute::MatchSubstringOptions options(text, case_insensitive_);
  ARROW_ASSIGN_OR_RAISE(arrow::Datum matched,
                        arrow::compute::CallFunction("match_like", {value}, &options));
  if (!negated_) return matched;
  return arrow::compute::CallFunction("invert", {matched});
}

arrow::Result<PhysicalExprPtr> LikeExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != 2) {
    return arrow::Status::UnknownError("LikeExpr takes 2 children, got ", children.size());
  }
  return make_like(std::move(children[0]), std::move(children[1]), negated_, case_insensitive_);
}

std::string LikeExpr::to_string() const {
  std::string op = negated_ ? "NOT " : "";
  op += case_insensitive_ ? "ILIKE" : "LIKE";
  return value_->to_string() + " " + op + " " + pattern_->to_string();
}

PhysicalExprPtr make_like(PhysicalExprPtr value, PhysicalExprPtr pattern, bool negated,
                          bool case_insensitive) {
  return std::make_shared<LikeExpr>(std::move(value), std::move(pattern), negated,
                                    case_insensitive);
}

}  // namespace quiver::physical
