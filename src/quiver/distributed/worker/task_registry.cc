#include "quiver/distributed/worker/task_registry.h"

#include <algorithm>

#include "quiver/distributed/feed/work_unit_inbox.h"

namespace quiver::distributed {

void TaskRegistry::add(std::shared_ptr<RegisteredTask> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  task->last_used = std::chrono::steady_clock::now();
  tasks_.emplace(task->key, std::move(task));
}

arrow::Result<std::shared_ptr<RegisteredTask>> TaskRegistry::start_partition(const TaskKey& key,
                                                                             int partition) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tasks_.find(key);
  if (it == tasks_.end()) {
    return arrow::Status::Invalid("task ", key.to_string(),
                                  " is not held by this worker (never submitted, ended, or expired "
                                  "after being idle)");
  }
  auto& task = it->second;
  if (partition < 0 || partition >= static_cast<int>(task->partition_state.size())) {
    return arrow::Status::UnknownError("task ", key.to_string(), " has ",
                                       task->partition_state.size(),
                                       " output partitions; partition ", partition, " requested");
  }
  if (task->partition_state[partition] != 0) {
    return arrow::Status::UnknownError("partition ", partition, " of task ", key.to_string(),
                                       " was already fetched");
  }
  task->partition_state[partition] = 1;
  ++task->running;
  task->last_used = std::chrono::steady_clock::now();
  return task;
}

arrow::Result<std::shared_ptr<RegisteredTask>> TaskRegistry::find(const TaskKey& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tasks_.find(key);
  if (it == tasks_.end()) {
    return arrow::Status::Invalid("task ", key.to_string(), " is not held by this worker");
  }
  return it->second;
}

void TaskRegistry::finish_partition(const std::shared_ptr<RegisteredTask>& task, int partition) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tasks_.find(task->key);
  // The task may have been ended (or ended and submitted again) while this partition ran.
  if (it == tasks_.end() || it->second != task) return;
  if (task->partition_state[partition] == 1) {
    task->partition_state[partition] = 2;
    --task->running;
  }
  task->last_used = std::chrono::steady_clock::now();
  bool all_done = std::all_of(task->partition_state.begin(), task->partition_state.end(),
                              [](int state) { return state == 2; });
  if (all_done) {
    finished_[task->key] = {snapshot_task_metrics(*task->plan), task->last_used};
    tasks_.erase(it);
    close_work_unit_inbox(*task->context);
  }
}

arrow::Result<TaskMetrics> TaskRegistry::metrics(const TaskKey& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = tasks_.find(key); it != tasks_.end())
    return snapshot_task_metrics(*it->second->plan);
  if (auto it = finished_.find(key); it != finished_.end()) return it->second.metrics;
  return arrow::Status::Invalid(
      "task ", key.to_string(),
      " is not known to this worker (never submitted, ended, or expired)");
}

void TaskRegistry::end(const TaskKey& key) {
  std::shared_ptr<RegisteredTask> task;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_.erase(key);
    auto it = tasks_.find(key);
    if (it == tasks_.end()) return;
    task = std::move(it->second);
    tasks_.erase(it);
  }
  task->context->cancel();
  close_work_unit_inbox(*task->context);
}

size_t TaskRegistry::expire_idle(std::chrono::steady_clock::time_point now) {
  std::vector<std::shared_ptr<RegisteredTask>> expired;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::erase_if(finished_,
                  [&](const auto& entry) { return now - entry.second.finished > idle_timeout_; });
    for (auto it = tasks_.begin(); it != tasks_.end();) {
      if (it->second->running == 0 && now - it->second->last_used > idle_timeout_) {
        expired.push_back(std::move(it->second));
        it = tasks_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& task : expired) {
    task->context->cancel();
    close_work_unit_inbox(*task->context);
  }
  return expired.size();
}

void TaskRegistry::clear() {
  std::map<TaskKey, std::shared_ptr<RegisteredTask>> tasks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks.swap(tasks_);
    finished_.clear();
  }
  for (auto& [key, task] : tasks) {
    task->context->cancel();
    close_work_unit_inbox(*task->context);
  }
}

size_t TaskRegistry::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.size();
}

}  // namespace quiver::distributed
