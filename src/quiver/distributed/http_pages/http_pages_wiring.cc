#include "quiver/distributed/http_pages/http_pages_wiring.h"

#include <algorithm>

#include "quiver/datasource/http_json/distributed_scan_hook.h"
#include "quiver/distributed/feed/with_work_unit_feed.h"
#include "quiver/distributed/http_pages/http_json_scan_codec.h"
#include "quiver/distributed/http_pages/http_json_scan_exec.h"

namespace quiver::distributed::http_pages {

namespace {

constexpr const char* kKey = "http_json.distributed_pages";

arrow::Result<physical::ExecutionPlanPtr> make_scan_if_wanted(
    const datasource::http_json::HttpJsonSourceOptions& options,
    std::shared_ptr<arrow::Schema> records, std::vector<int> projection,
    const std::string& display_url, const common::ConfigOptions& config) {
  if (!distributed_http_scan_wanted(config)) return physical::ExecutionPlanPtr();
  const int partitions = std::max(2, config.target_partitions());
  return make_http_json_scan(options, std::move(records), std::move(projection), partitions,
                             display_url);
}

}  // namespace

std::vector<common::ConfigEntry> HttpPagesConfig::entries() const {
  return {{kKey, common::ConfigType::kBool, "true",
           "Whether the HTTP JSON tables of a distributed session are scanned by every worker "
           "(pages discovered on the coordinator, fetched and parsed by the tasks)."}};
}

arrow::Status enable_distributed_http_pages(catalog::SessionContext& session) {
  ARROW_RETURN_NOT_OK(with_distributed_work_unit_feed<HttpJsonScanExec>(
      session, [](const HttpJsonScanExec& scan) { return &scan.feed(); }));
  if (!session.options_snapshot().get(kKey).ok()) {
    ARROW_RETURN_NOT_OK(session.register_config_extension(HttpPagesConfig{}));
  }
  datasource::http_json::set_distributed_http_scan_maker(make_scan_if_wanted);
  return arrow::Status::OK();
}

codec::ExtensionCodecs http_pages_codecs() { return {std::make_shared<HttpJsonScanCodec>()}; }

std::vector<std::shared_ptr<const TaskEstimator>> http_pages_estimators() {
  return {std::make_shared<HttpJsonScanTaskEstimator>()};
}

bool distributed_http_scan_wanted(const common::ConfigOptions& options) {
  return options.get(kKey).ok() && options.get_bool(kKey);
}

}  // namespace quiver::distributed::http_pages
