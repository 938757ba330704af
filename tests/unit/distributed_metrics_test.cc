// Per-task operator metrics of distributed queries: the wire format, the worker keeping a finished
// task's metrics until it is ended, and EXPLAIN ANALYZE showing every lower-stage operator with
// its sum over the tasks and one line per task, over in-process and Flight workers.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec_codec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "distributed_fixtures.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/task_metrics.h"
#include "quiver/distributed/worker/task_registry.h"
#include "quiver/exec/source/empty_exec.h"

namespace quiver::distributed {
namespace {

const char* const kQuery = "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number";

TEST(TaskMetricsTest, EncodingRoundTripsAndRejectsMalformedInput) {
  TaskMetrics metrics{{12, 3400, {{"spill_count", 2}, {"bytes_scanned", 99}}}, {0, 0, {}}};
  auto decoded = decode_task_metrics(encode_task_metrics(metrics));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, metrics);
  EXPECT_TRUE(decode_task_metrics(encode_task_metrics({}))->empty());
  EXPECT_FALSE(decode_task_metrics("garbage").ok());
  EXPECT_FALSE(decode_task_metrics("QMETR1\n12 x\n").ok());
  EXPECT_FALSE(decode_task_metrics("QMETR1\n12\n").ok());
  EXPECT_FALSE(decode_task_metrics("QMETR1\n1 2 =3\n").ok());
  EXPECT_EQ(format_node_metrics(metrics[0]),
            "output_rows=12, elapsed_compute=3.40µs, bytes_scanned=99, spill_count=2");
}

TEST(TaskMetricsTest, AFinishedTaskKeepsItsMetricsUntilEnded) {
  TaskRegistry registry(std::chrono::minutes(1));
  auto task = std::make_shared<RegisteredTask>();
  task->key = TaskKey{"q", 1, 0};
  task->plan = exec::EmptyExec::Make(arrow::schema({}), true).ValueOrDie();
  task->plan->metrics().add_output_rows(7);
  task->context = std::make_shared<physical::TaskContext>(common::ConfigOptions());
  task->partition_state.assign(1, 0);
  registry.add(task);
  ASSERT_EQ(registry.metrics(task->key).ValueOrDie().at(0).output_rows, 7);
  ASSERT_TRUE(registry.start_partition(task->key, 0).ok());
  registry.finish_partition(task, 0);
  EXPECT_EQ(registry.size(), 0u);  // freed: every partition finished
  auto kept = registry.metrics(task->key);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->at(0).output_rows, 7);
  registry.end(task->key);
  EXPECT_FALSE(registry.metrics(task->key).ok());
  EXPECT_FALSE(registry.metrics(TaskKey{"q", 9, 9}).ok());
}

// Returns the per-task output_rows on the `tN:` lines under the first operator line containing
// `op`, and the operator line's own output_rows (-1 when absent).
std::pair<int64_t, std::vector<int64_t>> rows_under(const std::string& text,
                                                    const std::string& op) {
  std::istringstream in(text);
  std::string line;
  const std::regex task_line(R"(^│ +t\d+: output_rows=(\d+), elapsed_compute=)");
  const std::regex own(R"(metrics=\[output_rows=(\d+),)");
  int64_t total = -1;
  std::vector<int64_t> tasks;
  bool found = false;
  while (std::getline(in, line)) {
    std::smatch m;
    // Lower stages are indented: strip the box's leading spaces.
    std::string body = line.substr(line.find_first_not_of(' '));
    if (!found) {
      if (body.find(op) != std::string::npos && std::regex_search(body, m, own)) {
        found = true;
        total = std::stoll(m[1]);
      }
      continue;
    }
    if (!std::regex_search(body, m, task_line)) break;
    tasks.push_back(std::stoll(m[1]));
  }
  return {total, tasks};
}

int64_t sum(const std::vector<int64_t>& values) {
  int64_t out = 0;
  for (auto v : values) out += v;
  return out;
}

// Runs kQuery with EXPLAIN ANALYZE and checks the shuffle producer's RepartitionExec: 100 rows in
// total, split over the stage's tasks, one `tN:` line per task.
void expect_per_task_metrics(catalog::SessionContext& session, size_t expected_tasks) {
  auto table = testing::run(session, std::string("EXPLAIN ANALYZE ") + kQuery);
  ASSERT_NE(table, nullptr);
  const std::string text = table->column(1)->GetScalar(0).ValueOrDie()->ToString();
  EXPECT_NE(text.find("┌───── DistributedExec"), std::string::npos) << text;
  EXPECT_NE(text.find("┌───── Stage 1"), std::string::npos) << text;
  auto [total, tasks] = rows_under(text, "RepartitionExec: partitioning=Hash");
  EXPECT_EQ(total, 100) << text;
  EXPECT_EQ(tasks.size(), expected_tasks) << text;
  EXPECT_EQ(sum(tasks), 100) << text;
  // The head stage (one task, on the coordinator) has no per-task lines.
  auto [head_rows, head_tasks] = rows_under(text, "SortPreservingMergeExec");
  EXPECT_EQ(head_rows, 100) << text;
  EXPECT_TRUE(head_tasks.empty()) << text;
}

TEST(DistributedMetricsTest, InProcessTasksReportTheirOwnMetrics) {
  auto cluster = testing::make_session(4);
  auto df = cluster.session->sql(kQuery).ValueOrDie();
  auto plan = df->physical_plan().ValueOrDie();
  ASSERT_EQ(physical::collect(plan, cluster.session->task_context()).ValueOrDie()->num_rows(), 100);
  const auto& root = static_cast<const DistributedExec&>(*plan);
  const auto gathered = root.task_metrics();
  ASSERT_TRUE(gathered.count(1)) << display_distributed_plan(*plan, true);
  const auto& stage1 = gathered.at(1);
  ASSERT_GT(stage1.size(), 1u);
  int64_t rows = 0;
  for (const auto& task : stage1) {
    ASSERT_FALSE(task.empty());
    rows += task[0].output_rows;          // the producer's RepartitionExec
    EXPECT_LT(task[0].output_rows, 100);  // each task counts only its own rows
  }
  EXPECT_EQ(rows, 100);
  expect_per_task_metrics(*cluster.session, stage1.size());
}

TEST(DistributedMetricsTest, MetricsCollectionCanBeTurnedOff) {
  auto cluster = testing::make_session(4);
  ASSERT_TRUE(cluster.session->set_option("distributed.collect_metrics", "false").ok());
  auto plan = cluster.session->sql(kQuery).ValueOrDie()->physical_plan().ValueOrDie();
  ASSERT_EQ(physical::collect(plan, cluster.session->task_context()).ValueOrDie()->num_rows(), 100);
  EXPECT_TRUE(static_cast<const DistributedExec&>(*plan).task_metrics().empty());
  EXPECT_EQ(display_distributed_plan(*plan, true).find(" t0: "), std::string::npos);
}

TEST(DistributedMetricsTest, FlightWorkersSendTheirTasksMetrics) {
  codec::ExtensionCodecs codecs{std::make_shared<examples::NumbersExecCodec>()};
  auto cluster = start_in_process_flight_cluster(4, codecs, [] {
    common::ConfigOptions options;
    EXPECT_TRUE(options.register_extension(examples::NumbersConfig{}).ok());
    return options;
  });
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  auto session = catalog::SessionContext::Make();
  ASSERT_TRUE(session->register_config_extension(examples::NumbersConfig{}).ok());
  ASSERT_TRUE(
      session
          ->register_table_function("numbers", std::make_shared<examples::NumbersTableFunction>())
          .ok());
  ASSERT_TRUE(session->set_option("execution.target_partitions", "16").ok());
  ASSERT_TRUE(enable_flight_distributed(*session, (*cluster)->urls(), codecs,
                                        {std::make_shared<examples::NumbersTaskEstimator>()})
                  .ok());
  auto plan = session->sql(kQuery).ValueOrDie()->physical_plan().ValueOrDie();
  ASSERT_EQ(plan->name(), "DistributedExec");
  const auto& producer = stages_under(plan);
  int stage1_tasks = 0;
  for (const auto& stage : producer) {
    if (stage.number == 1) stage1_tasks = stage.task_count;
  }
  ASSERT_GT(stage1_tasks, 1);
  expect_per_task_metrics(*session, static_cast<size_t>(stage1_tasks));
  EXPECT_EQ((*cluster)->task_count(), 0u);  // metrics asked, then every task ended
}

}  // namespace
}  // namespace quiver::distributed
