// `distributed.partial_reduce_below_shuffles`: the producer stage of a shuffled grouped aggregate
// gets an AggregateExec(PartialReduce) over its gathered partitions, which sends fewer rows over
// the network and gives the same results.

#include <gtest/gtest.h>

#include "distributed_fixtures.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/distributed_exec.h"

namespace quiver::distributed {
namespace {

const char* const kQuery =
    "SELECT number % 7 AS k, count(*) AS c, sum(number) AS s, avg(number) AS a "
    "FROM numbers(0, 10000) GROUP BY number % 7 ORDER BY k";

// Runs kQuery; returns the plan text and the rows the shuffle's producers sent.
std::pair<std::string, int64_t> run_query(testing::TestSession& cluster,
                                          std::shared_ptr<arrow::Table>* result) {
  auto plan = cluster.session->sql(kQuery).ValueOrDie()->physical_plan().ValueOrDie();
  *result = physical::collect(plan, cluster.session->task_context()).ValueOrDie();
  int64_t shuffled = -1;
  for (const auto& stage : stages_under(plan)) {
    if (stage.plan->name() == "RepartitionExec") shuffled = stage.plan->metrics().output_rows();
  }
  return {display_distributed_plan(*plan), shuffled};
}

TEST(PartialReduceTest, EachProducerTaskReducesItsPartialsBeforeTheShuffle) {
  auto single = testing::make_session(0);
  ASSERT_TRUE(single.session->set_option("execution.batch_size", "100").ok());
  auto expected = testing::run(*single.session, kQuery);
  ASSERT_NE(expected, nullptr);
  ASSERT_EQ(expected->num_rows(), 7);

  auto plain = testing::make_session(3);
  ASSERT_TRUE(plain.session->set_option("numbers.numbers_per_task", "1000").ok());
  ASSERT_TRUE(plain.session->set_option("execution.batch_size", "100").ok());
  std::shared_ptr<arrow::Table> plain_rows;
  auto [plain_text, plain_shuffled] = run_query(plain, &plain_rows);
  EXPECT_EQ(plain_text.find("PartialReduce"), std::string::npos) << plain_text;
  EXPECT_TRUE(plain_rows->Equals(*expected)) << plain_rows->ToString();

  auto reduced = testing::make_session(3);
  ASSERT_TRUE(reduced.session->set_option("numbers.numbers_per_task", "1000").ok());
  ASSERT_TRUE(reduced.session->set_option("execution.batch_size", "100").ok());
  ASSERT_TRUE(
      reduced.session->set_option("distributed.partial_reduce_below_shuffles", "true").ok());
  std::shared_ptr<arrow::Table> reduced_rows;
  auto [text, shuffled] = run_query(reduced, &reduced_rows);
  EXPECT_TRUE(reduced_rows->Equals(*expected)) << reduced_rows->ToString();
  // In the producer stage: the repartition, the reduce over the gathered partials, the partials.
  const std::string group = "numbers.number % Int64(7)";
  const auto repartition = text.find("│ RepartitionExec: partitioning=Hash([" + group + "@0], ");
  const auto reduce =
      text.find("│   AggregateExec: mode=PartialReduce, gby=[" + group + "@0 as " + group +
                "], aggr=[count(Int64(1)), sum(numbers.number), "
                "avg(numbers.number)]");
  const auto gather = text.find("│     CoalescePartitionsExec");
  const auto partial = text.find("│       AggregateExec: mode=Partial, gby=");
  ASSERT_NE(repartition, std::string::npos) << text;
  ASSERT_NE(reduce, std::string::npos) << text;
  ASSERT_NE(gather, std::string::npos) << text;
  ASSERT_NE(partial, std::string::npos) << text;
  EXPECT_LT(repartition, reduce);
  EXPECT_LT(reduce, gather);
  EXPECT_LT(gather, partial);
  EXPECT_NE(text.find("input_partitions=1"), std::string::npos) << text;
  // Each of the 3 producer tasks sends at most one row per group.
  EXPECT_GT(shuffled, 0);
  EXPECT_LE(shuffled, 3 * 7);
  EXPECT_GT(plain_shuffled, shuffled);
}

}  // namespace
}  // namespace quiver::distributed
