#include "quiver/distributed/network/stage_input_exec.h"

#include "quiver/distributed/network/network_boundary.h"

namespace quiver::distributed {

arrow::Result<std::shared_ptr<StageInputExec>> StageInputExec::Make(
    int stage, std::string producer, physical::PlanProperties properties) {
  if (stage < 1 || properties.schema == nullptr || properties.partitioning.count < 1) {
    return arrow::Status::UnknownError("StageInputExec for stage ", stage, " (", producer,
                                       ") needs a planned stage, a schema and partitions");
  }
  return std::make_shared<StageInputExec>(stage, std::move(producer), std::move(properties));
}

arrow::Result<std::shared_ptr<StageInputExec>> StageInputExec::Of(
    int stage, const physical::ExecutionPlan& input) {
  return Make(stage, std::string(input.name()), input.properties());
}

arrow::Result<physical::ExecutionPlanPtr> StageInputExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return shared_from_this();
}

arrow::Result<physical::RecordBatchStreamPtr> StageInputExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  (void)context;
  return arrow::Status::UnknownError(
      "StageInputExec: partition ", partition, " of stage ", stage_, " (", producer_,
      ") was executed in place; that stage runs on its own tasks and only a network boundary "
      "may read it");
}

std::string StageInputExec::display() const {
  std::string out = "StageInputExec: stage=" + std::to_string(stage_) + ", producer=" + producer_ +
                    ", partitioning=" + properties_.partitioning.to_string();
  if (!properties_.output_ordering.empty()) {
    out += ", ordering=" + physical::to_string(properties_.output_ordering);
  }
  return out;
}

arrow::Result<physical::ExecutionPlanPtr> without_lower_stages(
    const physical::ExecutionPlanPtr& stage_plan) {
  if (const auto* boundary = dynamic_cast<const NetworkBoundary*>(stage_plan.get())) {
    if (!boundary->planned()) {
      return arrow::Status::UnknownError(boundary->name(),
                                         " must be planned before its task plan is cut");
    }
    if (dynamic_cast<const StageInputExec*>(boundary->input().get()) != nullptr) return stage_plan;
    ARROW_ASSIGN_OR_RAISE(auto input,
                          StageInputExec::Of(boundary->plan().stage, *boundary->input()));
    return boundary->with_input_and_routing(std::move(input), boundary->routing());
  }
  auto children = stage_plan->children();
  bool changed = false;
  for (auto& child : children) {
    ARROW_ASSIGN_OR_RAISE(auto cut, without_lower_stages(child));
    changed = changed || cut != child;
    child = std::move(cut);
  }
  if (!changed) return stage_plan;
  return stage_plan->with_new_children(std::move(children));
}

}  // namespace quiver::distributed
