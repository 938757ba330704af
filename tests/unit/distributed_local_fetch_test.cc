// A worker's tasks read the partitions of tasks on the same worker in the process
// (LocalShortcutTransport), without Arrow IPC or gRPC: the rows are those of the single-node
// plan, such reads happen (task t of every stage runs on worker t), and no task state is left
// behind, also when the query's stream is dropped early.

#include <arrow/table.h>
#include <gtest/gtest.h>

#include "custom_execution_plan/numbers_config.h"
#include "distributed_fixtures.h"
#include "quiver/distributed/flight_cluster.h"

namespace quiver::distributed {
namespace {

using testing::numbers_codecs;

std::shared_ptr<catalog::SessionContext> numbers_session(const std::vector<std::string>& urls) {
  auto session = testing::flight_numbers_session(urls, /*target_partitions=*/4);
  EXPECT_TRUE(session->set_option("numbers.numbers_per_task", "2000").ok());
  return session;
}

int64_t local_fetches(InProcessCluster& cluster) {
  int64_t n = 0;
  for (int i = 0; i < cluster.size(); ++i) n += cluster.worker(i).local_fetches();
  return n;
}

class LocalFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = start_in_process_flight_cluster(2, numbers_codecs(), [] {
      common::ConfigOptions options;
      EXPECT_TRUE(options.register_extension(examples::NumbersConfig{}).ok());
      return options;
    });
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    session_ = numbers_session(cluster_->urls());
    single_ = numbers_session({});
  }

  void expect_same_rows(const std::string& sql, size_t rows) {
    auto expected = testing::rows_of(testing::run(*single_, sql), /*sort=*/true);
    ASSERT_EQ(expected.size(), rows);
    const int64_t before = local_fetches(*cluster_);
    EXPECT_EQ(testing::rows_of(testing::run(*session_, sql), /*sort=*/true), expected);
    EXPECT_GT(local_fetches(*cluster_), before) << sql;
    EXPECT_EQ(cluster_->task_count(), 0u);
  }

  std::unique_ptr<InProcessCluster> cluster_;
  std::shared_ptr<catalog::SessionContext> session_;
  std::shared_ptr<catalog::SessionContext> single_;
};

TEST_F(LocalFetchTest, ShuffledAggregateGivesTheSingleNodeRows) {
  expect_same_rows(
      "SELECT number % 101 AS k, count(*) AS c, sum(number) AS s FROM numbers(0, 10000) "
      "GROUP BY number % 101",
      101);
}

TEST_F(LocalFetchTest, PartitionedJoinGivesTheSingleNodeRows) {
  ASSERT_TRUE(session_->set_option("optimizer.hash_join_single_partition_threshold", "0").ok());
  expect_same_rows(
      "SELECT a.number, b.number FROM numbers(0, 10000) a JOIN numbers(0, 8000) b "
      "ON a.number = b.number * 2",
      5000);
}

TEST_F(LocalFetchTest, DroppingTheStreamEarlyLeavesNoTask) {
  auto df = session_->sql(
      "SELECT number % 997 AS k, count(*) AS c FROM numbers(0, 20000) GROUP BY number % 997");
  ASSERT_TRUE(df.ok()) << df.status().ToString();
  auto stream = (*df)->execute_stream();
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  auto first = (*stream)->next();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  stream->reset();
  EXPECT_EQ(cluster_->task_count(), 0u);
}

}  // namespace
}  // namespace quiver::distributed
