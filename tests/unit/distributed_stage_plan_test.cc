// The plans sent to tasks (over in-process and Flight workers) hold their own stage only: every
// network boundary reads a StageInputExec placeholder instead of the lower stages' plans, which
// still show on the coordinator. Also the placeholder itself: its codec round trip and its
// refusal to execute.

#include <arrow/table.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec_codec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "distributed_fixtures.h"
#include "quiver/distributed/codec/plan_codec.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/network/stage_input_exec.h"
#include "quiver/distributed/task_metrics.h"
#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::distributed {
namespace {

using testing::numbers_codecs;

// One submitted task: its stage and its plan as the Flight transport would send it.
struct SentTask {
  int stage = 0;
  std::string plan_bytes;
};

// Forwards to an in-process transport and keeps the encoded plan of every submitted task.
class RecordingTransport final : public Transport {
 public:
  explicit RecordingTransport(std::shared_ptr<Transport> inner) : inner_(std::move(inner)) {}

  arrow::Status submit_task(const std::string& worker_url, const TaskSpec& spec) override {
    ARROW_ASSIGN_OR_RAISE(auto bytes, codec::encode_plan(*spec.plan, numbers_codecs()));
    {
      std::lock_guard<std::mutex> lock(mutex_);
      sent_.push_back({spec.key.stage, std::move(bytes)});
    }
    return inner_->submit_task(worker_url, spec);
  }
  arrow::Result<physical::RecordBatchStreamPtr> fetch_partition(
      const std::string& worker_url, const TaskKey& key, int partition,
      std::shared_ptr<arrow::Schema> schema) override {
    return inner_->fetch_partition(worker_url, key, partition, std::move(schema));
  }
  arrow::Status end_task(const std::string& worker_url, const TaskKey& key) override {
    return inner_->end_task(worker_url, key);
  }
  arrow::Result<TaskMetrics> task_metrics(const std::string& worker_url,
                                          const TaskKey& key) override {
    return inner_->task_metrics(worker_url, key);
  }

  std::vector<SentTask> sent() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sent_;
  }

 private:
  std::shared_ptr<Transport> inner_;
  mutable std::mutex mutex_;
  std::vector<SentTask> sent_;
};

struct RecordingSession {
  std::shared_ptr<catalog::SessionContext> session;
  std::shared_ptr<RecordingTransport> transport;
};

RecordingSession recording_session(int workers, int target_partitions) {
  RecordingSession out;
  out.session = catalog::SessionContext::Make();
  auto& session = *out.session;
  EXPECT_TRUE(session.register_config_extension(examples::NumbersConfig{}).ok());
  EXPECT_TRUE(
      session.register_table_function("numbers", std::make_shared<examples::NumbersTableFunction>())
          .ok());
  EXPECT_TRUE(
      session.set_option("execution.target_partitions", std::to_string(target_partitions)).ok());
  auto urls = in_process_worker_urls(workers);
  out.transport = std::make_shared<RecordingTransport>(
      InProcessTransport::Make(urls, session.options_snapshot()));
  auto st = enable_distributed(session, std::make_shared<StaticWorkerResolver>(urls), out.transport,
                               {std::make_shared<examples::NumbersTaskEstimator>()});
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

int count_nodes(const physical::ExecutionPlan& plan) {
  int n = 1;
  for (const auto& child : plan.children()) n += count_nodes(*child);
  return n;
}

int count_boundaries(const physical::ExecutionPlan& plan) {
  const bool boundary = dynamic_cast<const NetworkBoundary*>(&plan) != nullptr;
  int n = boundary ? 1 : 0;
  if (boundary) return n;
  for (const auto& child : plan.children()) n += count_boundaries(*child);
  return n;
}

// Returns `plan` (a task plan) with every placeholder replaced by the planned plan of its stage
// (`stages`): the plan the task was sent before placeholders existed, less the routing of the
// boundaries below its own stage (so a lower bound of its size).
physical::ExecutionPlanPtr with_lower_stages(
    const physical::ExecutionPlanPtr& plan,
    const std::map<int, physical::ExecutionPlanPtr>& stages) {
  if (const auto* input = dynamic_cast<const StageInputExec*>(plan.get())) {
    return stages.at(input->stage());
  }
  auto children = plan->children();
  if (children.empty()) return plan;
  for (auto& child : children) child = with_lower_stages(child, stages);
  return plan->with_new_children(std::move(children)).ValueOrDie();
}

// What the tasks of one query were sent.
struct Sent {
  int64_t rows = 0;
  std::string task_plans;    // each decoded task plan's display, behind `-- stage N`
  int64_t bytes = 0;         // the encoded task plans
  int64_t bytes_before = 0;  // the same tasks with the lower stages' plans (with_lower_stages)
};

// Runs `sql` on the recording session; checks that every task was sent exactly its stage's
// operators plus one placeholder per boundary and that the coordinator's display still shows
// every stage.
Sent run_and_check(RecordingSession& cluster, const std::string& sql, size_t min_stages) {
  Sent out;
  auto df = cluster.session->sql(sql);
  EXPECT_TRUE(df.ok()) << df.status().ToString();
  if (!df.ok()) return out;
  auto plan = (*df)->physical_plan().ValueOrDie();
  EXPECT_EQ(plan->name(), "DistributedExec");
  const auto& head = static_cast<const DistributedExec&>(*plan).head();
  const auto stages = stages_under(head);
  EXPECT_GE(stages.size() + 1, min_stages) << display_distributed_plan(*plan);
  std::map<int, physical::ExecutionPlanPtr> stage_plans;
  for (const auto& stage : stages) stage_plans[stage.number] = stage.plan;
  const std::string coordinator = display_distributed_plan(*plan);
  EXPECT_EQ(coordinator.find("StageInputExec"), std::string::npos) << coordinator;

  auto table = physical::collect(plan, cluster.session->task_context());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  if (table.ok()) out.rows = (*table)->num_rows();

  const auto sent = cluster.transport->sent();
  EXPECT_FALSE(sent.empty());
  for (const auto& task : sent) {
    auto stage = stage_plans.find(task.stage);
    EXPECT_NE(stage, stage_plans.end()) << "stage " << task.stage;
    if (stage == stage_plans.end()) continue;
    auto decoded = codec::decode_plan(task.plan_bytes, numbers_codecs());
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    if (!decoded.ok()) continue;
    EXPECT_EQ(count_nodes(**decoded), static_cast<int>(stage_nodes(*stage->second).size()) +
                                          count_boundaries(*stage->second))
        << physical::display_plan(**decoded);
    auto before = codec::encode_plan(*with_lower_stages(*decoded, stage_plans), numbers_codecs());
    EXPECT_TRUE(before.ok()) << before.status().ToString();
    if (before.ok()) out.bytes_before += static_cast<int64_t>(before->size());
    out.bytes += static_cast<int64_t>(task.plan_bytes.size());
    out.task_plans +=
        "-- stage " + std::to_string(task.stage) + "\n" + physical::display_plan(**decoded);
  }
  return out;
}

TEST(StagePlanTest, TasksOfAThreeStageQueryAreSentTheirOwnStageOnly) {
  auto cluster = recording_session(4, 16);
  const auto sent =
      run_and_check(cluster, "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number", 3);
  EXPECT_EQ(sent.rows, 100);
  const std::string& text = sent.task_plans;
  // Stage 2 (the DISTINCT's final aggregate) reads stage 1 through its shuffle: the placeholder
  // carries the hash partitioning, and the numbers leaf of stage 1 is not in stage 2's plan.
  const auto stage2 = text.find("-- stage 2");
  ASSERT_NE(stage2, std::string::npos) << text;
  const std::string stage2_text = text.substr(stage2, text.find("-- stage", stage2 + 1) - stage2);
  EXPECT_NE(stage2_text.find("NetworkShuffleExec"), std::string::npos) << stage2_text;
  EXPECT_NE(stage2_text.find("StageInputExec: stage=1, producer=RepartitionExec, "
                             "partitioning=Hash([number@0]"),
            std::string::npos)
      << stage2_text;
  EXPECT_EQ(stage2_text.find("NumbersExec"), std::string::npos) << stage2_text;
  EXPECT_EQ(stage2_text.find("RepartitionExec: partitioning"), std::string::npos) << stage2_text;
}

const char* const kBroadcastJoin =
    "SELECT a.number % 5 AS k, count(*) AS c FROM numbers(0, 100) a JOIN numbers(0, 60) b "
    "ON a.number = b.number * 2 GROUP BY a.number % 5";

TEST(StagePlanTest, BroadcastJoinTasksReadAPlaceholderOfTheBuildSide) {
  // The small left side is collected (and broadcast); the grouped aggregate's shuffle puts the
  // join in a lower stage.
  auto cluster = recording_session(4, 4);
  const auto sent = run_and_check(cluster, kBroadcastJoin, 3);
  EXPECT_EQ(sent.rows, 5);
  EXPECT_NE(sent.task_plans.find("NetworkBroadcastExec"), std::string::npos) << sent.task_plans;
  EXPECT_NE(sent.task_plans.find("StageInputExec: stage=1, producer=BroadcastExec"),
            std::string::npos)
      << sent.task_plans;
}

// A TPC-H-like multi-join (three inputs, partitioned joins, a grouped aggregate, an ORDER BY):
// every task is sent fewer bytes than with the lower stages' plans.
const char* const kMultiJoin =
    "SELECT a.number % 7 AS k, count(*) AS c, sum(c.number) AS s "
    "FROM numbers(0, 1000) a JOIN numbers(0, 600) b ON a.number = b.number "
    "JOIN numbers(0, 300) c ON b.number = c.number * 2 "
    "WHERE a.number % 3 <> 1 GROUP BY a.number % 7 ORDER BY k";

TEST(StagePlanTest, MultiJoinTasksAreSentFewerBytes) {
  auto cluster = recording_session(4, 4);
  ASSERT_TRUE(
      cluster.session->set_option("optimizer.hash_join_single_partition_threshold", "0").ok());
  const auto sent = run_and_check(cluster, kMultiJoin, 4);
  EXPECT_EQ(sent.rows, 7);
  EXPECT_LT(sent.bytes, sent.bytes_before) << sent.task_plans;
  std::cout << "[ multi-join ] task plan bytes: " << sent.bytes_before << " -> " << sent.bytes
            << "\n"
            << sent.task_plans;
}

common::ConfigOptions numbers_config() {
  common::ConfigOptions options;
  EXPECT_TRUE(options.register_extension(examples::NumbersConfig{}).ok());
  return options;
}

TEST(StagePlanTest, FlightWorkersReceiveTheirOwnStageOnly) {
  auto cluster = start_in_process_flight_cluster(3, numbers_codecs(), numbers_config);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  // Plan over three workers, then run the planned head over the Flight workers with an encoder
  // that keeps what it sends.
  auto planning = recording_session(3, 8);
  auto planned = planning.session->sql("SELECT DISTINCT number FROM numbers(0, 100) ORDER BY 1")
                     .ValueOrDie()
                     ->physical_plan()
                     .ValueOrDie();
  const auto& head = static_cast<const DistributedExec&>(*planned).head();
  ASSERT_EQ(stages_under(head).size(), 2u) << display_distributed_plan(*planned);
  auto sent = std::make_shared<std::vector<std::string>>();
  auto mutex = std::make_shared<std::mutex>();
  PlanEncoder recording = [sent, mutex, encode = codec_plan_encoder(numbers_codecs())](
                              const physical::ExecutionPlanPtr& plan) {
    auto bytes = encode(plan);
    std::lock_guard<std::mutex> lock(*mutex);
    if (bytes.ok()) sent->push_back(*bytes);
    return bytes;
  };
  auto transport =
      std::make_shared<FlightTransport>(recording, std::make_shared<ChannelResolver>());
  auto root = DistributedExec::Make(
                  head, std::make_shared<StaticWorkerResolver>((*cluster)->urls()), transport)
                  .ValueOrDie();
  auto table = physical::collect(root, planning.session->task_context());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->num_rows(), 100);
  EXPECT_EQ((*cluster)->task_count(), 0u);

  std::lock_guard<std::mutex> lock(*mutex);
  ASSERT_FALSE(sent->empty());
  int reading_tasks = 0;
  for (const auto& bytes : *sent) {
    const std::string text =
        physical::display_plan(*codec::decode_plan(bytes, numbers_codecs()).ValueOrDie());
    if (text.find("NetworkShuffleExec") == std::string::npos) continue;
    ++reading_tasks;
    EXPECT_NE(text.find("StageInputExec: stage=1"), std::string::npos) << text;
    EXPECT_EQ(text.find("NumbersExec"), std::string::npos) << text;
  }
  EXPECT_GT(reading_tasks, 0);
}

// Measures the task plan bytes of the TPC-H join queries over the Parquet files under
// $QUIVER_TPCH_DIR (e.g. build/tpch/sf0.1, made by `ctest -R tpch`); skipped without it.
TEST(StagePlanTest, TpchTaskPlanBytes) {
  const char* dir = std::getenv("QUIVER_TPCH_DIR");
  if (dir == nullptr) GTEST_SKIP() << "set QUIVER_TPCH_DIR to measure the TPC-H task plans";
  for (const char* query : {"q02", "q05", "q07", "q08", "q09", "q21"}) {
    auto cluster = recording_session(4, 4);
    ASSERT_TRUE(cluster.session->set_option("distributed.bytes_per_partition", "1MB").ok());
    for (const char* table :
         {"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"}) {
      ASSERT_TRUE(cluster.session->register_parquet(table, std::string(dir) + "/" + table).ok());
    }
    std::ifstream file(std::string("tests/tpch/queries/") + query + ".sql");
    const std::string sql((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(sql.empty()) << query;
    const auto sent = run_and_check(cluster, sql, 3);
    EXPECT_LT(sent.bytes, sent.bytes_before) << query;
    std::cout << "[ tpch " << query << " ] " << cluster.transport->sent().size()
              << " tasks, task plan bytes: " << sent.bytes_before << " -> " << sent.bytes << "\n";
  }
}

TEST(StagePlanTest, StageInputRoundTripsThroughTheCodecAndNeverExecutes) {
  physical::PlanProperties properties;
  properties.schema =
      arrow::schema({arrow::field("k", arrow::int64()), arrow::field("v", arrow::utf8())});
  auto key = std::make_shared<physical::ColumnExpr>("k", 0);
  properties.partitioning = physical::Partitioning::hash({key}, 8);
  properties.output_ordering = {{key, false, true}};
  properties.emission = physical::EmissionType::kFinal;
  auto node = StageInputExec::Make(3, "RepartitionExec", properties).ValueOrDie();
  EXPECT_EQ(node->display(),
            "StageInputExec: stage=3, producer=RepartitionExec, partitioning=Hash([k@0], 8), "
            "ordering=[k@0 DESC NULLS FIRST]");

  auto back = codec::decode_plan(codec::encode_plan(*node).ValueOrDie()).ValueOrDie();
  const auto* decoded = dynamic_cast<const StageInputExec*>(back.get());
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(decoded->display(), node->display());
  EXPECT_TRUE(decoded->schema()->Equals(*properties.schema));
  EXPECT_EQ(decoded->properties().emission, physical::EmissionType::kFinal);

  auto stream = node->execute(0, std::make_shared<physical::TaskContext>(common::ConfigOptions{}));
  ASSERT_FALSE(stream.ok());
  EXPECT_NE(stream.status().message().find("stage 3 (RepartitionExec)"), std::string::npos)
      << stream.status().ToString();

  EXPECT_FALSE(StageInputExec::Make(0, "RepartitionExec", properties).ok());
}

}  // namespace
}  // namespace quiver::distributed
