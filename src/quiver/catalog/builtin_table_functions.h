#pragma once

#include <memory>

#include "quiver/catalog/table_provider.h"
#include "quiver/datasource/http_json/http_json_table.h"

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

/// `read_http_json('url', key => value, ...)`: the records of an HTTP JSON API, every page of
/// it; the named arguments are the source options of datasource::http_json::
/// parse_http_json_options (`"headers.X-Api-Key" => '${API_KEY}'` for a header). Errors name
/// the argument.
class ReadHttpJsonFunction final : public TableFunction {
 public:
  /// Reads APIs through `opener` (datasource::http_json::default_record_stream_opener() in a
  /// session; a fake in tests).
  explicit ReadHttpJsonFunction(datasource::http_json::HttpRecordStreamOpener opener)
      : opener_(std::move(opener)) {}
  /// Returns call_named() without named arguments.
  arrow::Result<std::shared_ptr<TableProvider>> call(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override {
    return call_named(args, {});
  }
  /// Returns true.
  bool takes_named_arguments() const override { return true; }
  /// Returns the HttpJsonTable for the URL and the options.
  arrow::Result<std::shared_ptr<TableProvider>> call_named(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args,
      const std::vector<NamedArgument>& named) const override;

 private:
  datasource::http_json::HttpRecordStreamOpener opener_;
};

}  // namespace quiver::catalog
