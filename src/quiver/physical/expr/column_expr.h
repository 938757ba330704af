#pragma once

#include <string>

#include "quiver/physical/physical_expr.h"

namespace quiver::physical {

/// A reference to the column at `index` of the input batch, displayed as `name@index`
/// (`number@0`). Evaluates to the batch's column itself (no copy).
class ColumnExpr : public PhysicalExpr {
 public:
  /// Creates a reference to column `index`, named `name` for display.
  ColumnExpr(std::string name, int index) : name_(std::move(name)), index_(index) {}

  /// Returns the column's (unqualified) name.
  const std::string& name() const { return name_; }
  /// Returns the column's position in the input batch.
  int index() const { return index_; }

  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(
      const arrow::Schema& input_schema) const override;
  arrow::Result<bool> nullable(const arrow::Schema& input_schema) const override;
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override;
  std::vector<PhysicalExprPtr> children() const override { return {}; }
  arrow::Result<PhysicalExprPtr> with_new_children(
      std::vector<PhysicalExprPtr> children) const override;
  std::string to_string() const override;

 private:
  std::string name_;
  int index_;
};

/// Returns a reference to column `index` named `name`.
PhysicalExprPtr make_column(std::string name, int index);

}  // namespace quiver::physical
