#include "quiver/catalog/data_frame.h"

#include "quiver/catalog/session_context.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/logical/plan_schema.h"

namespace quiver::catalog {

DataFrame::DataFrame(std::shared_ptr<const SessionContext> session, logical::LogicalPlanPtr plan)
    : session_(std::move(session)), plan_(std::move(plan)) {}

DataFrame::DataFrame(std::shared_ptr<arrow::Table> result) : result_(std::move(result)) {}

std::shared_ptr<arrow::Schema> DataFrame::schema() const {
  if (result_ != nullptr) return result_->schema();
  if (physical_ != nullptr) return physical_->schema();
  return plan_->schema.to_arrow();
}

arrow::Result<physical::ExecutionPlanPtr> DataFrame::physical_plan() {
  if (physical_ != nullptr) return physical_;
  if (plan_ == nullptr || session_ == nullptr) {
    return arrow::Status::Invalid(
        "this result was computed when the statement ran; it has no plan");
  }
  ARROW_ASSIGN_OR_RAISE(physical_, session_->create_physical_plan(plan_));
  return physical_;
}

arrow::Result<std::shared_ptr<arrow::Table>> DataFrame::collect() {
  if (result_ != nullptr) return result_;
  ARROW_ASSIGN_OR_RAISE(auto plan, physical_plan());
  context_ = session_->task_context();
  return physical::collect(plan, context_);
}

arrow::Result<physical::RecordBatchStreamPtr> DataFrame::execute_stream() {
  if (result_ != nullptr) {
    arrow::TableBatchReader reader(*result_);
    ARROW_ASSIGN_OR_RAISE(auto batches, reader.ToRecordBatches());
    return physical::make_vector_stream(result_->schema(), std::move(batches));
  }
  ARROW_ASSIGN_OR_RAISE(auto plan, physical_plan());
  context_ = session_->task_context();
  // Several partitions are merged in arrival order by the engine's own coalesce operator.
  if (plan->output_partitions() == 1) return plan->execute(0, context_);
  if (plan->output_partitions() == 0) return physical::make_vector_stream(plan->schema(), {});
  ARROW_ASSIGN_OR_RAISE(auto merged, exec::CoalescePartitionsExec::Make(plan));
  return merged->execute(0, context_);
}

}  // namespace quiver::catalog
