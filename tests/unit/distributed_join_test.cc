// Joins across stages: collect-left build sides are broadcast to every task of the join's stage,
// partitioned joins shuffle both inputs into the same tasks, and joins that emit unmatched left
// rows run in one task; every case gives the single-node rows.

#include <arrow/table.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "distributed_fixtures.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {
namespace {

using testing::make_session;
using testing::plan_text;
using testing::run;

std::vector<std::string> sorted_rows(const std::shared_ptr<arrow::Table>& table) {
  return testing::rows_of(table, /*sort=*/true);
}

void set(catalog::SessionContext& session, const std::string& key, const std::string& value) {
  auto st = session.set_option(key, value);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

// Runs `sql` single-node and on 4 in-process workers with the same options; returns the
// distributed plan's text after checking that both give the same rows.
std::string check_same_rows(const std::string& sql, int target_partitions,
                            const std::vector<std::pair<std::string, std::string>>& options,
                            size_t expected_rows) {
  auto single = make_session(0, target_partitions);
  auto cluster = make_session(4, target_partitions);
  for (const auto& [key, value] : options) {
    // distributed.* options exist only in distributed sessions.
    if (key.rfind("distributed.", 0) != 0) set(*single.session, key, value);
    set(*cluster.session, key, value);
  }
  auto expected = sorted_rows(run(*single.session, sql));
  EXPECT_EQ(expected.size(), expected_rows);
  EXPECT_EQ(sorted_rows(run(*cluster.session, sql)), expected);
  return plan_text(*cluster.session, sql);
}

const char* kInner =
    "SELECT a.number, b.number FROM numbers(0, 100) a JOIN numbers(0, 60) b "
    "ON a.number = b.number * 2";

// Counts the occurrences of `needle` in `text`.
size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// kInner grouped: the shuffle above the join lets the join's stage run several tasks.
const char* kInnerGrouped =
    "SELECT a.number % 5 AS k, count(*) FROM numbers(0, 100) a JOIN numbers(0, 60) b "
    "ON a.number = b.number * 2 GROUP BY 1";

TEST(DistributedJoinTest, CollectLeftBuildSideIsBroadcast) {
  // One partition per task makes the planner collect the left side.
  const auto plan = check_same_rows(kInnerGrouped, 4, {}, 5);
  EXPECT_NE(plan.find("HashJoinExec: mode=CollectLeft"), std::string::npos) << plan;
  EXPECT_NE(plan.find("NetworkBroadcastExec: output_partitions=4, input_tasks=4"),
            std::string::npos)
      << plan;
  EXPECT_NE(plan.find("BroadcastExec: input_partitions=1, consumers=4"), std::string::npos) << plan;
}

TEST(DistributedJoinTest, BuildSideForOneTaskIsGatheredNotBroadcast) {
  // The join runs in the head stage (one task): its build side is streamed to it like any
  // gather, with no BroadcastExec buffering the producer's partitions.
  const auto plan = check_same_rows(kInner, 1, {}, 50);
  EXPECT_NE(plan.find("HashJoinExec: mode=CollectLeft"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("BroadcastExec"), std::string::npos) << plan;
  EXPECT_NE(plan.find("NetworkCoalesceExec: output_partitions=4, input_tasks=4"), std::string::npos)
      << plan;
}

TEST(DistributedJoinTest, GatheredBuildSideIsBroadcastFromItsOwnStage) {
  // With several partitions per task the build side is CoalescePartitionsExec over the build
  // stage. The build stage broadcasts its partitions and each join task gathers them: no stage
  // of one task between them only gathers and re-sends the rows.
  const std::string sql =
      "SELECT a.number % 5 AS k, count(*) FROM numbers(0, 100) a JOIN "
      "(SELECT number FROM numbers(0, 60) GROUP BY number) b "
      "ON a.number = b.number * 2 GROUP BY 1";
  const auto plan = check_same_rows(sql, 4, {}, 5);
  EXPECT_NE(plan.find("HashJoinExec: mode=CollectLeft"), std::string::npos) << plan;
  EXPECT_NE(plan.find("BroadcastExec: input_partitions=4, consumers=4"), std::string::npos) << plan;
  EXPECT_NE(plan.find("NetworkBroadcastExec: output_partitions=12, input_tasks=3"),
            std::string::npos)
      << plan;
  // The only gathers are the head's (of the aggregation) and the join tasks' own.
  EXPECT_EQ(count_of(plan, "NetworkCoalesceExec"), 1u) << plan;
}

TEST(DistributedJoinTest, GatheredBuildSideOfLeftJoinRunsInOneTask) {
  // A Left join emits unmatched left rows: its stage has one task even when its build side is
  // a gathered stage, and still gives each row once.
  const std::string sql =
      "SELECT b.number IS NULL AS unmatched, count(*) FROM numbers(0, 60) b "
      "RIGHT JOIN numbers(0, 100) a ON a.number = b.number * 2 GROUP BY 1";
  check_same_rows(sql, 4, {}, 2);
  const std::string left =
      "SELECT b.number IS NULL AS unmatched, count(*) FROM numbers(0, 100) a "
      "LEFT JOIN numbers(0, 60) b ON a.number = b.number * 2 GROUP BY 1";
  check_same_rows(left, 4, {}, 2);
}

TEST(DistributedJoinTest, PartitionedJoinShufflesBothInputs) {
  const auto plan =
      check_same_rows(kInner, 4, {{"optimizer.hash_join_single_partition_threshold", "0"}}, 50);
  EXPECT_NE(plan.find("HashJoinExec: mode=Partitioned"), std::string::npos) << plan;
  size_t shuffles = 0;
  for (size_t at = plan.find("NetworkShuffleExec"); at != std::string::npos;
       at = plan.find("NetworkShuffleExec", at + 1)) {
    ++shuffles;
  }
  EXPECT_GE(shuffles, 2u) << plan;
  EXPECT_EQ(plan.find("NetworkBroadcastExec"), std::string::npos) << plan;
}

TEST(DistributedJoinTest, LeftJoinKeepsUnmatchedRowsOnce) {
  // A collect-left Left join emits unmatched left rows once per task: its stage has one task,
  // even below a shuffle (the aggregation's), where stages may have several.
  const std::string sql =
      "SELECT b.number IS NULL AS unmatched, count(*) FROM numbers(0, 100) a "
      "LEFT JOIN numbers(0, 60) b ON a.number = b.number * 2 GROUP BY 1";
  check_same_rows(sql, 4, {}, 2);
}

TEST(DistributedJoinTest, NotBroadcastingStillGivesTheRows) {
  const auto plan = check_same_rows(kInner, 1, {{"distributed.broadcast_joins", "false"}}, 50);
  EXPECT_EQ(plan.find("NetworkBroadcastExec"), std::string::npos) << plan;
}

TEST(DistributedJoinTest, NonEquiAndCrossJoinsAreBroadcast) {
  const std::string sql =
      "SELECT a.number, b.number FROM numbers(0, 40) a JOIN numbers(0, 30) b "
      "ON a.number < b.number AND a.number + b.number = 30";
  const auto plan = check_same_rows(sql, 2, {}, 14);
  EXPECT_NE(plan.find("NestedLoopJoinExec"), std::string::npos) << plan;
  const std::string cross =
      "SELECT a.number, b.number FROM numbers(0, 30) a CROSS JOIN "
      "numbers(0, 20) b";
  check_same_rows(cross, 2, {}, 600);
}

TEST(DistributedJoinTest, ScalarSubqueryAggregateRunsInOneTask) {
  // The uncorrelated scalar subquery becomes a one-row aggregate (Partial -> gather -> Final)
  // joined to the outer rows: the Final aggregate's stage must run one task, or each task would
  // produce its own "one" row.
  const std::string sql =
      "SELECT count(*) FROM numbers(0, 100) a "
      "WHERE a.number > (SELECT avg(number) FROM numbers(0, 100))";
  check_same_rows(sql, 4, {}, 1);
  auto cluster = make_session(4, 4);
  EXPECT_EQ(sorted_rows(run(*cluster.session, sql)), std::vector<std::string>{"50|"});
}

}  // namespace
}  // namespace quiver::distributed
