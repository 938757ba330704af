#include "quiver/physical/expr/scalar_function_expr.h"

#include "quiver/common/error.h"
#include "quiver/physical/expr/compute_dispatch.h"
#include "quiver/physical/expr/literal_expr.h"

namespace quiver::physical {

arrow::Result<std::shared_ptr<arrow::DataType>> ScalarFunctionExpr::data_type(
    const arrow::Schema&) const {
  return return_type_;
}

arrow::Result<bool> ScalarFunctionExpr::nullable(const arrow::Schema&) const { return true; }

arrow::Result<arrow::Datum> ScalarFunctionExpr::evaluate(const arrow::RecordBatch& batch) const {
  std::vector<arrow::Datum> values;
  values.reserve(args_.size());
  for (const auto& arg : args_) {
    ARROW_ASSIGN_OR_RAISE(arrow::Datum v, arg->evaluate(batch));
    values.push_back(std::move(v));
  }
  ARROW_ASSIGN_OR_RAISE(arrow::Datum out, def_->invoke(values, batch.num_rows()));
  if (out.type()->Equals(*return_type_)) return out;
  // A NULL-only result (e.g. from untyped NULL arguments) may come back as the Null type.
  auto cast = cast_to(out, return_type_);
  if (!cast.ok()) {
    return arrow::Status::UnknownError("function ", def_->name, " returned ",
                                       out.type()->ToString(), " but declared ",
                                       return_type_->ToString());
  }
  return cast;
}

arrow::Result<PhysicalExprPtr> ScalarFunctionExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != args_.size()) {
    return arrow::Status::UnknownError(def_->name, " takes ", args_.size(), " children, got ",
                                       children.size());
  }
  return std::make_shared<ScalarFunctionExpr>(def_, std::move(children), return_type_);
}

std::string ScalarFunctionExpr::to_string() const {
  std::string out = def_->name + "(";
  for (size_t i = 0; i < args_.size(); ++i) {
    if (i > 0) out += ", ";
    out += args_[i]->to_string();
  }
  return out + ")";
}

arrow::Result<PhysicalExprPtr> make_scalar_function(const std::string& name,
                                                    std::vector<PhysicalExprPtr> args,
                                                    const arrow::Schema& input_schema) {
  const functions::ScalarFunctionDef* def = functions::find_scalar_function(name);
  if (def == nullptr) {
    return arrow::Status::Invalid("unknown function ", name,
                                  common::did_you_mean(name, functions::scalar_function_names()));
  }
  functions::DataTypeVector types;
  std::vector<std::shared_ptr<arrow::Scalar>> constants;
  types.reserve(args.size());
  for (const auto& arg : args) {
    ARROW_ASSIGN_OR_RAISE(auto t, arg->data_type(input_schema));
    types.push_back(std::move(t));
    const auto* literal = dynamic_cast<const LiteralExpr*>(arg.get());
    constants.push_back(literal != nullptr ? literal->value() : nullptr);
  }
  ARROW_ASSIGN_OR_RAISE(auto return_type, functions::resolve_return_type(*def, types, constants));
  return std::make_shared<ScalarFunctionExpr>(def, std::move(args), std::move(return_type));
}

}  // namespace quiver::physical
