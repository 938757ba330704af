// The distributed planner: the seeds' plan texts for numbers(...), task-count merging, boundary
// removal, user-placed boundaries and the default file-scan estimator.

#include <gtest/gtest.h>

#include <cstdio>

#include "distributed_fixtures.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/distributed_config.h"
#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/distributed_leaf_exec.h"
#include "quiver/distributed/file_scan_task_estimator.h"
#include "quiver/distributed/network/network_coalesce_exec.h"
#include "quiver/distributed/network/network_shuffle_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"

namespace quiver::distributed {
namespace {

using testing::make_session;

constexpr const char* kDistinct = "SELECT DISTINCT number FROM numbers(0, %d) ORDER BY number";

std::string distinct_sql(int end) {
  char buffer[128];
  std::snprintf(buffer, sizeof(buffer), kDistinct, end);
  return buffer;
}

std::string plan_text(catalog::SessionContext& session, const std::string& sql) {
  auto df = session.sql(sql).ValueOrDie();
  auto plan = df->physical_plan().ValueOrDie();
  return display_distributed_plan(*plan);
}

TEST(DistributedPlannerTest, SmallRangeStaysSingleNode) {
  auto s = make_session(4);
  EXPECT_EQ(plan_text(*s.session, distinct_sql(10)),
            "SortPreservingMergeExec: [number@0 ASC NULLS LAST]\n"
            "  SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]\n"
            "    AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]\n"
            "      RepartitionExec: partitioning=Hash([number@0], 16), input_partitions=16\n"
            "        AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]\n"
            "          RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1\n"
            "            NumbersExec: t0:[0-10)\n");
}

// Seed 001, numbers(0, 11) on 4 workers (without the seed's CooperativeExec line).
TEST(DistributedPlannerTest, ElevenNumbersUseTwoTasks) {
  auto s = make_session(4);
  EXPECT_EQ(plan_text(*s.session, distinct_sql(11)),
            "┌───── DistributedExec ── Tasks: t0:[p0] \n"
            "│ SortPreservingMergeExec: [number@0 ASC NULLS LAST]\n"
            "│   [Stage 2] => NetworkCoalesceExec: output_partitions=32, input_tasks=2\n"
            "└──────────────────────────────────────────────────\n"
            "  ┌───── Stage 2 ── Tasks: t0:[p0..p15] t1:[p0..p15] \n"
            "  │ SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]\n"
            "  │   AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]\n"
            "  │     [Stage 1] => NetworkShuffleExec: output_partitions=16, input_tasks=2\n"
            "  └──────────────────────────────────────────────────\n"
            "    ┌───── Stage 1 ── Tasks: t0:[p0..p31] t1:[p0..p31] \n"
            "    │ RepartitionExec: partitioning=Hash([number@0], 32), input_partitions=16\n"
            "    │   AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]\n"
            "    │     RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1\n"
            "    │       NumbersExec: t0:[0-6), t1:[6-11)\n"
            "    └──────────────────────────────────────────────────\n");
}

TEST(DistributedPlannerTest, WorkerCountCapsTheLeafStage) {
  auto four = make_session(4);
  const std::string text = plan_text(*four.session, distinct_sql(100));
  EXPECT_NE(text.find("[Stage 2] => NetworkCoalesceExec: output_partitions=48, input_tasks=3"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[Stage 1] => NetworkShuffleExec: output_partitions=16, input_tasks=4"),
            std::string::npos);
  EXPECT_NE(text.find("RepartitionExec: partitioning=Hash([number@0], 48), input_partitions=16"),
            std::string::npos);
  EXPECT_NE(text.find("NumbersExec: t0:[0-25), t1:[25-50), t2:[50-75), t3:[75-100)"),
            std::string::npos);

  auto ten = make_session(10);
  const std::string wide = plan_text(*ten.session, distinct_sql(100));
  EXPECT_NE(wide.find("NetworkCoalesceExec: output_partitions=112, input_tasks=7"),
            std::string::npos)
      << wide;
  EXPECT_NE(wide.find("NetworkShuffleExec: output_partitions=16, input_tasks=10"),
            std::string::npos);
}

TEST(DistributedPlannerTest, MaxTasksPerStageOverridesTheWorkerCount) {
  auto s = make_session(10);
  ASSERT_TRUE(s.session->set_option("distributed.max_tasks_per_stage", "2").ok());
  const std::string text = plan_text(*s.session, distinct_sql(100));
  EXPECT_NE(text.find("NetworkShuffleExec: output_partitions=16, input_tasks=2"), std::string::npos)
      << text;
}

// A leaf that no estimator knows cannot be split, so its stage runs as one task.
TEST(DistributedPlannerTest, UnknownLeafKeepsOneTask) {
  auto s = make_session(4);
  auto text = plan_text(*s.session, "SELECT DISTINCT a FROM (VALUES (1), (2), (2)) t(a)");
  EXPECT_EQ(text.find("DistributedExec"), std::string::npos) << text;
}

class CountingEstimator final : public TaskEstimator {
 public:
  explicit CountingEstimator(TaskEstimation estimation) : estimation_(estimation) {}
  std::optional<TaskEstimation> task_estimation(const physical::ExecutionPlan& leaf,
                                                const common::ConfigOptions&) const override {
    if (leaf.name() != "DataSourceExec") return std::nullopt;
    return estimation_;
  }
  arrow::Result<physical::ExecutionPlanPtr> scale_up_leaf_node(
      const physical::ExecutionPlanPtr& leaf, int task_count,
      const common::ConfigOptions&) const override {
    ARROW_ASSIGN_OR_RAISE(auto split, DistributedLeafExec::Make(leaf, task_count));
    return split;
  }

 private:
  TaskEstimation estimation_;
};

// The default estimator: ceil(ceil(bytes / bytes_per_partition) / target_partitions) tasks.
TEST(FileScanTaskEstimatorTest, FollowsBytesPerPartition) {
  auto s = make_session(0, 3);
  auto plan = s.session->sql("SELECT * FROM weather").ValueOrDie()->physical_plan().ValueOrDie();
  physical::ExecutionPlanPtr leaf = plan;
  while (!leaf->children().empty()) leaf = leaf->children()[0];
  ASSERT_EQ(leaf->name(), "DataSourceExec");
  common::ConfigOptions options;
  ASSERT_TRUE(options.register_extension(DistributedConfig{}).ok());
  ASSERT_TRUE(options.set("execution.target_partitions", "2").ok());
  FileScanTaskEstimator estimator;
  EXPECT_EQ(estimator.task_estimation(*leaf, options)->to_string(), "desired(1)");  // < 16 MB
  ASSERT_TRUE(options.set("distributed.bytes_per_partition", "10KB").ok());
  // 53813 bytes -> 6 partitions of 10 KB -> 3 tasks of 2 partitions.
  EXPECT_EQ(estimator.task_estimation(*leaf, options)->to_string(), "desired(3)");
  auto split = estimator.scale_up_leaf_node(leaf, 3, options).ValueOrDie();
  ASSERT_NE(split, nullptr);
  EXPECT_EQ(split->display(), "DistributedLeafExec: " + leaf->display());
  auto other = NetworkCoalesceExec::Make(leaf).ValueOrDie();
  EXPECT_EQ(estimator.task_estimation(*other, options), std::nullopt);
  EXPECT_EQ(estimator.scale_up_leaf_node(other, 3, options).ValueOrDie(), nullptr);
}

TEST(DistributedPlannerTest, UserPlacedBoundariesAreHonoured) {
  auto s = make_session(0, 3);
  auto scan = s.session->sql("SELECT \"RainToday\" FROM weather")
                  .ValueOrDie()
                  ->physical_plan()
                  .ValueOrDie();
  // Two coalesces placed by hand: scan (3 tasks) -> 2 tasks -> head.
  auto first = NetworkCoalesceExec::Make(scan).ValueOrDie();
  auto second = NetworkCoalesceExec::Make(first).ValueOrDie();
  auto root = exec::CoalescePartitionsExec::Make(second).ValueOrDie();
  auto transport = InProcessTransport::Make();
  DistributedPlanner planner({std::make_shared<CountingEstimator>(TaskEstimation::desired(3))},
                             std::make_shared<StaticWorkerResolver>(in_process_worker_urls(4)),
                             transport);
  common::ConfigOptions options;
  auto planned = planner.plan(root, options, 4).ValueOrDie();
  ASSERT_EQ(planned->name(), "DistributedExec");
  const auto stages = stages_under(planned);
  ASSERT_EQ(stages.size(), 2u);
  EXPECT_EQ(stages[0].number, 1);
  EXPECT_EQ(stages[0].task_count, 3);
  EXPECT_EQ(stages[1].number, 2);
  EXPECT_EQ(stages[1].task_count, 2);  // two thirds of 3, rounded up
  const std::string text = display_distributed_plan(*planned);
  EXPECT_NE(text.find("┌───── Stage 1 ── Tasks: t0:[p0..p2] t1:[p0..p2] t2:[p0..p2] "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[Stage 1] => NetworkCoalesceExec: output_partitions=6, input_tasks=3"),
            std::string::npos);
  EXPECT_NE(text.find("DistributedLeafExec: DataSourceExec: file_groups={3 groups"),
            std::string::npos);
  // Running it reads each file exactly once: 3 files of 122 rows.
  auto table = physical::collect(planned, s.session->task_context()).ValueOrDie();
  EXPECT_EQ(table->num_rows(), 3 * 122);
  EXPECT_EQ(transport->submitted_tasks(), 5u);
  EXPECT_EQ(transport->live_tasks(), 0u);
}

TEST(DistributedPlannerTest, TaskEstimationsMerge) {
  // maximum wins over desired: a stage with a maximum(2) leaf runs on 2 tasks even when the
  // workers allow more.
  auto s = make_session(0, 3);
  auto scan = s.session->sql("SELECT \"RainToday\" FROM weather")
                  .ValueOrDie()
                  ->physical_plan()
                  .ValueOrDie();
  auto root = exec::CoalescePartitionsExec::Make(scan).ValueOrDie();
  common::ConfigOptions options;
  for (auto [estimation, expected] :
       std::vector<std::pair<TaskEstimation, int>>{{TaskEstimation::maximum(2), 2},
                                                   {TaskEstimation::desired(9), 4},
                                                   {TaskEstimation::desired(1), 0}}) {
    DistributedPlanner planner({std::make_shared<CountingEstimator>(estimation)},
                               std::make_shared<StaticWorkerResolver>(in_process_worker_urls(4)),
                               InProcessTransport::Make());
    auto planned = planner.plan(root, options, 4).ValueOrDie();
    const auto stages = stages_under(planned);
    if (expected == 0) {
      EXPECT_EQ(planned, root) << "one task: the plan must come back unchanged";
      continue;
    }
    ASSERT_EQ(stages.size(), 1u) << estimation.to_string();
    EXPECT_EQ(stages[0].task_count, expected) << estimation.to_string();
  }
}

TEST(NetworkShuffleExecTest, NeedsAHashRepartition) {
  auto s = make_session(0);
  auto plan =
      s.session->sql("SELECT number FROM numbers(0, 3)").ValueOrDie()->physical_plan().ValueOrDie();
  auto shuffle = NetworkShuffleExec::Make(plan);
  ASSERT_FALSE(shuffle.ok());
  EXPECT_TRUE(shuffle.status().IsInvalid());
}

TEST(NetworkCoalesceExecTest, SplitsProducersIntoContiguousGroups) {
  auto s = make_session(0);
  auto plan =
      s.session->sql("SELECT number FROM numbers(0, 3)").ValueOrDie()->physical_plan().ValueOrDie();
  auto coalesce = NetworkCoalesceExec::Make(plan, BoundaryPlan{1, 7, 3}).ValueOrDie();
  EXPECT_EQ(coalesce->group_of(0), std::make_pair(0, 3));
  EXPECT_EQ(coalesce->group_of(1), std::make_pair(3, 5));
  EXPECT_EQ(coalesce->group_of(2), std::make_pair(5, 7));
  EXPECT_EQ(coalesce->output_partitions(), 3 * plan->output_partitions());
}

TEST(DistributedDisplayTest, DotHasOneClusterPerStage) {
  auto s = make_session(4);
  auto plan = s.session->sql(distinct_sql(11)).ValueOrDie()->physical_plan().ValueOrDie();
  const std::string dot = distributed_plan_dot(*plan);
  EXPECT_EQ(dot.rfind("digraph distributed_plan {", 0), 0u);
  EXPECT_NE(dot.find("label=\"Stage 1 (2 tasks)\""), std::string::npos) << dot;
  EXPECT_NE(dot.find("label=\"Stage 2 (2 tasks)\""), std::string::npos);
  EXPECT_NE(dot.find("style=dashed"), std::string::npos);
}

}  // namespace
}  // namespace quiver::distributed
