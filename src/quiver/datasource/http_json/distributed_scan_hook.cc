#include "quiver/datasource/http_json/distributed_scan_hook.h"

#include <mutex>

namespace quiver::datasource::http_json {

namespace {

std::mutex& maker_mutex() {
  static std::mutex mutex;
  return mutex;
}

DistributedHttpScanMaker& maker_slot() {
  static DistributedHttpScanMaker maker;
  return maker;
}

}  // namespace

void set_distributed_http_scan_maker(DistributedHttpScanMaker maker) {
  std::lock_guard lock(maker_mutex());
  maker_slot() = std::move(maker);
}

DistributedHttpScanMaker distributed_http_scan_maker() {
  std::lock_guard lock(maker_mutex());
  return maker_slot();
}

}  // namespace quiver::datasource::http_json
