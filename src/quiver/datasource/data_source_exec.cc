#include "quiver/datasource/data_source_exec.h"

#include "quiver/datasource/file_scan_config.h"

namespace quiver::datasource {

namespace {

// Keeps the plan (and so its metrics) alive as long as a stream reads from it.
class OwningStream final : public physical::RecordBatchStream {
 public:
  OwningStream(physical::ExecutionPlanPtr plan, physical::RecordBatchStreamPtr inner)
      : plan_(std::move(plan)), inner_(std::move(inner)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return inner_->schema(); }
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override { return inner_->next(); }

 private:
  physical::ExecutionPlanPtr plan_;
  physical::RecordBatchStreamPtr inner_;
};

const std::vector<FileGroup> kNoGroups;

}  // namespace

DataSourceExec::DataSourceExec(std::shared_ptr<const DataSource> source)
    : source_(std::move(source)) {
  properties_.schema = source_->schema();
  properties_.partitioning = physical::Partitioning::unknown(source_->partition_count());
  properties_.emission = physical::EmissionType::kIncremental;
  properties_.boundedness = physical::Boundedness::kBounded;
}

const FileScanConfig* DataSourceExec::file_scan() const {
  return dynamic_cast<const FileScanConfig*>(source_.get());
}

const std::vector<FileGroup>& DataSourceExec::file_groups() const {
  const FileScanConfig* scan = file_scan();
  return scan == nullptr ? kNoGroups : scan->file_groups();
}

arrow::Result<physical::ExecutionPlanPtr> DataSourceExec::with_file_groups(
    std::vector<FileGroup> groups) const {
  const FileScanConfig* scan = file_scan();
  if (scan == nullptr) {
    return arrow::Status::UnknownError(
        "DataSourceExec: with_file_groups on a scan that does not "
        "read files (",
        source_->display(), ")");
  }
  return std::make_shared<DataSourceExec>(scan->with_file_groups(std::move(groups)));
}

arrow::Result<physical::ExecutionPlanPtr> DataSourceExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return std::static_pointer_cast<const physical::ExecutionPlan>(shared_from_this());
}

arrow::Result<physical::RecordBatchStreamPtr> DataSourceExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto stream, source_->open(partition, context, metrics()));
  return std::make_unique<OwningStream>(shared_from_this(), std::move(stream));
}

std::string DataSourceExec::display() const { return "DataSourceExec: " + source_->display(); }

}  // namespace quiver::datasource
