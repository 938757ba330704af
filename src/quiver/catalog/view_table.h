#pragma once

#include <memory>
#include <string>

#include "quiver/catalog/table_provider.h"
#include "quiver/logical/logical_plan.h"

namespace quiver::catalog {

/// A view (`CREATE VIEW name AS <query>`): a stored logical plan that the binder inlines
/// wherever the view is named. It has no scan of its own.
class ViewTable final : public TableProvider {
 public:
  /// Creates a view over a planned query.
  ViewTable(std::string name, logical::LogicalPlanPtr plan);

  /// Returns the view's name.
  const std::string& name() const { return name_; }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  /// Fails: views are inlined by the binder, so reaching this is an internal error.
  arrow::Result<physical::ExecutionPlanPtr> scan(const ScanArgs& args) const override;
  logical::LogicalPlanPtr view_plan() const override { return plan_; }

 private:
  std::string name_;
  logical::LogicalPlanPtr plan_;
  std::shared_ptr<arrow::Schema> schema_;
};

}  // namespace quiver::catalog
