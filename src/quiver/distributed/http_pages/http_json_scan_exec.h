#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>
#include <vector>

#include "quiver/datasource/http_json/http_json_options.h"
#include "quiver/distributed/http_pages/http_page_feed_provider.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed::http_pages {

/// The distributed-capable scan of an HTTP JSON source: a leaf whose pages arrive as work units
/// (HttpPageFeed, discovered on the coordinator by HttpPageFeedProvider). Each of its
/// `partitions` partitions (per task) reads its page units and streams each page through the
/// one-page record stream (open_http_page_stream) into a JsonStreamExec producer, so tasks fetch
/// and parse pages in parallel. Requests carry the options' headers and auth (the options travel
/// in the plan; the units hold only page number and URL). Displays as
/// `HttpJsonScanExec: url=..., pagination=cursor, partitions=N` (the URL as given by the caller,
/// without credentials).
class HttpJsonScanExec final : public physical::ExecutionPlan {
 public:
  /// Creates the node. `schema` is the records' declared schema, `projection` the indices of the
  /// fields produced (empty = all), `partitions` the partitions per task; `fetcher` fetches the
  /// pages in this process (null = a libcurl fetcher per partition from `options.client`).
  static arrow::Result<std::shared_ptr<HttpJsonScanExec>> Make(
      datasource::http_json::HttpJsonSourceOptions options, std::shared_ptr<arrow::Schema> schema,
      std::vector<int> projection, int partitions, HttpPageFeed feed, std::string display_url,
      std::shared_ptr<datasource::http_json::HttpFetcher> fetcher = nullptr);

  /// Returns the feed of page units.
  const HttpPageFeed& feed() const { return feed_; }
  /// Returns the source options.
  const datasource::http_json::HttpJsonSourceOptions& options() const { return options_; }
  /// Returns the records' declared schema.
  const std::shared_ptr<arrow::Schema>& declared_schema() const { return declared_; }
  /// Returns the projection (indices into declared_schema()).
  const std::vector<int>& projection() const { return projection_; }
  /// Returns the URL as displayed.
  const std::string& display_url() const { return display_url_; }

  std::string_view name() const override { return "HttpJsonScanExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr> children) const override;
  /// Streams the records of the pages handed to `partition`.
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override;
  std::string display() const override;

 private:
  explicit HttpJsonScanExec(HttpPageFeed feed) : feed_(std::move(feed)) {}

  datasource::http_json::HttpJsonSourceOptions options_;
  std::shared_ptr<arrow::Schema> declared_;
  std::vector<int> projection_;
  HttpPageFeed feed_;
  std::string display_url_;
  std::shared_ptr<datasource::http_json::HttpFetcher> fetcher_;
  physical::PlanProperties properties_;
};

/// The plan the SQL side builds when the session is distributed: an HttpJsonScanExec with a new
/// feed over `options` (its provider fetches with `fetcher`, null = libcurl) and `partitions`
/// partitions per task. `schema`/`projection` as for JsonStreamExec; `display_url` without
/// credentials.
arrow::Result<physical::ExecutionPlanPtr> make_http_json_scan(
    const datasource::http_json::HttpJsonSourceOptions& options,
    std::shared_ptr<arrow::Schema> schema, std::vector<int> projection, int partitions,
    std::string display_url, std::shared_ptr<datasource::http_json::HttpFetcher> fetcher = nullptr);

/// Returns the name of a pagination style as displayed ("none", "offset", "page", "cursor",
/// "link", "next_url").
std::string pagination_style_name(datasource::http_json::Pagination::Style style);

}  // namespace quiver::distributed::http_pages
