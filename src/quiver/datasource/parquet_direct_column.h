#pragma once

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <cstdint>
#include <memory>

namespace quiver::datasource {

/// A Parquet column that quiver decodes itself instead of parquet::arrow (where that is much
/// faster): ParquetDecimalColumn, ParquetStringColumn. It reads its column chunks over the same
/// row groups as the parquet::arrow reader of the file's other columns, in step with it.
class ParquetDirectColumn {
 public:
  virtual ~ParquetDirectColumn() = default;
  /// Returns the next `rows` values; an error if the column ends before them or is corrupt.
  virtual arrow::Result<std::shared_ptr<arrow::Array>> read(int64_t rows) = 0;
};

}  // namespace quiver::datasource
