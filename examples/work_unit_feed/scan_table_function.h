#pragma once

#include <memory>
#include <vector>

#include "quiver/catalog/table_provider.h"

namespace quiver::examples {

/// The table behind one `scan(...)` call: RemoteScanExec over a new ChunkFeedProvider.
class ScanTable final : public catalog::TableProvider {
 public:
  /// Creates the table of `partition_chunks` asking for `task_count` tasks.
  ScanTable(int task_count, std::vector<std::vector<int64_t>> partition_chunks)
      : task_count_(task_count), chunks_(std::move(partition_chunks)) {}
  std::shared_ptr<arrow::Schema> schema() const override;
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs& args) const override;

 private:
  int task_count_;
  std::vector<std::vector<int64_t>> chunks_;
};

/// The table function `scan(task_count, 'chunks_p0', 'chunks_p1', ...)`: the desired task count,
/// then one comma-separated list of chunk sizes per partition (such as '3,1'; '' is an empty
/// partition). The number of partition arguments must be a multiple of the task count.
class ScanTableFunction final : public catalog::TableFunction {
 public:
  /// Checks the arguments and returns the table.
  arrow::Result<std::shared_ptr<catalog::TableProvider>> call(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override;
};

}  // namespace quiver::examples
