#include "quiver/sql/constant_evaluator.h"

#include <arrow/datum.h>
#include <arrow/record_batch.h>

#include "quiver/logical/expr_type.h"
#include "quiver/planner/expr_planner.h"

namespace quiver::sql {

arrow::Result<std::shared_ptr<arrow::Scalar>> evaluate_constant(const logical::ExprPtr& expr,
                                                                const char* what) {
  if (!logical::referenced_columns(*expr).empty()) {
    return arrow::Status::Invalid(what, " must be a constant, not ", expr->to_string());
  }
  ARROW_ASSIGN_OR_RAISE(auto coerced, logical::coerce_expr(expr, logical::PlanSchema()));
  // Evaluated exactly as at execution: planned as a physical expression over a one-row batch
  // without columns. Aggregates and subqueries cannot be planned there and are not constants.
  auto physical = planner::create_physical_expr(*coerced, logical::PlanSchema());
  if (!physical.ok()) {
    return arrow::Status::Invalid(what, " must be a constant, not ", expr->to_string());
  }
  const auto one_row =
      arrow::RecordBatch::Make(arrow::schema(arrow::FieldVector{}), 1, arrow::ArrayVector{});
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, (*physical)->evaluate(*one_row));
  if (value.is_scalar()) return value.scalar();
  ARROW_ASSIGN_OR_RAISE(auto array, physical::evaluate_to_array(**physical, *one_row));
  return array->GetScalar(0);
}

}  // namespace quiver::sql
