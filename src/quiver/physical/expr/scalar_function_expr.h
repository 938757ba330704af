#pragma once

#include <string>
#include <vector>

#include "quiver/functions/scalar_function.h"
#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// A call of a scalar function, `upper(a@0)`, `substr(s@1, Int64(1), Int64(3))`: evaluates the
/// arguments, then `ScalarFunctionDef::invoke`. The definition comes from the process-wide
/// registry, whose entries live as long as the process.
class ScalarFunctionExpr : public PhysicalExpr {
 public:
  /// Creates a call of `def` whose result has `return_type` (from `def->return_type`).
  ScalarFunctionExpr(const functions::ScalarFunctionDef* def, std::vector<PhysicalExprPtr> args,
                     std::shared_ptr<arrow::DataType> return_type)
      : def_(def), args_(std::move(args)), return_type_(std::move(return_type)) {}

  /// Returns the function's name.
  const std::string& name() const { return def_->name; }
  /// Returns the function's definition.
  const functions::ScalarFunctionDef& def() const { return *def_; }
  /// Returns the arguments.
  const std::vector<PhysicalExprPtr>& args() const { return args_; }
  /// Returns the result type.
  const std::shared_ptr<arrow::DataType>& return_type() const { return return_type_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return args_; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  const functions::ScalarFunctionDef* def_;
  std::vector<PhysicalExprPtr> args_;
  std::shared_ptr<arrow::DataType> return_type_;
};

/// Returns a call of the registered function `name` over `input_schema`; an unknown name or
/// arguments the function does not accept are user errors.
arrow::Result<PhysicalExprPtr> make_scalar_function(const std::string& name,
                                                    std::vector<PhysicalExprPtr> args,
                                                    const arrow::Schema& input_schema);

}  // namespace quiver::physical
