#include "quiver/distributed/in_process_transport.h"

#include <algorithm>

#include "quiver/distributed/feed/work_unit_inbox.h"
#include "quiver/distributed/network/network_boundary.h"
#include "quiver/distributed/stage.h"
#include "quiver/physical/task_context.h"

namespace quiver::distributed {

struct InProcessTransport::Task {
  TaskSpec spec;
  // Per stage_nodes() entry: whether the node is the planned one (a leaf that returned itself
  // from with_new_children), whose metrics already add up all tasks on the planned plan.
  std::vector<bool> shared;
  std::shared_ptr<physical::TaskContext> context;
};

namespace {

// Keeps the task (its plan and context) alive while one of its partitions is read.
class TaskPartitionStream final : public physical::RecordBatchStream {
 public:
  TaskPartitionStream(std::shared_ptr<const void> task, physical::RecordBatchStreamPtr inner)
      : task_(std::move(task)), inner_(std::move(inner)) {}
  ~TaskPartitionStream() override { inner_.reset(); }
  std::shared_ptr<arrow::Schema> schema() const override { return inner_->schema(); }
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override { return inner_->next(); }

 private:
  std::shared_ptr<const void> task_;
  physical::RecordBatchStreamPtr inner_;
};

// Delivers one feed partition straight into the task's queue.
class InProcessWorkUnitSink final : public WorkUnitSink {
 public:
  InProcessWorkUnitSink(std::shared_ptr<WorkUnitQueue> queue,
                        std::shared_ptr<physical::TaskContext> context)
      : queue_(std::move(queue)), context_(std::move(context)) {}
  arrow::Status push(std::string unit) override {
    return queue_->push(std::move(unit), [this] { return context_->cancelled(); });
  }
  arrow::Status finish() override {
    queue_->finish();
    return arrow::Status::OK();
  }
  arrow::Status fail(const arrow::Status& error) override {
    queue_->fail(error);
    return arrow::Status::OK();
  }

 private:
  std::shared_ptr<WorkUnitQueue> queue_;
  std::shared_ptr<physical::TaskContext> context_;
};

// Rebuilds every operator of the stage rooted at `plan` (with_new_children), so that a task's
// metrics are its own. A boundary is rebuilt over the same input: the stage it reads is not run
// here.
arrow::Result<physical::ExecutionPlanPtr> copy_stage(const physical::ExecutionPlanPtr& plan) {
  auto children = plan->children();
  if (dynamic_cast<const NetworkBoundary*>(plan.get()) == nullptr) {
    for (auto& child : children) {
      ARROW_ASSIGN_OR_RAISE(child, copy_stage(child));
    }
  }
  return plan->with_new_children(std::move(children));
}

}  // namespace

std::shared_ptr<InProcessTransport> InProcessTransport::Make(std::vector<std::string> worker_urls,
                                                             common::ConfigOptions base) {
  return std::make_shared<InProcessTransport>(std::move(worker_urls), std::move(base));
}

arrow::Status InProcessTransport::check_worker(const std::string& worker_url) const {
  if (worker_urls_.empty() ||
      std::find(worker_urls_.begin(), worker_urls_.end(), worker_url) != worker_urls_.end()) {
    return arrow::Status::OK();
  }
  return arrow::Status::IOError("no in-process worker at '", worker_url, "'");
}

arrow::Status InProcessTransport::submit_task(const std::string& worker_url, const TaskSpec& spec) {
  ARROW_RETURN_NOT_OK(check_worker(worker_url));
  if (spec.plan == nullptr) {
    return arrow::Status::UnknownError("task ", spec.key.to_string(), " has no plan");
  }
  common::ConfigOptions options = base_;
  for (const auto& [key, value] : spec.options) {
    // `distributed.*` options the base does not register are transport settings (as on a worker).
    if (key.rfind("distributed.", 0) == 0 && !options.resolve_key(key).ok()) continue;
    auto st = options.set(key, value);
    if (!st.ok()) {
      return arrow::Status::Invalid("task ", spec.key.to_string(), " on ", worker_url, ": option '",
                                    key,
                                    "' cannot be applied on the worker (register its config "
                                    "extension on every worker): ",
                                    st.message());
    }
  }
  auto task = std::make_shared<Task>();
  task->spec = spec;
  ARROW_ASSIGN_OR_RAISE(task->spec.plan, copy_stage(spec.plan));
  const auto planned = stage_nodes(*spec.plan);
  const auto copied = stage_nodes(*task->spec.plan);
  for (size_t i = 0; i < copied.size(); ++i) task->shared.push_back(copied[i] == planned[i]);
  auto plain = std::make_shared<physical::TaskContext>(
      std::move(options), physical::DistributedTaskContext{spec.key.task, spec.task_count});
  task->context = with_transport(*plain, plain->distributed(), shared_from_this());
  attach_work_unit_inbox(*task->context, spec.work_unit_feeds);
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = tasks_.emplace(std::make_pair(worker_url, spec.key), std::move(task));
  if (inserted) history_.push_back(worker_url);
  return arrow::Status::OK();
}

arrow::Result<physical::RecordBatchStreamPtr> InProcessTransport::fetch_partition(
    const std::string& worker_url, const TaskKey& key, int partition,
    std::shared_ptr<arrow::Schema> schema) {
  std::shared_ptr<Task> task;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find({worker_url, key});
    if (it == tasks_.end()) {
      return arrow::Status::IOError("worker '", worker_url, "' has no task ", key.to_string());
    }
    task = it->second;
  }
  const auto& plan = task->spec.plan;
  if (partition < 0 || partition >= plan->output_partitions()) {
    return arrow::Status::UnknownError("task ", key.to_string(), " on '", worker_url,
                                       "' has no partition ", partition);
  }
  if (schema != nullptr && !schema->Equals(*plan->schema())) {
    return arrow::Status::UnknownError("task ", key.to_string(), " on '", worker_url, "' produces ",
                                       plan->schema()->ToString(), ", not ", schema->ToString());
  }
  auto stream = plan->execute(partition, task->context);
  if (!stream.ok()) {
    return stream.status().WithMessage("task ", key.to_string(), " on '", worker_url,
                                       "': ", stream.status().message());
  }
  return std::make_unique<TaskPartitionStream>(task, std::move(stream).ValueUnsafe());
}

arrow::Status InProcessTransport::end_task(const std::string& worker_url, const TaskKey& key) {
  std::shared_ptr<Task> task;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find({worker_url, key});
    if (it == tasks_.end()) return arrow::Status::OK();
    task = std::move(it->second);
    tasks_.erase(it);
  }
  task->context->cancel();
  close_work_unit_inbox(*task->context);
  return arrow::Status::OK();
}

arrow::Result<TaskMetrics> InProcessTransport::task_metrics(const std::string& worker_url,
                                                            const TaskKey& key) {
  std::shared_ptr<Task> task;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find({worker_url, key});
    if (it == tasks_.end()) {
      return arrow::Status::IOError("worker '", worker_url, "' has no task ", key.to_string());
    }
    task = it->second;
  }
  TaskMetrics metrics = snapshot_task_metrics(*task->spec.plan);
  for (size_t i = 0; i < metrics.size(); ++i) {
    if (task->shared[i]) metrics[i] = NodeMetrics{};
  }
  return metrics;
}

arrow::Result<std::unique_ptr<WorkUnitSink>> InProcessTransport::open_work_unit_feed(
    const std::string& worker_url, const TaskKey& key, const std::string& feed_id, int partition) {
  std::shared_ptr<Task> task;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_.find({worker_url, key});
    if (it == tasks_.end()) {
      return arrow::Status::IOError("worker '", worker_url, "' has no task ", key.to_string());
    }
    task = it->second;
  }
  auto inbox = work_unit_inbox_of(*task->context);
  if (inbox == nullptr)
    return arrow::Status::UnknownError("task ", key.to_string(), " has no inbox");
  ARROW_ASSIGN_OR_RAISE(auto queue, inbox->queue(feed_id, partition));
  return std::make_unique<InProcessWorkUnitSink>(std::move(queue), task->context);
}

size_t InProcessTransport::live_tasks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.size();
}

size_t InProcessTransport::submitted_tasks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return history_.size();
}

std::vector<std::string> InProcessTransport::task_workers() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return history_;
}

}  // namespace quiver::distributed
