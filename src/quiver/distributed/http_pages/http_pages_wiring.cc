#include "quiver/distributed/http_pages/http_pages_wiring.h"

#include "quiver/distributed/feed/with_work_unit_feed.h"
#include "quiver/distributed/http_pages/http_json_scan_exec.h"

namespace quiver::distributed::http_pages {

arrow::Status enable_distributed_http_pages(catalog::SessionContext& session) {
  return with_distributed_work_unit_feed<HttpJsonScanExec>(
      session, [](const HttpJsonScanExec& scan) { return &scan.feed(); });
}

bool distributed_http_scan_wanted(const common::ConfigOptions& options) {
  // enable_distributed registers the "distributed" configuration on the session.
  return options.get("distributed.bytes_per_partition").ok();
}

}  // namespace quiver::distributed::http_pages
