#include "quiver/physical/expr/in_list_expr.h"

#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include "quiver/physical/expr/compute_dispatch.h"
#include "quiver/physical/expr/literal_expr.h"
#include "quiver/physical/expr/string_set_match.h"

namespace quiver::physical {

namespace {

// Builds the lookup set from literal items, or returns null when an item is not a literal.
arrow::Result<std::shared_ptr<arrow::Array>> literal_set(
    const std::vector<PhysicalExprPtr>& list, const std::shared_ptr<arrow::DataType>& type) {
  std::unique_ptr<arrow::ArrayBuilder> builder;
  ARROW_RETURN_NOT_OK(arrow::MakeBuilder(arrow::default_memory_pool(), type, &builder));
  for (const auto& item : list) {
    auto* literal = dynamic_cast<const LiteralExpr*>(item.get());
    if (literal == nullptr) return nullptr;
    const auto& scalar = literal->value();
    if (!scalar->is_valid) {
      ARROW_RETURN_NOT_OK(builder->AppendNull());
      continue;
    }
    // A lossy conversion (1.5 into an integer set) would change the answer: compare with
    // Arrow's common-type rules instead.
    auto cast = arrow::compute::Cast(arrow::Datum(scalar), arrow::compute::CastOptions::Safe(type));
    if (!cast.ok()) return nullptr;
    ARROW_RETURN_NOT_OK(builder->AppendScalar(*cast->scalar()));
  }
  return builder->Finish();
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> InListExpr::data_type(const arrow::Schema&) const {
  return arrow::boolean();
}

arrow::Result<bool> InListExpr::nullable(const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(bool n, value_->nullable(input_schema));
  if (n) return true;
  for (const auto& item : list_) {
    ARROW_ASSIGN_OR_RAISE(bool item_nullable, item->nullable(input_schema));
    if (item_nullable) return true;
  }
  return false;
}

arrow::Result<arrow::Datum> InListExpr::evaluate_items(const arrow::Datum& value,
                                                       const arrow::RecordBatch& batch) const {
  // x IN (a, b) == x = a OR x = b, with three-valued logic.
  arrow::Datum result(std::make_shared<arrow::BooleanScalar>(false));
  for (const auto& item : list_) {
    ARROW_ASSIGN_OR_RAISE(arrow::Datum v, item->evaluate(batch));
    arrow::Datum eq;
    if (is_null_type(v.type()) || is_null_type(value.type())) {
      eq = arrow::Datum(arrow::MakeNullScalar(arrow::boolean()));
    } else {
      ARROW_ASSIGN_OR_RAISE(eq, arrow::compute::CallFunction("equal", {value, v}));
    }
    ARROW_ASSIGN_OR_RAISE(result, arrow::compute::CallFunction("or_kleene", {result, eq}));
  }
  return result;
}

arrow::Result<arrow::Datum> InListExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, value_->evaluate(batch));
  arrow::Datum found;
  if (is_null_type(value.type())) {
    found = arrow::Datum(arrow::MakeNullScalar(arrow::boolean()));
  } else if (value_set_ && value_set_->type()->Equals(*value.type()) &&
             value_set_->null_count() == 0 &&
             value_set_->length() <= static_cast<int64_t>(kMaxStringSetMatch) &&
             is_matchable_string_array(value)) {
    std::vector<std::string> candidates;
    const bool large = value_set_->type_id() == arrow::Type::LARGE_STRING ||
                       value_set_->type_id() == arrow::Type::LARGE_BINARY;
    for (int64_t i = 0; i < value_set_->length(); ++i) {
      candidates.emplace_back(
          large ? static_cast<const arrow::LargeBinaryArray&>(*value_set_).GetView(i)
                : static_cast<const arrow::BinaryArray&>(*value_set_).GetView(i));
    }
    ARROW_ASSIGN_OR_RAISE(auto matched,
                          string_set_match(*value.make_array(), candidates, negated_));
    return arrow::Datum(std::move(matched));
  } else if (value_set_ && value_set_->type()->Equals(*value.type())) {
    arrow::compute::SetLookupOptions options(arrow::Datum(value_set_),
                                             arrow::compute::SetLookupOptions::INCONCLUSIVE);
    ARROW_ASSIGN_OR_RAISE(found, arrow::compute::CallFunction("is_in", {value}, &options));
  } else {
    ARROW_ASSIGN_OR_RAISE(found, evaluate_items(value, batch));
  }
  if (!negated_) return found;
  return arrow::compute::CallFunction("invert", {found});
}

std::vector<PhysicalExprPtr> InListExpr::children() const {
  std::vector<PhysicalExprPtr> out{value_};
  out.insert(out.end(), list_.begin(), list_.end());
  return out;
}

arrow::Result<PhysicalExprPtr> InListExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != list_.size() + 1) {
    return arrow::Status::UnknownError("InListExpr takes ", list_.size() + 1, " children, got ",
                                       children.size());
  }
  PhysicalExprPtr value = children[0];
  std::vector<PhysicalExprPtr> list(children.begin() + 1, children.end());
  // The value set stays valid only if the items are the same literals.
  std::shared_ptr<arrow::Array> value_set = value_set_;
  for (size_t i = 0; i < list.size() && value_set; ++i) {
    if (list[i] != list_[i]) value_set = nullptr;
  }
  return std::make_shared<InListExpr>(std::move(value), std::move(list), negated_,
                                      std::move(value_set));
}

std::string InListExpr::to_string() const {
  std::string out = value_->to_string() + (negated_ ? " NOT IN (" : " IN (");
  out += physical::to_string(list_);
  return out + ")";
}

arrow::Result<PhysicalExprPtr> make_in_list(PhysicalExprPtr value,
                                            std::vector<PhysicalExprPtr> list, bool negated,
                                            const arrow::Schema& input_schema) {
  ARROW_ASSIGN_OR_RAISE(auto type, value->data_type(input_schema));
  std::shared_ptr<arrow::Array> value_set;
  if (!is_null_type(type) && !list.empty()) {
    ARROW_ASSIGN_OR_RAISE(value_set, literal_set(list, type));
  }
  return std::make_shared<InListExpr>(std::move(value), std::move(list), negated,
                                      std::move(value_set));
}

}  // namespace quiver::physical
