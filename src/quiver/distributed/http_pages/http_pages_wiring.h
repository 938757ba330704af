#pragma once

#include <arrow/status.h>

#include "quiver/catalog/session_context.h"
#include "quiver/common/config.h"

namespace quiver::distributed::http_pages {

/// Registers HttpJsonScanExec as a work unit feed leaf of a distributed session, so the
/// coordinator streams page units to its tasks. Call after enable_distributed /
/// enable_flight_distributed; the same session needs HttpJsonScanTaskEstimator among the
/// estimators, and over Flight HttpJsonScanCodec on the coordinator's plan encoder and on every
/// worker (see http_json_scan_codec.h).
arrow::Status enable_distributed_http_pages(catalog::SessionContext& session);

/// Returns whether a scan planned under `options` runs in a distributed session (its options
/// hold the distributed configuration): the SQL side then plans make_http_json_scan instead of
/// the single-node JsonStreamExec.
bool distributed_http_scan_wanted(const common::ConfigOptions& options);

}  // namespace quiver::distributed::http_pages
