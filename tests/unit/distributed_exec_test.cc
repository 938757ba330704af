// Distributed execution over in-process workers gives the same rows as single-node execution,
// and every task is ended when the query's stream finishes or is dropped.

#include "quiver/distributed/distributed_exec.h"

#include <arrow/array.h>
#include <arrow/compute/api_vector.h>
#include <gtest/gtest.h>

#include "distributed_fixtures.h"
#include "quiver/distributed/display.h"
#include "quiver/exec/source/empty_exec.h"

namespace quiver::distributed {
namespace {

using testing::make_session;
using testing::run;

// Returns the table's rows as text lines, sorted (for results without a defined order).
std::vector<std::string> sorted_rows(const std::shared_ptr<arrow::Table>& table) {
  std::vector<std::string> rows;
  if (table == nullptr) return rows;
  for (int64_t r = 0; r < table->num_rows(); ++r) {
    std::string row;
    for (const auto& column : table->columns()) {
      auto scalar = column->GetScalar(r).ValueOrDie();
      row += scalar->ToString() + "|";
    }
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<std::string> rows_in_order(const std::shared_ptr<arrow::Table>& table) {
  std::vector<std::string> rows;
  if (table == nullptr) return rows;
  for (int64_t r = 0; r < table->num_rows(); ++r) {
    std::string row;
    for (const auto& column : table->columns())
      row += column->GetScalar(r).ValueOrDie()->ToString() + "|";
    rows.push_back(row);
  }
  return rows;
}

bool is_distributed(catalog::SessionContext& session, const std::string& sql) {
  auto plan = session.sql(sql).ValueOrDie()->physical_plan().ValueOrDie();
  return plan->name() == "DistributedExec";
}

TEST(DistributedExecTest, DistinctNumbersMatchSingleNode) {
  const std::string sql = "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number";
  auto single = make_session(0);
  auto cluster = make_session(4);
  ASSERT_TRUE(is_distributed(*cluster.session, sql));
  auto expected = rows_in_order(run(*single.session, sql));
  ASSERT_EQ(expected.size(), 100u);
  EXPECT_EQ(rows_in_order(run(*cluster.session, sql)), expected);
  // 4 leaf tasks + 3 tasks above the shuffle, spread over the 4 workers, all ended.
  EXPECT_EQ(cluster.transport->submitted_tasks(), 7u);
  EXPECT_EQ(cluster.transport->live_tasks(), 0u);
  auto workers = cluster.transport->task_workers();
  std::sort(workers.begin(), workers.end());
  EXPECT_EQ(std::unique(workers.begin(), workers.end()) - workers.begin(), 4);
}

TEST(DistributedExecTest, TenWorkersAndOddPartitionCounts) {
  const std::string sql =
      "SELECT number % 13 AS k, count(*) AS c, sum(number) AS s FROM numbers(0, 1000) "
      "GROUP BY number % 13 ORDER BY k";
  auto single = make_session(0, 3);
  auto cluster = make_session(10, 3);
  ASSERT_TRUE(is_distributed(*cluster.session, sql));
  auto expected = rows_in_order(run(*single.session, sql));
  ASSERT_EQ(expected.size(), 13u);
  EXPECT_EQ(rows_in_order(run(*cluster.session, sql)), expected);
  EXPECT_EQ(cluster.transport->live_tasks(), 0u);
}

TEST(DistributedExecTest, NumbersAggregateMatchesSingleNode) {
  // (A global aggregate over the one-partition numbers leaf plans as mode=Single with no
  // boundary, so the aggregate groups.)
  const std::string sql =
      "SELECT number % 7 AS k, count(*) AS c, sum(number) AS s, min(number) AS lo, "
      "max(number) AS hi FROM numbers(0, 100000) GROUP BY number % 7";
  auto single = make_session(0);
  auto cluster = make_session(4);
  ASSERT_TRUE(cluster.session->set_option("numbers.numbers_per_task", "10000").ok());
  ASSERT_TRUE(is_distributed(*cluster.session, sql));
  auto expected = sorted_rows(run(*single.session, sql));
  ASSERT_EQ(expected.size(), 7u);
  EXPECT_EQ(expected[0], "0|14286|714264285|0|99995|");
  EXPECT_EQ(sorted_rows(run(*cluster.session, sql)), expected);
  EXPECT_EQ(cluster.transport->submitted_tasks(), 7u);  // 4 leaf tasks + 3 above the shuffle
}

TEST(DistributedExecTest, WeatherAggregateMatchesSingleNode) {
  const std::string sql =
      "SELECT \"RainToday\", count(*) AS c, avg(\"MaxTemp\") AS t, max(\"Rainfall\") AS r "
      "FROM weather GROUP BY \"RainToday\"";
  auto single = make_session(0, 2);
  auto cluster = make_session(4, 2);
  ASSERT_TRUE(cluster.session->set_option("distributed.bytes_per_partition", "10KB").ok());
  auto plan = cluster.session->sql(sql).ValueOrDie()->physical_plan().ValueOrDie();
  ASSERT_EQ(plan->name(), "DistributedExec") << display_distributed_plan(*plan);
  const std::string text = display_distributed_plan(*plan);
  EXPECT_NE(text.find("DistributedLeafExec: DataSourceExec"), std::string::npos) << text;
  auto expected = sorted_rows(run(*single.session, sql));
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_EQ(sorted_rows(run(*cluster.session, sql)), expected);
  EXPECT_EQ(cluster.transport->live_tasks(), 0u);
}

TEST(DistributedExecTest, DroppingTheStreamEndsEveryTask) {
  auto cluster = make_session(4);
  ASSERT_TRUE(cluster.session->set_option("execution.batch_size", "7").ok());
  auto df = cluster.session->sql("SELECT DISTINCT number FROM numbers(0, 10000) ORDER BY number")
                .ValueOrDie();
  auto plan = df->physical_plan().ValueOrDie();
  ASSERT_EQ(plan->name(), "DistributedExec") << display_distributed_plan(*plan);
  auto stream = plan->execute(0, cluster.session->task_context()).ValueOrDie();
  auto first = stream->next().ValueOrDie();
  ASSERT_NE(first, nullptr);
  EXPECT_GT(cluster.transport->live_tasks(), 0u);
  stream.reset();
  EXPECT_EQ(cluster.transport->live_tasks(), 0u);
}

TEST(DistributedExecTest, WorkerMetricsReachThePlannedPlan) {
  auto cluster = make_session(4);
  auto df = cluster.session->sql("SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number")
                .ValueOrDie();
  auto plan = df->physical_plan().ValueOrDie();
  ASSERT_EQ(df->collect().ValueOrDie()->num_rows(), 100);
  EXPECT_EQ(plan->metrics().output_rows(), 100);
  const auto& head = static_cast<const DistributedExec&>(*plan).head();
  const auto coalesce = head->children()[0];
  ASSERT_EQ(coalesce->name(), "NetworkCoalesceExec");
  EXPECT_EQ(coalesce->metrics().output_rows(), 100);
  const auto shuffle = coalesce->children()[0]->children()[0]->children()[0];
  ASSERT_EQ(shuffle->name(), "NetworkShuffleExec");
  EXPECT_EQ(shuffle->metrics().output_rows(), 100);
  EXPECT_EQ(shuffle->children()[0]->metrics().output_rows(), 100);  // the producer repartition
}

TEST(DistributedExecTest, UnknownWorkerFailsTheQueryAndEndsSubmittedTasks) {
  auto session = catalog::SessionContext::Make();
  ASSERT_TRUE(session->register_config_extension(examples::NumbersConfig{}).ok());
  ASSERT_TRUE(
      session
          ->register_table_function("numbers", std::make_shared<examples::NumbersTableFunction>())
          .ok());
  // The resolver names a worker the transport does not serve.
  auto transport = InProcessTransport::Make({"in-process://worker-0"});
  ASSERT_TRUE(enable_distributed(*session,
                                 std::make_shared<StaticWorkerResolver>(std::vector<std::string>{
                                     "in-process://worker-0", "in-process://gone"}),
                                 transport, {std::make_shared<examples::NumbersTaskEstimator>()})
                  .ok());
  auto df =
      session->sql("SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number").ValueOrDie();
  auto result = df->collect();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("in-process://gone"), std::string::npos)
      << result.status().ToString();
  EXPECT_GT(transport->submitted_tasks(), 0u);
  EXPECT_EQ(transport->live_tasks(), 0u);
}

TEST(DistributedExecTest, UnroutedBoundaryIsAnInternalError) {
  auto cluster = make_session(4);
  auto plan = cluster.session->sql("SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number")
                  .ValueOrDie()
                  ->physical_plan()
                  .ValueOrDie();
  const auto& head = static_cast<const DistributedExec&>(*plan).head();
  auto boundary = head->children()[0];  // the NetworkCoalesceExec, never routed
  auto stream = boundary->execute(0, cluster.session->task_context());
  ASSERT_FALSE(stream.ok());
  EXPECT_TRUE(stream.status().IsUnknownError()) << stream.status().ToString();
}

TEST(DistributedExecTest, InProcessWorkersRejectOptionsTheyDoNotKnowNamingThem) {
  auto transport = InProcessTransport::Make({"in-process://w0"});  // no numbers extension
  auto plan = exec::EmptyExec::Make(arrow::schema({}), true).ValueOrDie();
  TaskSpec spec{TaskKey{"q", 1, 0}, 1, plan, {{"numbers.numbers_per_task", "5"}}};
  auto st = transport->submit_task("in-process://w0", spec);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'numbers.numbers_per_task'"), std::string::npos) << st.ToString();
  EXPECT_NE(st.message().find("q/s1/t0"), std::string::npos) << st.ToString();
  // Transport settings the worker does not register are skipped, as on a Flight worker.
  spec.options = {{"distributed.some_transport_setting", "1"}};
  EXPECT_TRUE(transport->submit_task("in-process://w0", spec).ok());
  EXPECT_EQ(transport->live_tasks(), 1u);
}

}  // namespace
}  // namespace quiver::distributed
