#include "quiver/distributed/worker/in_process_cluster.h"

namespace quiver::distributed {

arrow::Result<std::unique_ptr<InProcessCluster>> InProcessCluster::start(int n,
                                                                         WorkerOptions options) {
  if (n < 1)
    return arrow::Status::Invalid("an in-process cluster needs at least one worker, not ", n);
  if (!is_loopback_host(options.host)) {
    return arrow::Status::Invalid("an in-process cluster binds loopback only, not ", options.host);
  }
  std::unique_ptr<InProcessCluster> cluster(new InProcessCluster());
  for (int i = 0; i < n; ++i) {
    WorkerOptions worker_options = options;
    worker_options.port = 0;
    ARROW_ASSIGN_OR_RAISE(auto worker, Worker::start(std::move(worker_options)));
    cluster->workers_.push_back(std::move(worker));
  }
  return cluster;
}

InProcessCluster::~InProcessCluster() {
  for (auto& worker : workers_) {
    auto st = worker->stop();
    (void)st;
  }
}

std::vector<std::string> InProcessCluster::urls() const {
  std::vector<std::string> out;
  out.reserve(workers_.size());
  for (const auto& worker : workers_) out.push_back(worker->url());
  return out;
}

size_t InProcessCluster::task_count() const {
  size_t total = 0;
  for (const auto& worker : workers_) total += worker->task_count();
  return total;
}

}  // namespace quiver::distributed
