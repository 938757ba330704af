#pragma once

#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <memory>
#include <optional>
#include <vector>

#include "quiver/datasource/data_source.h"

namespace quiver::datasource {

/// Batches held in memory, already split into partitions. Displays as
/// `partitions=2, partition_sizes=[3, 1]` (batches per partition), plus `, fetch=N` with a limit.
class MemorySource final : public DataSource {
 public:
  /// Creates a source over `partitions` of batches of `table_schema`, producing the columns in
  /// `projection` (indices into table_schema; nullopt = all) and at most `limit` rows per
  /// partition. Fails when the projection does not fit the schema.
  static arrow::Result<std::shared_ptr<MemorySource>> Make(
      std::shared_ptr<arrow::Schema> table_schema,
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions,
      std::optional<std::vector<int>> projection = std::nullopt,
      std::optional<int64_t> limit = std::nullopt);

  /// Returns the batches per partition (unprojected).
  const std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>& partitions() const {
    return partitions_;
  }
  /// Returns the projected columns (indices into the table schema), or nullopt for all.
  const std::optional<std::vector<int>>& projection() const { return projection_; }
  /// Returns the row limit per partition, if any.
  std::optional<int64_t> limit() const { return limit_; }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  int partition_count() const override { return static_cast<int>(partitions_.size()); }
  arrow::Result<physical::RecordBatchStreamPtr> open(
      int partition, const std::shared_ptr<physical::TaskContext>& context,
      physical::MetricsSet& metrics) const override;
  std::string display() const override;

  /// Creates the source; use Make().
  MemorySource(std::shared_ptr<arrow::Schema> schema,
               std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions,
               std::optional<std::vector<int>> projection, std::optional<int64_t> limit)
      : schema_(std::move(schema)),
        partitions_(std::move(partitions)),
        projection_(std::move(projection)),
        limit_(limit) {}

 private:
  std::shared_ptr<arrow::Schema> schema_;  // projected
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions_;
  std::optional<std::vector<int>> projection_;
  std::optional<int64_t> limit_;
};

}  // namespace quiver::datasource
