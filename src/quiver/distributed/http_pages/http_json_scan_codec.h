#pragma once

#include <functional>
#include <memory>

#include "quiver/datasource/http_json/http_fetcher.h"
#include "quiver/distributed/codec/physical_extension_codec.h"
#include "quiver/distributed/task_estimator.h"

namespace quiver::distributed::http_pages {

/// Carries HttpJsonScanExec across the wire under the name "HttpJsonScanExec": the records'
/// schema, projection, partitions, display URL, the feed's handle, and the source options a
/// worker needs to fetch and parse a page: URL (the credentials' origin), headers, auth,
/// data_path, client options, parse options, stream config and the pagination style (display).
/// Headers and auth therefore travel to the workers inside the plan, like any plan over the
/// Flight channel (protect that channel: TLS/token). The page list never travels: it comes
/// through the feed. Register on the coordinator and every worker.
class HttpJsonScanCodec final : public codec::PhysicalExtensionCodec {
 public:
  /// The name the encoded node travels under.
  static constexpr const char* kName = "HttpJsonScanExec";
  /// Makes the fetcher of a decoded node (null = libcurl per partition).
  using FetcherFactory = std::function<std::shared_ptr<datasource::http_json::HttpFetcher>()>;

  /// Creates the codec; decoded nodes get fetchers from `fetchers` when given (tests).
  explicit HttpJsonScanCodec(FetcherFactory fetchers = nullptr) : fetchers_(std::move(fetchers)) {}

  /// Encodes an HttpJsonScanExec; nullopt for any other node.
  arrow::Result<std::optional<codec::EncodedExtension>> try_encode(
      const physical::ExecutionPlan& node) const override;
  /// Rebuilds an HttpJsonScanExec (its feed without a provider); null for other names.
  arrow::Result<physical::ExecutionPlanPtr> try_decode(
      const std::string& name, std::string_view bytes,
      std::vector<physical::ExecutionPlanPtr> children) const override;

 private:
  FetcherFactory fetchers_;
};

/// Distributes HttpJsonScanExec over every worker (desired count capped by the worker count);
/// each task runs the same node, reading the pages its partitions are handed.
class HttpJsonScanTaskEstimator final : public TaskEstimator {
 public:
  /// Returns desired(many) for an HttpJsonScanExec, nullopt otherwise.
  std::optional<TaskEstimation> task_estimation(
      const physical::ExecutionPlan& leaf, const common::ConfigOptions& options) const override;
  /// Returns the node itself for an HttpJsonScanExec (tasks differ only by the units they get).
  arrow::Result<physical::ExecutionPlanPtr> scale_up_leaf_node(
      const physical::ExecutionPlanPtr& leaf, int task_count,
      const common::ConfigOptions& options) const override;
};

}  // namespace quiver::distributed::http_pages
