#include "quiver/distributed/distributed_exec.h"

#include <atomic>
#include <map>
#include <random>
#include <utility>

#include "quiver/distributed/concurrent_calls.h"
#include "quiver/distributed/distributed_config.h"
#include "quiver/distributed/feed/feed_pumps.h"
#include "quiver/distributed/network/stage_input_exec.h"

namespace quiver::distributed {

namespace {

void collect_stages(const physical::ExecutionPlanPtr& plan, std::vector<StageView>& out) {
  for (const auto& child : plan->children()) collect_stages(child, out);
  if (const auto* boundary = dynamic_cast<const NetworkBoundary*>(plan.get())) {
    out.push_back({boundary->plan().stage, boundary->plan().input_tasks, boundary->input()});
  }
}

std::string new_query_id() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t salt = std::random_device{}();
  return "q" + std::to_string(salt % 100000) + "-" + std::to_string(counter.fetch_add(1));
}

using Routes = std::map<int, StageRouting>;

// Rebuilds `plan` with every boundary carrying the routing of the stage it reads.
arrow::Result<physical::ExecutionPlanPtr> route(const physical::ExecutionPlanPtr& plan,
                                                const Routes& routes) {
  std::vector<physical::ExecutionPlanPtr> children;
  bool changed = false;
  for (const auto& child : plan->children()) {
    ARROW_ASSIGN_OR_RAISE(auto routed, route(child, routes));
    changed = changed || routed != child;
    children.push_back(std::move(routed));
  }
  if (const auto* boundary = dynamic_cast<const NetworkBoundary*>(plan.get())) {
    auto it = routes.find(boundary->plan().stage);
    if (it == routes.end()) {
      return arrow::Status::UnknownError("no workers assigned to stage ", boundary->plan().stage);
    }
    return boundary->with_input_and_routing(std::move(children[0]), it->second);
  }
  if (!changed) return plan;
  return plan->with_new_children(std::move(children));
}

// Adds the metrics of the head stage's nodes of `from` (a routed copy of `into`) to the matching
// nodes of `into`, so EXPLAIN ANALYZE on the planned plan sees what the routed copies did. Lower
// stages ran on the workers: their metrics come from Transport::task_metrics.
void merge_metrics(const physical::ExecutionPlan& from, const physical::ExecutionPlan& into) {
  if (&from == &into) return;
  auto& target = into.metrics();
  const auto& source = from.metrics();
  target.add_output_rows(source.output_rows());
  target.add_elapsed_compute(source.elapsed_compute_ns());
  for (const auto& [name, value] : source.counters()) target.add(name, value);
  if (dynamic_cast<const NetworkBoundary*>(&from) != nullptr) return;
  const auto from_children = from.children();
  const auto into_children = into.children();
  for (size_t i = 0; i < from_children.size() && i < into_children.size(); ++i) {
    merge_metrics(*from_children[i], *into_children[i]);
  }
}

struct RunningTask {
  std::string worker;
  TaskKey key;
};

// The head stage's stream; ends every task of the query when it finishes or is dropped.
class DistributedQueryStream final : public physical::RecordBatchStream {
 public:
  DistributedQueryStream(physical::RecordBatchStreamPtr head, std::shared_ptr<Transport> transport,
                         std::vector<RunningTask> tasks, std::shared_ptr<physical::TaskContext> ctx,
                         physical::ExecutionPlanPtr plan, physical::ExecutionPlanPtr planned,
                         physical::MetricsSet& metrics,
                         std::shared_ptr<DistributedExec::MetricsStore> store,
                         std::unique_ptr<FeedPumps> pumps)
      : pumps_(std::move(pumps)),
        metrics_(metrics),
        store_(std::move(store)),
        plan_(std::move(plan)),
        planned_(std::move(planned)),
        schema_(head->schema()),
        head_(std::move(head)),
        transport_(std::move(transport)),
        tasks_(std::move(tasks)),
        context_(std::move(ctx)) {}
  ~DistributedQueryStream() override { finish(); }

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (head_ == nullptr) return nullptr;
    auto batch = head_->next();
    if (!batch.ok() || *batch == nullptr) {
      finish();
    } else {
      metrics_.add_output_rows((*batch)->num_rows());
    }
    return batch;
  }

 private:
  void finish() {
    if (finished_) return;
    finished_ = true;
    if (head_ != nullptr) context_->cancel();
    head_.reset();
    const bool collect = DistributedConfig::collect_metrics(context_->config());
    // One round trip or two per task, to every task at once: asks for its metrics (kept by the
    // worker until the task ends), then ends it.
    std::vector<arrow::Result<TaskMetrics>> metrics(tasks_.size(),
                                                    arrow::Status::Cancelled("not asked"));
    (void)run_concurrently(tasks_.size(), [&](size_t i) {
      if (collect) metrics[i] = transport_->task_metrics(tasks_[i].worker, tasks_[i].key);
      return transport_->end_task(tasks_[i].worker, tasks_[i].key);
    });
    if (collect) gather_metrics(metrics);
    // After the tasks ended (their queues are closed, so no pump waits for space).
    if (pumps_ != nullptr) pumps_->stop();
  }

  // Adds the head stage's metrics to the planned head; keeps the tasks' `metrics` (in tasks_
  // order) per task and adds them to the planned stage's operators.
  void gather_metrics(std::vector<arrow::Result<TaskMetrics>>& metrics) {
    merge_metrics(*plan_, *planned_);
    std::map<int, physical::ExecutionPlanPtr> stage_plans;
    for (auto& stage : stages_under(planned_)) stage_plans[stage.number] = stage.plan;
    StageTaskMetrics gathered;
    for (size_t i = 0; i < tasks_.size(); ++i) {
      const TaskKey& key = tasks_[i].key;
      auto& slots = gathered[key.stage];
      if (slots.size() <= static_cast<size_t>(key.task)) slots.resize(key.task + 1);
      if (!metrics[i].ok()) continue;  // metrics are best effort: the query's result stands
      auto plan = stage_plans.find(key.stage);
      if (plan != stage_plans.end()) (void)add_task_metrics(*plan->second, *metrics[i]);
      slots[key.task] = std::move(*metrics[i]);
    }
    std::lock_guard<std::mutex> lock(store_->mutex);
    store_->stages = std::move(gathered);
  }

  std::unique_ptr<FeedPumps> pumps_;
  physical::MetricsSet& metrics_;  // DistributedExec's own
  std::shared_ptr<DistributedExec::MetricsStore> store_;
  physical::ExecutionPlanPtr plan_;     // the routed plan the head stream runs
  physical::ExecutionPlanPtr planned_;  // the plan as planned (DistributedExec's head)
  std::shared_ptr<arrow::Schema> schema_;
  physical::RecordBatchStreamPtr head_;
  std::shared_ptr<Transport> transport_;
  std::vector<RunningTask> tasks_;
  std::shared_ptr<physical::TaskContext> context_;
  bool finished_ = false;
};

void end_all(Transport& transport, const std::vector<RunningTask>& tasks) {
  (void)run_concurrently(
      tasks.size(), [&](size_t i) { return transport.end_task(tasks[i].worker, tasks[i].key); });
}

}  // namespace

std::vector<StageView> stages_under(const physical::ExecutionPlanPtr& plan) {
  std::vector<StageView> out;
  collect_stages(plan, out);
  return out;
}

arrow::Result<std::shared_ptr<DistributedExec>> DistributedExec::Make(
    physical::ExecutionPlanPtr head, std::shared_ptr<WorkerResolver> resolver,
    std::shared_ptr<Transport> transport, std::shared_ptr<const WorkUnitFeedRegistry> feeds) {
  if (head == nullptr || resolver == nullptr || transport == nullptr) {
    return arrow::Status::UnknownError(
        "DistributedExec needs a head plan, a resolver and a "
        "transport");
  }
  if (head->output_partitions() != 1) {
    return arrow::Status::UnknownError("DistributedExec: the head stage has ",
                                       head->output_partitions(), " partitions, expected 1");
  }
  return std::make_shared<DistributedExec>(std::move(head), std::move(resolver),
                                           std::move(transport), std::move(feeds));
}

arrow::Result<physical::ExecutionPlanPtr> DistributedExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 1));
  return Make(std::move(children[0]), resolver_, transport_, feeds_);
}

arrow::Result<physical::RecordBatchStreamPtr> DistributedExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_RETURN_NOT_OK(DistributedConfig::check_compression(context->config()));
  ARROW_ASSIGN_OR_RAISE(auto workers, resolver_->worker_urls());
  if (workers.empty()) return arrow::Status::Invalid("no workers are available for the query");

  const std::string query_id = new_query_id();
  const auto stages = stages_under(head_);
  Routes routes;
  // Task t of every stage runs on worker t (modulo the workers): a consumer task then finds
  // the partitions of the producer task with its own index on its own worker, which reads them
  // in the process (LocalShortcutTransport) instead of over the network.
  for (const auto& stage : stages) {
    StageRouting routing{query_id, stage.number, {}};
    for (int t = 0; t < stage.task_count; ++t) {
      routing.task_workers.push_back(workers[static_cast<size_t>(t) % workers.size()]);
    }
    routes[stage.number] = std::move(routing);
  }
  ARROW_ASSIGN_OR_RAISE(auto routed_head, route(head_, routes));

  std::map<std::string, std::string> options = context->config().changed();
  struct FeedTask {
    RunningTask task;
    std::vector<FeedUse> uses;
  };
  std::vector<FeedTask> feed_tasks;
  std::vector<RunningTask> tasks;
  std::vector<TaskSpec> specs;
  for (const auto& stage : stages_under(routed_head)) {
    const StageRouting& routing = routes[stage.number];
    // A task runs its stage's operators only: the stages below are read over the network.
    ARROW_ASSIGN_OR_RAISE(auto task_plan, without_lower_stages(stage.plan));
    std::vector<FeedUse> uses;
    if (feeds_ != nullptr) uses = feeds_->find(*task_plan);
    std::vector<std::string> feed_ids;
    for (const auto& use : uses) feed_ids.push_back(use.handle.id());
    for (int t = 0; t < stage.task_count; ++t) {
      specs.push_back({routing.task_key(t), stage.task_count, task_plan, options, feed_ids});
      tasks.push_back({routing.task_workers[static_cast<size_t>(t)], specs.back().key});
      if (!uses.empty()) feed_tasks.push_back({tasks.back(), uses});
    }
  }
  // Every task is submitted before any is fetched; the round trips overlap.
  const auto submits = run_concurrently(
      specs.size(), [&](size_t i) { return transport_->submit_task(tasks[i].worker, specs[i]); });
  std::vector<RunningTask> submitted;
  arrow::Status failed;
  for (size_t i = 0; i < tasks.size(); ++i) {
    if (submits[i].ok()) {
      submitted.push_back(tasks[i]);
    } else if (failed.ok()) {
      failed = submits[i];
    }
  }
  if (!failed.ok()) {
    end_all(*transport_, submitted);
    return failed;
  }
  // Every task is submitted: stream the feeds to the tasks that read them.
  std::unique_ptr<FeedPumps> pumps;
  if (!feed_tasks.empty()) {
    pumps = std::make_unique<FeedPumps>(transport_, *context);
    for (const auto& feed_task : feed_tasks) {
      for (const auto& use : feed_task.uses) {
        pumps->start(feed_task.task.worker, feed_task.task.key, use);
      }
    }
  }

  auto head_context = with_transport(*context, physical::DistributedTaskContext{0, 1}, transport_);
  auto head_stream = routed_head->execute(0, head_context);
  if (!head_stream.ok()) {
    end_all(*transport_, submitted);
    if (pumps != nullptr) pumps->stop();
    return head_stream.status();
  }
  return std::make_unique<DistributedQueryStream>(
      std::move(head_stream).ValueUnsafe(), transport_, std::move(submitted), head_context,
      std::move(routed_head), head_, metrics(), store_, std::move(pumps));
}

StageTaskMetrics DistributedExec::task_metrics() const {
  std::lock_guard<std::mutex> lock(store_->mutex);
  return store_->stages;
}

}  // namespace quiver::distributed
