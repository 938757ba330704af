#include "quiver/physical/task_context.h"

namespace quiver::physical {

TaskContext::TaskContext(common::ConfigOptions config, DistributedTaskContext distributed)
    : config_(std::move(config)),
      distributed_(distributed),
      memory_pool_(std::make_shared<QueryMemoryPool>(config_.memory_limit())),
      batch_size_(std::max<int64_t>(1, config_.batch_size())) {}

std::shared_ptr<TaskContext> TaskContext::for_task(DistributedTaskContext distributed) const {
  auto copy = std::make_shared<TaskContext>(config_, distributed);
  copy->memory_pool_ = memory_pool_;
  copy->extensions_ = extensions_;
  return copy;
}

std::any TaskContext::extension(const std::string& key) const {
  auto it = extensions_.find(key);
  return it == extensions_.end() ? std::any() : it->second;
}

}  // namespace quiver::physical
