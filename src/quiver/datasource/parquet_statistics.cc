#include "quiver/datasource/parquet_statistics.h"

#include <arrow/type.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/metadata.h>
#include <parquet/statistics.h>

namespace quiver::datasource {

std::optional<catalog::ColumnStatistics> row_group_column_statistics(
    const parquet::RowGroupMetaData& row_group, const parquet::arrow::SchemaManifest& manifest,
    const std::string& name) {
  int leaf = -1;
  for (const auto& field : manifest.schema_fields) {
    if (field.field != nullptr && field.field->name() == name) {
      if (!field.is_leaf()) return std::nullopt;
      leaf = field.column_index;
      break;
    }
  }
  if (leaf < 0 || leaf >= row_group.num_columns()) return std::nullopt;
  auto chunk = row_group.ColumnChunk(leaf);
  if (chunk == nullptr || !chunk->is_stats_set()) return std::nullopt;
  std::shared_ptr<parquet::Statistics> statistics = chunk->statistics();
  if (statistics == nullptr) return std::nullopt;
  catalog::ColumnStatistics out;
  if (statistics->HasNullCount()) out.null_count = statistics->null_count();
  if (statistics->HasMinMax()) {
    std::shared_ptr<arrow::Scalar> min, max;
    if (parquet::arrow::StatisticsAsScalars(*statistics, &min, &max).ok()) {
      out.min = std::move(min);
      out.max = std::move(max);
    }
  }
  return out;
}

catalog::TableStatistics parquet_file_statistics(const parquet::FileMetaData& metadata,
                                                 const parquet::arrow::SchemaManifest& manifest,
                                                 const arrow::Schema& table_schema) {
  catalog::TableStatistics out;
  out.num_rows = metadata.num_rows();
  out.columns.resize(static_cast<size_t>(table_schema.num_fields()));
  for (int c = 0; c < table_schema.num_fields(); ++c) {
    const std::string& name = table_schema.field(c)->name();
    bool known = true;
    std::optional<catalog::ColumnStatistics> range;  // over row groups with a non-NULL value
    std::optional<int64_t> nulls = 0;
    for (int g = 0; g < metadata.num_row_groups() && known; ++g) {
      const auto row_group = metadata.RowGroup(g);
      if (row_group->num_rows() == 0) continue;
      auto stats = row_group_column_statistics(*row_group, manifest, name);
      if (!stats) {
        known = false;
        break;
      }
      nulls = nulls && stats->null_count ? std::optional<int64_t>(*nulls + *stats->null_count)
                                         : std::nullopt;
      // A row group of NULLs only has no min/max and does not widen the range.
      if (stats->null_count && *stats->null_count == row_group->num_rows()) continue;
      range = range ? range->merged(*stats) : *stats;
    }
    if (!known) continue;
    auto& column = out.columns[static_cast<size_t>(c)];
    if (range) {
      column.min = range->min;
      column.max = range->max;
    }
    column.null_count = nulls;
  }
  return out;
}

}  // namespace quiver::datasource
