#pragma once

#include <arrow/status.h>

#include "quiver/catalog/session_context.h"
#include "quiver/common/config.h"
#include "quiver/distributed/codec/physical_extension_codec.h"
#include "quiver/distributed/task_estimator.h"

namespace quiver::distributed::http_pages {

/// The session options of distributed page fetching: `http_json.distributed_pages` (bool, true):
/// whether HTTP JSON tables of a distributed session are scanned by every worker. Registered by
/// enable_distributed_http_pages.
class HttpPagesConfig final : public common::ConfigExtension {
 public:
  /// Returns "http_json".
  std::string prefix() const override { return "http_json"; }
  /// Returns the options with their defaults.
  std::vector<common::ConfigEntry> entries() const override;
};

/// Wires distributed page fetching into a distributed session: registers HttpJsonScanExec as a
/// work unit feed leaf (with_distributed_work_unit_feed), the HttpPagesConfig options, and the
/// process's DistributedHttpScanMaker, so HttpJsonTable scans of this session plan
/// make_http_json_scan with `execution.target_partitions` (at least 2) partitions per task. Call
/// after enable_distributed / enable_flight_distributed; the session also needs
/// HttpJsonScanTaskEstimator among its estimators, and over Flight HttpJsonScanCodec in the
/// coordinator's plan encoder and on every worker (see http_json_scan_codec.h).
arrow::Status enable_distributed_http_pages(catalog::SessionContext& session);

/// Returns the codecs distributed page fetching needs on the coordinator and every worker
/// (HttpJsonScanCodec).
codec::ExtensionCodecs http_pages_codecs();

/// Returns the task estimators it needs on the coordinator (HttpJsonScanTaskEstimator).
std::vector<std::shared_ptr<const TaskEstimator>> http_pages_estimators();

/// Returns whether a scan planned under `options` should be the distributed page scan: the
/// session was wired by enable_distributed_http_pages and `http_json.distributed_pages` is true.
bool distributed_http_scan_wanted(const common::ConfigOptions& options);

}  // namespace quiver::distributed::http_pages
