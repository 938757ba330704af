#include "quiver/distributed/worker/local_shortcut_transport.h"

#include "quiver/distributed/worker/worker_service.h"

namespace quiver::distributed {

void LocalShortcutTransport::attach(std::string url, WorkerService* service) {
  url_ = std::move(url);
  service_.store(service, std::memory_order_release);
}

arrow::Result<physical::RecordBatchStreamPtr> LocalShortcutTransport::fetch_partition(
    const std::string& worker_url, const TaskKey& key, int partition,
    std::shared_ptr<arrow::Schema> schema) {
  WorkerService* service = service_.load(std::memory_order_acquire);
  if (service != nullptr && worker_url == url_) {
    auto stream = service->open_local_partition(key, partition);
    if (!stream.ok()) {
      return stream.status().WithMessage("worker ", worker_url, ", task ", key.to_string(),
                                         " partition ", partition, ": ", stream.status().message());
    }
    local_fetches_.fetch_add(1);
    return stream;
  }
  return remote_->fetch_partition(worker_url, key, partition, std::move(schema));
}

}  // namespace quiver::distributed
