#include "quiver/catalog/view_table.h"

#include "quiver/logical/plan_schema.h"

namespace quiver::catalog {

ViewTable::ViewTable(std::string name, logical::LogicalPlanPtr plan)
    : name_(std::move(name)), plan_(std::move(plan)), schema_(plan_->schema.to_arrow()) {}

arrow::Result<physical::ExecutionPlanPtr> ViewTable::scan(const ScanArgs& args) const {
  return arrow::Status::UnknownError("view '", name_,
                                     "' reached the physical planner; the binder should have "
                                     "inlined its plan");
}

}  // namespace quiver::catalog
