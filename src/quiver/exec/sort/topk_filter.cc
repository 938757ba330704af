#include "quiver/exec/sort/topk_filter.h"

#include <arrow/compute/api.h>

#include <cmath>

namespace quiver::exec {

namespace {

bool is_nan(const arrow::Scalar& s) {
  if (s.type->id() == arrow::Type::DOUBLE) {
    return std::isnan(static_cast<const arrow::DoubleScalar&>(s).value);
  }
  if (s.type->id() == arrow::Type::FLOAT) {
    return std::isnan(static_cast<const arrow::FloatScalar&>(s).value);
  }
  return false;
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::RecordBatch>> filter_topk_candidates(
    const std::shared_ptr<arrow::RecordBatch>& batch, const physical::PhysicalSortExpr& first_key,
    const std::shared_ptr<arrow::Scalar>& threshold) {
  namespace cp = arrow::compute;
  if (batch->num_rows() == 0 || threshold == nullptr || is_nan(*threshold)) return batch;
  ARROW_ASSIGN_OR_RAISE(auto key, physical::evaluate_to_array(*first_key.expr, *batch));
  arrow::Datum mask;
  if (!threshold->is_valid) {
    // The worst kept row has a NULL key: with NULLS LAST every non-null row is better (keep
    // all); with NULLS FIRST the top-k is all NULLs, so only NULL keys can tie.
    if (!first_key.nulls_first) return batch;
    ARROW_ASSIGN_OR_RAISE(mask, cp::IsNull(key));
  } else {
    // The threshold comes from the same key, so its type normally matches (Arrow cannot cast
    // some scalars, e.g. decimals, even to their own type).
    std::shared_ptr<arrow::Scalar> typed = threshold;
    if (!threshold->type->Equals(*key->type())) {
      ARROW_ASSIGN_OR_RAISE(typed, threshold->CastTo(key->type()));
    }
    ARROW_ASSIGN_OR_RAISE(
        auto better_or_tie,
        cp::CallFunction(first_key.ascending ? "less_equal" : "greater_equal", {key, typed}));
    // A NULL key is better than any value with NULLS FIRST, worse with NULLS LAST.
    ARROW_ASSIGN_OR_RAISE(
        mask, cp::CallFunction("coalesce",
                               {better_or_tie, arrow::Datum(std::make_shared<arrow::BooleanScalar>(
                                                   first_key.nulls_first))}));
    if (arrow::is_floating(key->type()->id())) {
      ARROW_ASSIGN_OR_RAISE(auto nan, cp::CallFunction("is_nan", {key}));
      ARROW_ASSIGN_OR_RAISE(auto nan_kept,
                            cp::CallFunction("coalesce", {nan, arrow::Datum(false)}));
      ARROW_ASSIGN_OR_RAISE(mask, cp::CallFunction("or", {mask, nan_kept}));
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto filtered, cp::Filter(arrow::Datum(batch), mask));
  return filtered.record_batch();
}

}  // namespace quiver::exec
