// Tests of the shared join build side (collected_left.h): one build per execution, waiting and
// error propagation across threads, the matched flags, the probe countdown and flags.

#include "quiver/exec/join/collected_left.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "exec_fixtures.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

// Left input: 3 partitions holding 0..9 in batches of 2.
std::shared_ptr<TestSourceExec> left_source() { return numbers_source(10, 3, 2); }

TEST(CollectedLeftTest, BuildsOnceForConcurrentPartitions) {
  auto left = left_source();
  std::atomic<int> extension_calls{0};
  SharedBuildSide side(
      "TestJoin", left,
      [&](const std::shared_ptr<arrow::RecordBatch>& batch, const physical::TaskContext&,
          physical::MemoryReservation& reservation) -> arrow::Result<std::shared_ptr<void>> {
        extension_calls.fetch_add(1);
        ARROW_RETURN_NOT_OK(reservation.grow(100));
        return std::make_shared<int64_t>(batch->num_rows() * 2);
      });
  auto context = make_context();
  physical::MetricsSet metrics;
  constexpr int kProbes = 6;
  std::vector<std::shared_ptr<SharedBuild>> states;
  for (int p = 0; p < kProbes; ++p) states.push_back(side.acquire(context, p, kProbes));
  std::vector<std::shared_ptr<CollectedLeft>> got(kProbes);
  std::vector<std::thread> threads;
  for (int p = 0; p < kProbes; ++p) {
    threads.emplace_back([&, p] {
      auto r = states[static_cast<size_t>(p)]->get(context, metrics);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      got[static_cast<size_t>(p)] = *r;
    });
  }
  for (auto& t : threads) t.join();
  for (int p = 0; p < kProbes; ++p) {
    EXPECT_EQ(states[static_cast<size_t>(p)], states[0]);
    EXPECT_EQ(got[static_cast<size_t>(p)], got[0]);
  }
  EXPECT_EQ(extension_calls.load(), 1);
  EXPECT_EQ(left->pulled(), 5);  // each of the 5 left batches read once
  ASSERT_EQ(got[0]->num_rows(), 10);
  EXPECT_EQ(*got[0]->built<int64_t>(), 20);
  EXPECT_TRUE(got[0]->batch()->schema()->Equals(*left->schema()));
  // Partition 0 holds batches 0 and 3 ({0,1},{6,7}), partition 1 {2,3},{8,9}, partition 2 {4,5}.
  auto table = arrow::Table::FromRecordBatches({got[0]->batch()}).ValueOrDie();
  EXPECT_EQ(int64_column(*table, 0),
            (std::vector<std::optional<int64_t>>{0, 1, 6, 7, 2, 3, 8, 9, 4, 5}));
  EXPECT_EQ(metrics.counters()["build_rows"], 10);
  EXPECT_GT(context->memory_pool()->reserved(), 100);
  // The reservation is released with the state.
  got.clear();
  states.clear();
  EXPECT_EQ(context->memory_pool()->reserved(), 0);
}

TEST(CollectedLeftTest, BuildErrorReachesEveryWaiter) {
  auto left = left_source();
  left->fail_at(1, 1, arrow::Status::IOError("disk gone"));
  SharedBuildSide side("TestJoin", left);
  auto context = make_context();
  physical::MetricsSet metrics;
  constexpr int kProbes = 4;
  std::vector<arrow::Status> statuses(kProbes);
  std::vector<std::thread> threads;
  for (int p = 0; p < kProbes; ++p) {
    auto state = side.acquire(context, p, kProbes);
    threads.emplace_back([&, p, state] {
      statuses[static_cast<size_t>(p)] = state->get(context, metrics).status();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& st : statuses) {
    EXPECT_TRUE(st.IsIOError()) << st.ToString();
    EXPECT_NE(st.message().find("disk gone"), std::string::npos);
  }
  EXPECT_EQ(context->memory_pool()->reserved(), 0);
}

TEST(CollectedLeftTest, ExtensionErrorIsShared) {
  SharedBuildSide side("TestJoin", left_source(),
                       [](const std::shared_ptr<arrow::RecordBatch>&, const physical::TaskContext&,
                          physical::MemoryReservation&) -> arrow::Result<std::shared_ptr<void>> {
                         return arrow::Status::Invalid("bad key");
                       });
  auto context = make_context();
  physical::MetricsSet metrics;
  auto a = side.acquire(context, 0, 2);
  auto b = side.acquire(context, 1, 2);
  EXPECT_TRUE(a->get(context, metrics).status().IsInvalid());
  EXPECT_TRUE(b->get(context, metrics).status().IsInvalid());
}

TEST(CollectedLeftTest, MemoryLimitNamesTheOperator) {
  SharedBuildSide side("NestedLoopJoinExec", numbers_source(10000, 2, 1000));
  auto context = make_context(8192, "10KB");
  physical::MetricsSet metrics;
  auto state = side.acquire(context, 0, 1);
  auto result = state->get(context, metrics);
  ASSERT_TRUE(result.status().IsOutOfMemory()) << result.status().ToString();
  EXPECT_EQ(context->memory_pool()->reserved(), 0);  // released at once, state still alive
  EXPECT_NE(result.status().message().find("NestedLoopJoinExec[build]"), std::string::npos)
      << result.status().ToString();
  EXPECT_EQ(context->memory_pool()->reserved(), 0);
}

TEST(CollectedLeftTest, EmptyLeftGivesEmptyBatch) {
  auto left = std::make_shared<TestSourceExec>(
      int64_schema({"a"}), std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{{}, {}});
  SharedBuildSide side("TestJoin", left);
  auto context = make_context();
  physical::MetricsSet metrics;
  QUIVER_ASSIGN_OR_FAIL(collected, side.acquire(context, 0, 1)->get(context, metrics));
  EXPECT_EQ(collected->num_rows(), 0);
  EXPECT_EQ(collected->batch()->num_columns(), 1);
  EXPECT_EQ(collected->built<int>(), nullptr);
  QUIVER_ASSIGN_OR_FAIL(rows, collected->rows_with_matched(false));
  EXPECT_EQ(rows->length(), 0);
}

TEST(CollectedLeftTest, LastProbeSeesEveryMarkAndFlag) {
  SharedBuildSide side("TestJoin", left_source());
  auto context = make_context();
  physical::MetricsSet metrics;
  constexpr int kProbes = 5;
  for (int round = 0; round < 20; ++round) {
    std::vector<std::shared_ptr<SharedBuild>> states;
    for (int p = 0; p < kProbes; ++p) states.push_back(side.acquire(context, p, kProbes));
    std::atomic<int> lasts{0};
    std::vector<int64_t> unmatched_seen;
    bool saw_null = false;
    std::vector<std::thread> threads;
    for (int p = 0; p < kProbes; ++p) {
      threads.emplace_back([&, p] {
        auto collected = states[static_cast<size_t>(p)]->get(context, metrics).ValueOrDie();
        // Partition p matches left rows p and p + 5, except partition 4 matches only row 4.
        collected->mark_matched(p);
        if (p != 4) collected->mark_matched(p + 5);
        if (p == 2) collected->set_flags(CollectedLeft::kSawNullKey);
        if (states[static_cast<size_t>(p)]->finish_probe()) {
          lasts.fetch_add(1);
          auto rows = collected->rows_with_matched(false).ValueOrDie();
          for (int64_t i = 0; i < rows->length(); ++i) unmatched_seen.push_back(rows->Value(i));
          saw_null = collected->has_flag(CollectedLeft::kSawNullKey) &&
                     !collected->has_flag(CollectedLeft::kSawAnyRow);
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(lasts.load(), 1);
    EXPECT_EQ(unmatched_seen, std::vector<int64_t>{9});
    EXPECT_TRUE(saw_null);
  }
}

TEST(CollectedLeftTest, ExecutionsAreToldApart) {
  auto left = left_source();
  SharedBuildSide side("TestJoin", left);
  auto c1 = make_context();
  auto c2 = make_context();
  auto a0 = side.acquire(c1, 0, 2);
  auto b0 = side.acquire(c2, 0, 2);  // another context: another execution
  EXPECT_NE(a0, b0);
  auto a0_again = side.acquire(c1, 0, 2);  // partition 0 again: a new execution
  EXPECT_NE(a0_again, a0);
  auto a1 = side.acquire(c1, 1, 2);  // joins the newest execution
  EXPECT_EQ(a1, a0_again);
  EXPECT_EQ(side.acquire(c2, 1, 2), b0);
}

TEST(CollectedLeftTest, PartitionsMayRunOneAfterTheOther) {
  SharedBuildSide side("TestJoin", left_source());
  auto context = make_context();
  physical::MetricsSet metrics;
  {
    auto s0 = side.acquire(context, 0, 2);
    QUIVER_ASSIGN_OR_FAIL(collected, s0->get(context, metrics));
    collected->mark_matched(3);
    EXPECT_FALSE(s0->finish_probe());
  }  // partition 0's stream is gone before partition 1 starts
  auto s1 = side.acquire(context, 1, 2);
  QUIVER_ASSIGN_OR_FAIL(collected, s1->get(context, metrics));
  EXPECT_TRUE(collected->is_matched(3));
  EXPECT_TRUE(s1->finish_probe());
  EXPECT_EQ(metrics.counters()["build_rows"], 10);  // built once
  // Both partitions were handed the state: the registry no longer holds it.
  std::weak_ptr<SharedBuild> weak = s1;
  s1.reset();
  EXPECT_TRUE(weak.expired());
}

TEST(CollectedLeftTest, AbandonedExecutionIsDroppedWithItsContext) {
  SharedBuildSide side("TestJoin", left_source());
  std::weak_ptr<SharedBuild> weak;
  {
    auto context = make_context();
    weak = side.acquire(context, 0, 3);  // partitions 1 and 2 never start
    EXPECT_FALSE(weak.expired());        // held: partition 1 may still come
  }
  side.acquire(make_context(), 0, 1);  // any later acquire forgets the dead context's state
  EXPECT_TRUE(weak.expired());
}

}  // namespace
}  // namespace quiver::exec
