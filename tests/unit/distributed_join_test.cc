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

TEST(DistributedJoinTest, CollectLeftBuildSideIsBroadcast) {
  // One partition per task makes the planner collect the left side.
  const auto plan = check_same_rows(kInner, 1, {}, 50);
  EXPECT_NE(plan.find("HashJoinExec: mode=CollectLeft"), std::string::npos) << plan;
  EXPECT_NE(plan.find("NetworkBroadcastExec"), std::string::npos) << plan;
  EXPECT_NE(plan.find("BroadcastExec: input_partitions=1, consumers="), std::string::npos) << plan;
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
