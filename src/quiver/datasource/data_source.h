#pragma once

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <memory>
#include <string>

#include "quiver/physical/metrics.h"
#include "quiver/physical/record_batch_stream.h"
#include "quiver/physical/task_context.h"

namespace quiver::datasource {

/// What a DataSourceExec reads: files split into groups (FileScanConfig) or batches in memory
/// (MemorySource). Immutable; `open` may be called concurrently for different partitions.
class DataSource : public std::enable_shared_from_this<DataSource> {
 public:
  virtual ~DataSource() = default;
  /// Returns the schema of the batches the source produces (after projection).
  virtual std::shared_ptr<arrow::Schema> schema() const = 0;
  /// Returns the number of partitions.
  virtual int partition_count() const = 0;
  /// Starts reading one partition; `metrics` is the owning node's (output rows are counted by
  /// the node, source-specific counters such as `row_groups_pruned` by the source).
  virtual arrow::Result<physical::RecordBatchStreamPtr> open(
      int partition, const std::shared_ptr<physical::TaskContext>& context,
      physical::MetricsSet& metrics) const = 0;
  /// Returns the text after `DataSourceExec: ` in plans.
  virtual std::string display() const = 0;
};

}  // namespace quiver::datasource
