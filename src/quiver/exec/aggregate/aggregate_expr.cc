#include "quiver/exec/aggregate/aggregate_expr.h"

namespace quiver::exec {

arrow::Result<BoundAggregate> BoundAggregate::Make(AggregateExpr expr,
                                                   const arrow::Schema& raw_input_schema) {
  BoundAggregate bound;
  bound.def = functions::find_aggregate_function(expr.function);
  if (bound.def == nullptr) {
    return arrow::Status::Invalid("unknown aggregate function '", expr.function, "' in ",
                                  expr.name);
  }
  for (const auto& arg : expr.args) {
    ARROW_ASSIGN_OR_RAISE(auto type, arg->data_type(raw_input_schema));
    bound.arg_types.push_back(std::move(type));
  }
  if (expr.filter != nullptr) {
    ARROW_ASSIGN_OR_RAISE(auto type, expr.filter->data_type(raw_input_schema));
    if (type->id() != arrow::Type::BOOL && type->id() != arrow::Type::NA) {
      return arrow::Status::Invalid("the FILTER of ", expr.name, " must be boolean, got ",
                                    type->ToString());
    }
  }
  ARROW_ASSIGN_OR_RAISE(bound.return_type, bound.def->return_type(bound.arg_types, expr.distinct));
  ARROW_ASSIGN_OR_RAISE(bound.state_fields,
                        bound.def->state_fields(bound.arg_types, expr.distinct, expr.name));
  bound.expr = std::move(expr);
  return bound;
}

}  // namespace quiver::exec
