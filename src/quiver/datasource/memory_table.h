#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>
#include <arrow/table.h>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "quiver/catalog/table_provider.h"

namespace quiver::datasource {

/// A table held in memory as partitions of record batches (registered Arrow tables, CREATE
/// TABLE, CREATE TABLE AS, INSERT). Scans read a snapshot; append() may run concurrently with
/// scans.
class MemoryTable final : public catalog::TableProvider {
 public:
  /// Creates a table; every batch must have the schema's column types (names and nullability
  /// are taken from `schema`).
  static arrow::Result<std::shared_ptr<MemoryTable>> Make(
      std::shared_ptr<arrow::Schema> schema,
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions = {});
  /// Creates a one-partition table holding an Arrow table's batches.
  static arrow::Result<std::shared_ptr<MemoryTable>> FromTable(const arrow::Table& table);

  /// Appends batches (converted to the table's schema) as a new partition, or to the only
  /// partition when there is one; fails when the column count or types differ.
  arrow::Status append(const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches);
  /// Returns a snapshot of the partitions.
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions() const;

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs& args) const override;
  std::optional<int64_t> num_rows() const override;
  bool supports_empty_projection() const override { return true; }

  /// Creates an empty table; use Make().
  explicit MemoryTable(std::shared_ptr<arrow::Schema> schema) : schema_(std::move(schema)) {}

 private:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> conform(
      const std::shared_ptr<arrow::RecordBatch>& batch) const;

  std::shared_ptr<arrow::Schema> schema_;
  mutable std::mutex mutex_;
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions_;
};

}  // namespace quiver::datasource
