#pragma once

#include <arrow/type_fwd.h>

#include <optional>
#include <string>

#include "quiver/catalog/table_statistics.h"

namespace parquet {
class FileMetaData;
class RowGroupMetaData;
namespace arrow {
struct SchemaManifest;
}  // namespace arrow
}  // namespace parquet

namespace quiver::datasource {

/// Returns what one row group's footer statistics say about the top-level column `name` (min,
/// max and NULL count as far as written), or nullopt when the column is not a leaf column of
/// the file or has no statistics.
std::optional<catalog::ColumnStatistics> row_group_column_statistics(
    const parquet::RowGroupMetaData& row_group, const parquet::arrow::SchemaManifest& manifest,
    const std::string& name);

/// Returns a file's row count and, for each column of `table_schema` (matched by name), the
/// statistics merged over all its row groups (unknown where any row group lacks them).
catalog::TableStatistics parquet_file_statistics(const parquet::FileMetaData& metadata,
                                                 const parquet::arrow::SchemaManifest& manifest,
                                                 const arrow::Schema& table_schema);

}  // namespace quiver::datasource
