#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/datasource/data_source.h"
#include "quiver/datasource/file_group.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::datasource {

class FileScanConfig;

/// The scan leaf: reads a DataSource, one output partition per source partition (per file group
/// for files). Displays as
/// `DataSourceExec: file_groups={1 group: [[t.parquet]]}, projection=[a], file_type=parquet`
/// or, in memory, `DataSourceExec: partitions=1, partition_sizes=[3]`.
///
/// The distributed file-scan estimator splits this leaf by file groups: file_groups() lists
/// them and with_file_groups() rebuilds the node over a subset.
class DataSourceExec final : public physical::ExecutionPlan {
 public:
  /// Creates a scan of `source`.
  explicit DataSourceExec(std::shared_ptr<const DataSource> source);

  /// Returns the source.
  const std::shared_ptr<const DataSource>& data_source() const { return source_; }
  /// Returns the file scan, or null when the source is not files.
  const FileScanConfig* file_scan() const;
  /// Returns the file groups (empty when the source is not files).
  const std::vector<FileGroup>& file_groups() const;
  /// Returns a copy of this node reading only `groups` (one partition each); fails when the
  /// source is not files.
  arrow::Result<physical::ExecutionPlanPtr> with_file_groups(std::vector<FileGroup> groups) const;

  std::string_view name() const override { return "DataSourceExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override;

 private:
  std::shared_ptr<const DataSource> source_;
  physical::PlanProperties properties_;
};

}  // namespace quiver::datasource
