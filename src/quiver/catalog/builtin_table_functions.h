#pragma once

#include <memory>

#include "quiver/catalog/table_provider.h"

namespace quiver::catalog {

/// `read_parquet('path')`: the Parquet file(s) at a file, directory or glob path.
class ReadParquetFunction final : public TableFunction {
 public:
  arrow::Result<std::shared_ptr<TableProvider>> call(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override;
};

/// `read_csv('path' [, has_header])`: CSV file(s); `has_header` defaults to true.
class ReadCsvFunction final : public TableFunction {
 public:
  arrow::Result<std::shared_ptr<TableProvider>> call(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override;
};

/// `read_json('path')`: newline-delimited JSON file(s).
class ReadJsonFunction final : public TableFunction {
 public:
  arrow::Result<std::shared_ptr<TableProvider>> call(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override;
};

}  // namespace quiver::catalog
