// make_join (declared in plan_builder.h): key coercion, filter checks and the join's schema.
#include <arrow/status.h>
#include <arrow/type.h>

#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_builder.h"

namespace quiver::logical {

namespace {

/// Returns `schema` with every field nullable (the side an outer join pads with NULLs).
PlanSchema nullable_schema(const PlanSchema& schema) {
  std::vector<QualifiedField> fields;
  fields.reserve(schema.fields().size());
  for (const auto& f : schema.fields()) {
    fields.push_back(QualifiedField{f.qualifier, f.field->WithNullable(true)});
  }
  return PlanSchema(std::move(fields));
}

PlanSchema join_schema(const PlanSchema& left, const PlanSchema& right, JoinType type) {
  switch (type) {
    case JoinType::kLeftSemi:
    case JoinType::kLeftAnti:
      return left;
    case JoinType::kLeft:
      return PlanSchema::concat(left, nullable_schema(right));
    case JoinType::kRight:
      return PlanSchema::concat(nullable_schema(left), right);
    case JoinType::kFull:
      return PlanSchema::concat(nullable_schema(left), nullable_schema(right));
    case JoinType::kInner:
    case JoinType::kCross:
      break;
  }
  return PlanSchema::concat(left, right);
}

}  // namespace

arrow::Result<LogicalPlanPtr> make_join(LogicalPlanPtr left, LogicalPlanPtr right, JoinType type,
                                        std::vector<std::pair<ExprPtr, ExprPtr>> on, ExprPtr filter,
                                        bool null_aware) {
  if (!left || !right) return arrow::Status::UnknownError("Join built without two input plans");
  if (type == JoinType::kCross && (!on.empty() || filter)) {
    return arrow::Status::UnknownError("a cross join takes neither keys nor a filter");
  }
  if (null_aware && (type != JoinType::kLeftAnti || on.size() != 1)) {
    return arrow::Status::UnknownError("a null-aware join must be a LeftAnti join on one key");
  }
  // Keys: each side over its own input, both cast to the type they are compared in.
  for (auto& [l, r] : on) {
    ARROW_ASSIGN_OR_RAISE(auto lt, expr_type(*l, left->schema));
    ARROW_ASSIGN_OR_RAISE(auto rt, expr_type(*r, right->schema));
    auto common = comparison_coercion(lt, rt);
    if (!common.ok()) {
      return arrow::Status::Invalid("join keys ", l->to_string(), " and ", r->to_string(),
                                    " cannot be compared: ", common.status().message());
    }
    ARROW_ASSIGN_OR_RAISE(l, cast_expr_to(l, *common, left->schema));
    ARROW_ASSIGN_OR_RAISE(r, cast_expr_to(r, *common, right->schema));
  }
  // The filter sees both sides' columns, whatever the output keeps.
  const PlanSchema both = PlanSchema::concat(left->schema, right->schema);
  if (filter) {
    if (contains_aggregate(*filter)) {
      return arrow::Status::Invalid("aggregate functions are not allowed in JOIN conditions: ",
                                    filter->to_string());
    }
    ARROW_ASSIGN_OR_RAISE(auto ft, expr_type(*filter, both));
    if (ft->id() != arrow::Type::BOOL && ft->id() != arrow::Type::NA) {
      return arrow::Status::Invalid("a join condition must be Boolean, not ",
                                    type_display_name(*ft), ": ", filter->to_string());
    }
  }
  auto plan = std::make_shared<LogicalPlan>();
  plan->kind = PlanKind::kJoin;
  plan->schema = join_schema(left->schema, right->schema, type);
  plan->inputs = {std::move(left), std::move(right)};
  plan->join_type = type;
  plan->join_on = std::move(on);
  plan->join_filter = std::move(filter);
  plan->null_aware = null_aware;
  return plan;
}

}  // namespace quiver::logical
