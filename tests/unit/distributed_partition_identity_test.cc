// A hash repartition whose input is already hash-partitioned on its columns (a join on the left
// key of the join below it, as in TPC-H q18) moves no row: the distributed planner drops it
// instead of shuffling, and the rows stay those of the single-node plan. Joins that can put rows
// of that key into other partitions (a Full join's NULL-extended rows) keep their shuffle.

#include <arrow/table.h>
#include <gtest/gtest.h>

#include <string>

#include "distributed_fixtures.h"
#include "quiver/distributed/partition_identity.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/physical/execution_plan.h"

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
  // Single node: the upper join repartitions a.number above the lower join (which reports the
  // right key's partitioning) and that repartition keeps every row in place.
  const auto* top = first_hash_repartition(*single.plan);
  ASSERT_NE(top, nullptr) << single.text;
  EXPECT_TRUE(repartition_keeps_partitions(*top)) << single.text;
  EXPECT_EQ(count_of(single.text, "RepartitionExec: partitioning=Hash"), 4u) << single.text;
  // Distributed: three shuffles (a, b, c), not four.
  EXPECT_EQ(count_of(cluster.text, "NetworkShuffleExec"), 3u) << cluster.text;
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
