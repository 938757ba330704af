#pragma once

#include <arrow/result.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "quiver/catalog/table_provider.h"
#include "quiver/datasource/http_json/http_json_options.h"
#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace quiver::datasource::http_json {

/// Opens one continuous NDJSON stream of the records of every page of a source (the production
/// opener fetches with libcurl, see http_stream_opener.h; tests give a fake). Called once for
/// schema inference and once per scan; must be callable from several threads.
using HttpRecordStreamOpener = std::function<arrow::Result<std::unique_ptr<json::ByteChunkStream>>(
    const HttpJsonSourceOptions& options)>;

/// A table over an HTTP JSON API: `read_http_json(...)` and the tables of source files. The
/// schema is declared (`columns`) or inferred from the first `infer_sample` records when the
/// table is made; under drift 'raw' it ends with the raw column. A scan is one JsonStreamExec
/// partition reading the pages in order, with the projection pushed into the parser (not under
/// drift 'raw', where whether a record fits depends on all its fields). The plan shows the URL
/// without credentials.
class HttpJsonTable final : public catalog::TableProvider {
 public:
  /// Creates the table: expands `${ENV}` in the URL, header values and credentials (an unset
  /// variable is an error naming it), and infers the schema (one request, or more with
  /// pagination) when no columns are declared. Errors name the URL (without credentials).
  static arrow::Result<std::shared_ptr<HttpJsonTable>> Make(HttpJsonSourceOptions options,
                                                            HttpRecordStreamOpener opener);

  /// Returns the table's schema.
  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  /// Returns a JsonStreamExec (under a ProjectionExec when the parser cannot produce the
  /// projection's columns in order by itself).
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs& args) const override;

  /// Returns the source's options (`${ENV}` expanded).
  const HttpJsonSourceOptions& options() const { return options_; }
  /// Returns the URL as the plan displays it (see redact_url).
  const std::string& display_url() const { return display_url_; }

 private:
  HttpJsonTable() = default;

  HttpJsonSourceOptions options_;
  HttpRecordStreamOpener opener_;
  json::JsonParseOptions parse_;            // options_.parse reading the NDJSON record stream
  std::shared_ptr<arrow::Schema> records_;  // the records' fields, without the raw column
  std::shared_ptr<arrow::Schema> schema_;
  std::string display_url_;
};

/// Returns `url` without credentials: the user info (`user:pass@`) removed and the values of
/// query parameters whose names suggest a secret (key, token, secret, password, auth, signature,
/// session, credential) replaced by `***`.
std::string redact_url(std::string_view url);

}  // namespace quiver::datasource::http_json
