#include "quiver/physical/execution_plan.h"

#include <arrow/table.h>

#include <thread>

namespace quiver::physical {

arrow::Status check_partition(const ExecutionPlan& plan, int partition) {
  if (partition < 0 || partition >= plan.output_partitions()) {
    return arrow::Status::UnknownError(plan.name(), ": partition ", partition, " out of range (",
                                       plan.output_partitions(), " partitions)");
  }
  return arrow::Status::OK();
}

arrow::Status check_children(const ExecutionPlan& plan,
                             const std::vector<ExecutionPlanPtr>& children, size_t expected) {
  if (children.size() != expected) {
    return arrow::Status::UnknownError(plan.name(), " takes ", expected, " children, got ",
                                       children.size());
  }
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::Table>> collect(const ExecutionPlanPtr& plan,
                                                     const std::shared_ptr<TaskContext>& context) {
  const int n = plan->output_partitions();
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts(n);
  std::vector<arrow::Status> statuses(n);
  auto run = [&](int p) {
    auto stream = plan->execute(p, context);
    if (!stream.ok()) {
      statuses[p] = stream.status();
      return;
    }
    auto batches = collect_stream(**stream);
    if (!batches.ok()) {
      statuses[p] = batches.status();
      context->cancel();
      return;
    }
    parts[p] = std::move(*batches);
  };
  if (n == 1) {
    run(0);
  } else {
    std::vector<std::thread> threads;
    threads.reserve(n);
    for (int p = 0; p < n; ++p) threads.emplace_back(run, p);
    for (auto& t : threads) t.join();
  }
  // The error that made the others cancel is the one to report, whichever partition had it.
  const arrow::Status* failure = nullptr;
  for (const auto& st : statuses) {
    if (!st.ok() && (failure == nullptr || (failure->IsCancelled() && !st.IsCancelled()))) {
      failure = &st;
    }
  }
  if (failure != nullptr) return *failure;
  std::vector<std::shared_ptr<arrow::RecordBatch>> all;
  for (int p = 0; p < n; ++p) {
    for (auto& b : parts[p]) all.push_back(std::move(b));
  }
  return arrow::Table::FromRecordBatches(plan->schema(), all);
}

namespace {

void display_node(const ExecutionPlan& plan, bool with_metrics, int depth, std::string& out) {
  out.append(static_cast<size_t>(depth) * 2, ' ');
  out += plan.display();
  if (with_metrics) out += ", metrics=[" + plan.metrics().to_string() + "]";
  out += "\n";
  for (const auto& child : plan.children()) display_node(*child, with_metrics, depth + 1, out);
}

}  // namespace

std::string display_plan(const ExecutionPlan& plan, bool with_metrics) {
  std::string out;
  display_node(plan, with_metrics, 0, out);
  return out;
}

}  // namespace quiver::physical
