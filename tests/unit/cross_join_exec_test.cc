// Tests of CrossJoinExec: the full product against brute force (several partitions on both
// sides, empty sides, NULLs), batch size bounds, display, memory limit, re-execution.

#include <gtest/gtest.h>

#include <thread>

#include "join_fixtures.h"
#include "quiver/exec/join/nested_loop_join_exec.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

std::vector<Row> product(const std::vector<Row>& left, const std::vector<Row>& right) {
  std::vector<Row> out;
  for (const auto& l : left) {
    for (const auto& r : right) out.push_back(concat(l, r));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CrossJoinExecTest, ProductMatchesBruteForceInBoundedBatches) {
  std::mt19937 rng(5);
  struct Case {
    std::vector<Row> left, right;
    int left_partitions, right_partitions;
  };
  const std::vector<Case> cases = {
      {random_rows(rng, 7, 2), random_rows(rng, 9, 1), 2, 3},
      {random_rows(rng, 20, 2), random_rows(rng, 13, 1), 3, 2},
      {{}, random_rows(rng, 4, 1), 2, 2},
      {random_rows(rng, 4, 2), {}, 1, 3},
  };
  for (const auto& c : cases) {
    auto left = rows_source({"a", "b"}, deal(c.left, c.left_partitions, 3));
    auto right = rows_source({"c"}, deal(c.right, c.right_partitions, 5));
    QUIVER_ASSIGN_OR_FAIL(join, CrossJoinExec::Make(left, right));
    EXPECT_EQ(join->output_partitions(), c.right_partitions);
    EXPECT_EQ(join->schema()->num_fields(), 3);
    for (int64_t batch_size : {1, 7, 8192}) {
      SCOPED_TRACE("batch_size " + std::to_string(batch_size));
      QUIVER_ASSIGN_OR_FAIL(table, physical::collect(join, make_context(batch_size)));
      EXPECT_EQ(sorted_rows(*table), product(c.left, c.right));
      for (const auto& chunk : table->column(0)->chunks()) {
        EXPECT_LE(chunk->length(), batch_size);
      }
    }
  }
}

TEST(CrossJoinExecTest, DisplayAndReexecution) {
  auto left = numbers_source(30, 3, 4);
  auto right = numbers_source(25, 2, 6);
  QUIVER_ASSIGN_OR_FAIL(join, CrossJoinExec::Make(left, right));
  EXPECT_EQ(join->display(), "CrossJoinExec");
  EXPECT_EQ(physical::display_plan(*join), "CrossJoinExec\n  TestSourceExec\n  TestSourceExec\n");
  auto context = make_context(16);
  for (int run = 0; run < 2; ++run) {
    QUIVER_ASSIGN_OR_FAIL(table, physical::collect(join, context));
    EXPECT_EQ(table->num_rows(), 750);
  }
  std::vector<int64_t> rows(3);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < rows.size(); ++t) {
    threads.emplace_back(
        [&, t] { rows[t] = physical::collect(join, make_context(16)).ValueOrDie()->num_rows(); });
  }
  for (auto& t : threads) t.join();
  for (auto n : rows) EXPECT_EQ(n, 750);
  EXPECT_EQ(join->metrics().output_rows(), 5 * 750);
  EXPECT_EQ(join->metrics().counters()["build_rows"], 5 * 30);
  QUIVER_ASSIGN_OR_FAIL(swapped, join->with_new_children({right, left}));
  EXPECT_EQ(swapped->output_partitions(), 3);
}

TEST(CrossJoinExecTest, MemoryLimitNamesTheOperator) {
  QUIVER_ASSIGN_OR_FAIL(
      join, CrossJoinExec::Make(numbers_source(20000, 2, 1000), numbers_source(3, 1, 3)));
  auto context = make_context(8192, "64KB");
  auto result = physical::collect(join, context);
  ASSERT_TRUE(result.status().IsOutOfMemory()) << result.status().ToString();
  EXPECT_NE(result.status().message().find("CrossJoinExec"), std::string::npos);
}

}  // namespace
}  // namespace quiver::exec
