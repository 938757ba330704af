// A hash repartition whose input is already hash-partitioned on its columns (a join on the left
// key of the join below it, as in TPC-H q18) moves no row: the single-node planner leaves it out,
// the distributed planner drops it instead of shuffling, and an aggregation grouped by such
// columns runs in each partition on its own (SinglePartitioned); the rows stay the same. Joins that
// can put rows of that key into other partitions (a Full join's NULL-extended rows) keep their
// shuffle.

#include <arrow/table.h>
#include <gtest/gtest.h>

#include <string>

#include "distributed_fixtures.h"
#include "quiver/distributed/partition_identity.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/physical/execution_plan.h"
#include "quiver/physical/expr/column_expr.h"

namespace quiver::distributed {
namespace {

using testing::make_session;
using testing::run;

struct Planned {
  std::string text;
  physical::ExecutionPlanPtr plan;
};

Planned plan_of(catalog::SessionContext& session, const std::string& sql) {
  auto df = session.sql(sql);
  EXPECT_TRUE(df.ok()) << df.status().ToString();
  auto plan = (*df)->physical_plan();
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return {physical::display_plan(**plan), *plan};
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Runs `sql` single-node and on 4 in-process workers (4 partitions each, partitioned joins);
// returns both plans after checking that they give the same rows.
std::pair<Planned, Planned> check_same_rows(const std::string& sql, size_t expected_rows) {
  auto single = make_session(0, 4);
  auto cluster = make_session(4, 4);
  for (auto* session : {single.session.get(), cluster.session.get()}) {
    // Make every join partitioned, whatever the inputs' sizes.
    EXPECT_TRUE(session->set_option("optimizer.hash_join_single_partition_threshold", "0").ok());
  }
  auto expected = testing::rows_of(run(*single.session, sql), /*sort=*/true);
  EXPECT_EQ(expected.size(), expected_rows);
  EXPECT_EQ(testing::rows_of(run(*cluster.session, sql), /*sort=*/true), expected);
  return {plan_of(*single.session, sql), plan_of(*cluster.session, sql)};
}

// Finds the first node of type T in `plan` (depth first).
template <typename T>
const T* first_of(const physical::ExecutionPlan& plan) {
  if (const auto* found = dynamic_cast<const T*>(&plan)) return found;
  for (const auto& child : plan.children()) {
    if (const auto* found = first_of<T>(*child)) return found;
  }
  return nullptr;
}

// Finds the first hash RepartitionExec under `plan` (depth first).
const exec::RepartitionExec* first_hash_repartition(const physical::ExecutionPlan& plan) {
  if (const auto* r = dynamic_cast<const exec::RepartitionExec*>(&plan)) {
    if (r->partitioning().kind == physical::Partitioning::Kind::kHash) return r;
  }
  for (const auto& child : plan.children()) {
    if (const auto* found = first_hash_repartition(*child)) return found;
  }
  return nullptr;
}

const char* kChain =
    "SELECT a.number, c.number FROM numbers(0, 1000) a JOIN numbers(0, 1000) b "
    "ON a.number = b.number JOIN numbers(0, 300) c ON a.number = c.number";

TEST(DistributedPartitionIdentityTest, JoinOnTheLowerJoinsLeftKeyDoesNotShuffleAgain) {
  auto [single, cluster] = check_same_rows(kChain, 300);
  // Single node: the upper join takes the lower join's output as it is (partitioned on a.number
  // and b.number alike): three repartitions (a, b, c), not four.
  EXPECT_EQ(count_of(single.text, "RepartitionExec: partitioning=Hash"), 3u) << single.text;
  // A repartition of the lower join on a.number would keep every row in place.
  const auto* upper = first_of<exec::HashJoinExec>(*single.plan);
  ASSERT_NE(upper, nullptr) << single.text;
  auto redundant = exec::RepartitionExec::Make(
      upper->left(), physical::Partitioning::hash({physical::make_column("number", 0)}, 4));
  ASSERT_TRUE(redundant.ok()) << redundant.status().ToString();
  EXPECT_TRUE(repartition_keeps_partitions(**redundant)) << single.text;
  // Distributed: three shuffles (a, b, c), not four.
  EXPECT_EQ(count_of(cluster.text, "NetworkShuffleExec"), 3u) << cluster.text;
}

TEST(DistributedPartitionIdentityTest, AggregateOnAJoinKeyRunsInEachPartition) {
  // Grouped by either key of a partitioned inner join: the groups already lie in one partition.
  for (const char* key : {"a.number", "b.number"}) {
    const std::string sql = std::string("SELECT ") + key +
                            ", count(*) FROM numbers(0, 1000) a JOIN numbers(0, 1000) b ON "
                            "a.number = b.number GROUP BY " +
                            key;
    SCOPED_TRACE(sql);
    auto [single, cluster] = check_same_rows(sql, 1000);
    EXPECT_NE(single.text.find("AggregateExec: mode=SinglePartitioned"), std::string::npos)
        << single.text;
    EXPECT_EQ(single.text.find("mode=Partial"), std::string::npos) << single.text;
    EXPECT_EQ(count_of(cluster.text, "NetworkShuffleExec"), 2u) << cluster.text;
  }
}

TEST(DistributedPartitionIdentityTest, AggregateOnAPreservedSidesKeyOnly) {
  // A left join's right columns are NULL in rows of unmatched left keys, in any partition:
  // grouped by the right key, the aggregation stays two-phase; by the left key it need not.
  const std::string by_right =
      "SELECT b.number, count(*) FROM numbers(0, 1000) a LEFT JOIN numbers(500, 1500) b "
      "ON a.number = b.number GROUP BY b.number";
  auto [single, cluster] = check_same_rows(by_right, 501);
  EXPECT_NE(single.text.find("mode=Partial"), std::string::npos) << single.text;
  EXPECT_EQ(single.text.find("SinglePartitioned"), std::string::npos) << single.text;
  const std::string by_left =
      "SELECT a.number, count(b.number) FROM numbers(0, 1000) a LEFT JOIN numbers(500, 1500) b "
      "ON a.number = b.number GROUP BY a.number";
  auto [single_left, cluster_left] = check_same_rows(by_left, 1000);
  EXPECT_NE(single_left.text.find("SinglePartitioned"), std::string::npos) << single_left.text;
}

TEST(DistributedPartitionIdentityTest, FullJoinOutputIsShuffledAgain) {
  const std::string sql =
      "SELECT a.number, c.number FROM numbers(0, 1000) a FULL JOIN numbers(500, 1500) b "
      "ON a.number = b.number JOIN numbers(0, 300) c ON a.number = c.number";
  auto [single, cluster] = check_same_rows(sql, 300);
  EXPECT_EQ(count_of(cluster.text, "NetworkShuffleExec"), 4u) << cluster.text;
}

TEST(DistributedPartitionIdentityTest, ARepartitionOnOtherColumnsMovesRows) {
  const std::string sql =
      "SELECT a.number, c.number FROM numbers(0, 1000) a JOIN numbers(0, 1000) b "
      "ON a.number = b.number JOIN numbers(0, 300) c ON a.number + 1 = c.number";
  auto [single, cluster] = check_same_rows(sql, 299);
  const auto* top = first_hash_repartition(*single.plan);
  ASSERT_NE(top, nullptr) << single.text;
  EXPECT_FALSE(repartition_keeps_partitions(*top)) << single.text;
  EXPECT_EQ(count_of(cluster.text, "NetworkShuffleExec"), 4u) << cluster.text;
}

}  // namespace
}  // namespace quiver::distributed
