#include "quiver/physical/expr/truth_test_expr.h"

#include <arrow/compute/api.h>

#include "quiver/physical/expr/compute_dispatch.h"

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> TruthTestExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(auto type, arg_->data_type(input_schema));
  if (type->id() != arrow::Type::BOOL && !is_null_type(type)) {
    return arrow::Status::Invalid("a truth test expects a Boolean argument, got ", type->ToString(),
                                  " in ", to_string());
  }
  return arrow::boolean();
}

arrow::Result<bool> TruthTestExpr::nullable(const arrow::Schema&) const { return false; }

arrow::Result<arrow::Datum> TruthTestExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg_->evaluate(batch));
  ARROW_ASSIGN_OR_RAISE(value, cast_to(value, arrow::boolean()));
  // IS TRUE: NULL -> false; IS NOT FALSE: NULL -> true; the other two negate the value first.
  const bool negate_first = test_ == TruthTest::kIsFalse || test_ == TruthTest::kIsNotFalse;
  const bool null_becomes = test_ == TruthTest::kIsNotTrue || test_ == TruthTest::kIsNotFalse;
  if (negate_first) {
    ARROW_ASSIGN_OR_RAISE(value, arrow::compute::CallFunction("invert", {value}));
  }
  const bool negate_after = test_ == TruthTest::kIsNotTrue || test_ == TruthTest::kIsNotFalse;
  if (negate_after) {
    ARROW_ASSIGN_OR_RAISE(value, arrow::compute::CallFunction("invert", {value}));
  }
  return arrow::compute::CallFunction("coalesce", {value, arrow::Datum(null_becomes)});
}

arrow::Result<PhysicalExprPtr> TruthTestExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != 1) {
    return arrow::Status::UnknownError("TruthTestExpr takes 1 child, got ", children.size());
  }
  return std::make_shared<TruthTestExpr>(std::move(children[0]), test_);
}

std::string TruthTestExpr::to_string() const {
  switch (test_) {
    case TruthTest::kIsTrue:
      return arg_->to_string() + " IS TRUE";
    case TruthTest::kIsNotTrue:
      return arg_->to_string() + " IS NOT TRUE";
    case TruthTest::kIsFalse:
      return arg_->to_string() + " IS FALSE";
    case TruthTest::kIsNotFalse:
      return arg_->to_string() + " IS NOT FALSE";
  }
  return arg_->to_string();
}

PhysicalExprPtr make_is_true(PhysicalExprPtr arg, bool negated) {
  return std::make_shared<TruthTestExpr>(std::move(arg),
                                         negated ? TruthTest::kIsNotTrue : TruthTest::kIsTrue);
}

PhysicalExprPtr make_is_false(PhysicalExprPtr arg, bool negated) {
  return std::make_shared<TruthTestExpr>(std::move(arg),
                                         negated ? TruthTest::kIsNotFalse : TruthTest::kIsFalse);
}

}  // namespace quiver::physical
