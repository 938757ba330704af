// Partitioned hash joins whose build side scans few file bytes are planned as broadcast joins
// (distributed.broadcast_build_bytes): the probe side is joined where it is produced instead of
// being shuffled, and the rows are the single-node ones. Joins that emit unmatched build rows, or
// a limit of 0, keep both shuffles.

#include <arrow/table.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "distributed_fixtures.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::distributed {
namespace {

using testing::make_session;
using testing::plan_text;
using testing::run;

// Runs `sql` single-node and on 4 in-process workers with every join partitioned single-node
// and `options` set on the cluster; returns the distributed plan after comparing the rows.
std::string check_same_rows(const std::string& sql,
                            const std::vector<std::pair<std::string, std::string>>& options,
                            size_t expected_rows) {
  auto single = make_session(0, 4);
  auto cluster = make_session(4, 4);
  for (auto* session : {single.session.get(), cluster.session.get()}) {
    EXPECT_TRUE(session->set_option("optimizer.hash_join_single_partition_threshold", "0").ok());
  }
  for (const auto& [key, value] : options) {
    EXPECT_TRUE(cluster.session->set_option(key, value).ok()) << key;
  }
  auto expected = testing::rows_of(run(*single.session, sql), /*sort=*/true);
  EXPECT_EQ(expected.size(), expected_rows);
  EXPECT_EQ(testing::rows_of(run(*cluster.session, sql), /*sort=*/true), expected);
  return plan_text(*cluster.session, sql);
}

// The weather files (about 54KB) are the build side, numbers(...) the probe side.
const char* kJoin =
    "SELECT n.number, count(*) AS c FROM weather w JOIN numbers(0, 100000) n "
    "ON CAST(w.\"Humidity9am\" AS BIGINT) = n.number GROUP BY n.number";

TEST(DistributedSmallBuildBroadcastTest, SmallFileBuildSideIsBroadcast) {
  const auto plan = check_same_rows(kJoin, {}, 59);
  EXPECT_NE(plan.find("HashJoinExec: mode=CollectLeft"), std::string::npos) << plan;
  EXPECT_NE(plan.find("NetworkBroadcastExec"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("HashJoinExec: mode=Partitioned"), std::string::npos) << plan;
  // The probe side is no longer partitioned on n.number: the aggregation the single-node plan
  // runs in each partition of the join (SinglePartitioned) becomes two-phase.
  EXPECT_NE(plan.find("AggregateExec: mode=Partial"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SinglePartitioned"), std::string::npos) << plan;
}

TEST(DistributedSmallBuildBroadcastTest, ABuildSideOverTheLimitIsShuffled) {
  const auto plan = check_same_rows(kJoin, {{"distributed.broadcast_build_bytes", "1KB"}}, 59);
  EXPECT_NE(plan.find("HashJoinExec: mode=Partitioned"), std::string::npos) << plan;
  EXPECT_NE(plan.find("AggregateExec: mode=SinglePartitioned"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("NetworkBroadcastExec"), std::string::npos) << plan;
}

TEST(DistributedSmallBuildBroadcastTest, NotWithBroadcastJoinsOff) {
  const auto plan = check_same_rows(kJoin, {{"distributed.broadcast_joins", "false"}}, 59);
  EXPECT_NE(plan.find("HashJoinExec: mode=Partitioned"), std::string::npos) << plan;
}

TEST(DistributedSmallBuildBroadcastTest, LeftJoinKeepsItsUnmatchedRowsOnce) {
  // A collect-left Left join would emit the unmatched weather rows once per task.
  const std::string sql =
      "SELECT n.number, count(*) AS c FROM weather w LEFT JOIN numbers(0, 100000) n "
      "ON CAST(w.\"Humidity9am\" AS BIGINT) = n.number + 50 GROUP BY n.number";
  const auto plan = check_same_rows(sql, {}, 51);
  EXPECT_NE(plan.find("HashJoinExec: mode=Partitioned"), std::string::npos) << plan;
}

}  // namespace
}  // namespace quiver::distributed
