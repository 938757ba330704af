// Tests of NestedLoopJoinExec: every join type against a brute-force oracle on small random
// inputs with NULLs (several partitions on both sides, empty sides, filters that give NULL, tiny
// batch sizes), plus display, errors, memory limits, re-execution and cancellation.

#include "quiver/exec/join/nested_loop_join_exec.h"

#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "join_fixtures.h"
#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/literal_expr.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

const std::vector<JoinType> kAllTypes = {
    JoinType::kInner,    JoinType::kLeft,     JoinType::kRight,     JoinType::kFull,
    JoinType::kLeftSemi, JoinType::kLeftAnti, JoinType::kRightSemi, JoinType::kRightAnti};

/// A filter over (a, b) ++ (c, d) and its oracle (which says whether the pair matches).
struct TestFilter {
  std::string name;
  std::optional<JoinFilter> filter;
  std::function<bool(const Row& l, const Row& r)> matches;
};

std::vector<TestFilter> test_filters() {
  using logical::BinaryOp;
  auto both = [](const std::optional<int64_t>& x, const std::optional<int64_t>& y) {
    return x.has_value() && y.has_value();
  };
  return {
      {"none", std::nullopt, [](const Row&, const Row&) { return true; }},
      {"a < c", JoinFilter{physical::make_binary(col("a", 0), BinaryOp::kLt, col("c", 2))},
       [&](const Row& l, const Row& r) { return both(l[0], r[0]) && *l[0] < *r[0]; }},
      {"b = d", JoinFilter{physical::make_binary(col("b", 1), BinaryOp::kEq, col("d", 3))},
       [&](const Row& l, const Row& r) { return both(l[1], r[1]) && *l[1] == *r[1]; }},
      {"NULL", JoinFilter{physical::make_literal(arrow::MakeNullScalar(arrow::boolean()))},
       [](const Row&, const Row&) { return false; }},
  };
}

/// The brute-force answer.
std::vector<Row> expected_rows(const std::vector<Row>& left, const std::vector<Row>& right,
                               const TestFilter& f, JoinType type) {
  std::vector<bool> left_hit(left.size()), right_hit(right.size());
  std::vector<Row> out;
  const Row left_nulls(2), right_nulls(2);
  for (size_t i = 0; i < left.size(); ++i) {
    for (size_t j = 0; j < right.size(); ++j) {
      if (!f.matches(left[i], right[j])) continue;
      left_hit[i] = right_hit[j] = true;
      if (type == JoinType::kInner || type == JoinType::kLeft || type == JoinType::kRight ||
          type == JoinType::kFull) {
        out.push_back(concat(left[i], right[j]));
      }
    }
  }
  for (size_t i = 0; i < left.size(); ++i) {
    if (!left_hit[i] && (type == JoinType::kLeft || type == JoinType::kFull)) {
      out.push_back(concat(left[i], right_nulls));
    }
    if ((type == JoinType::kLeftSemi && left_hit[i]) ||
        (type == JoinType::kLeftAnti && !left_hit[i])) {
      out.push_back(left[i]);
    }
  }
  for (size_t j = 0; j < right.size(); ++j) {
    if (!right_hit[j] && (type == JoinType::kRight || type == JoinType::kFull)) {
      out.push_back(concat(left_nulls, right[j]));
    }
    if ((type == JoinType::kRightSemi && right_hit[j]) ||
        (type == JoinType::kRightAnti && !right_hit[j])) {
      out.push_back(right[j]);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Inputs {
  std::vector<Row> left, right;
  int left_partitions, right_partitions;
};

TEST(NestedLoopJoinExecTest, EveryJoinTypeMatchesBruteForce) {
  std::mt19937 rng(7);
  std::vector<Inputs> inputs = {
      {random_rows(rng, 7, 2), random_rows(rng, 9, 2), 2, 3},
      {random_rows(rng, 12, 2), random_rows(rng, 5, 2), 3, 1},
      {{}, random_rows(rng, 6, 2), 2, 2},  // empty left
      {random_rows(rng, 6, 2), {}, 1, 2},  // empty right
      {{}, {}, 1, 1},
  };
  for (const auto& in : inputs) {
    auto left = rows_source({"a", "b"}, deal(in.left, in.left_partitions, 3));
    auto right = rows_source({"c", "d"}, deal(in.right, in.right_partitions, 2));
    for (const auto& f : test_filters()) {
      for (JoinType type : kAllTypes) {
        QUIVER_ASSIGN_OR_FAIL(join, NestedLoopJoinExec::Make(left, right, f.filter, type));
        ASSERT_EQ(join->output_partitions(), in.right_partitions);
        const auto expected = expected_rows(in.left, in.right, f, type);
        for (int64_t batch_size : {1, 4, 8192}) {
          SCOPED_TRACE(join->display() + " filter " + f.name + " batch_size " +
                       std::to_string(batch_size) + " left " + std::to_string(in.left.size()) +
                       " right " + std::to_string(in.right.size()));
          QUIVER_ASSIGN_OR_FAIL(table, physical::collect(join, make_context(batch_size)));
          ASSERT_TRUE(table->schema()->Equals(*join->schema()));
          EXPECT_EQ(sorted_rows(*table), expected);
          // Pair batches hold at most batch_size rows; padded right rows at most a right batch.
          for (const auto& chunk : table->column(0)->chunks()) {
            EXPECT_LE(chunk->length(), std::max<int64_t>(batch_size, 2));
          }
        }
      }
    }
  }
}

TEST(NestedLoopJoinExecTest, PartitionsRunOneAfterTheOther) {
  std::mt19937 rng(11);
  const auto l = random_rows(rng, 8, 2), r = random_rows(rng, 8, 2);
  auto left = rows_source({"a", "b"}, deal(l, 2, 3));
  auto right = rows_source({"c", "d"}, deal(r, 3, 2));
  const auto f = test_filters()[1];
  for (JoinType type : kAllTypes) {
    QUIVER_ASSIGN_OR_FAIL(join, NestedLoopJoinExec::Make(left, right, f.filter, type));
    auto context = make_context(3);
    std::vector<std::shared_ptr<arrow::RecordBatch>> all;
    for (int p = 0; p < join->output_partitions(); ++p) {  // each stream dropped before the next
      QUIVER_ASSIGN_OR_FAIL(stream, join->execute(p, context));
      QUIVER_ASSIGN_OR_FAIL(batches, physical::collect_stream(*stream));
      all.insert(all.end(), batches.begin(), batches.end());
    }
    QUIVER_ASSIGN_OR_FAIL(table, arrow::Table::FromRecordBatches(join->schema(), all));
    EXPECT_EQ(sorted_rows(*table), expected_rows(l, r, f, type)) << join_type_name(type);
  }
}

TEST(NestedLoopJoinExecTest, SamePlanExecutesTwiceAndConcurrently) {
  std::mt19937 rng(3);
  const auto l = random_rows(rng, 9, 2), r = random_rows(rng, 10, 2);
  auto left = rows_source({"a", "b"}, deal(l, 3, 2));
  auto right = rows_source({"c", "d"}, deal(r, 4, 2));
  const auto f = test_filters()[2];
  QUIVER_ASSIGN_OR_FAIL(join, NestedLoopJoinExec::Make(left, right, f.filter, JoinType::kFull));
  const auto expected = expected_rows(l, r, f, JoinType::kFull);
  auto context = make_context(2);
  for (int run = 0; run < 2; ++run) {  // the same context twice in a row
    QUIVER_ASSIGN_OR_FAIL(table, physical::collect(join, context));
    EXPECT_EQ(sorted_rows(*table), expected);
  }
  std::vector<std::vector<Row>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      auto table = physical::collect(join, make_context(2)).ValueOrDie();
      got[t] = sorted_rows(*table);
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
  EXPECT_EQ(join->metrics().counters()["build_rows"], 6 * 9);  // built once per execution
}

TEST(NestedLoopJoinExecTest, DisplayAndMetrics) {
  auto left = rows_source({"a", "b"}, {{{{1, 2}, {3, 4}}}});
  auto right = rows_source({"c", "d"}, {{{{1, 2}}}, {{{5, 6}}}});
  const auto f = test_filters()[1];
  QUIVER_ASSIGN_OR_FAIL(join, NestedLoopJoinExec::Make(left, right, f.filter, JoinType::kLeft));
  EXPECT_EQ(join->display(), "NestedLoopJoinExec: join_type=Left, filter=a@0 < c@2");
  QUIVER_ASSIGN_OR_FAIL(plain,
                        NestedLoopJoinExec::Make(left, right, std::nullopt, JoinType::kRightAnti));
  EXPECT_EQ(plain->display(), "NestedLoopJoinExec: join_type=RightAnti");
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(join, make_context()));
  EXPECT_EQ(table->num_rows(), 2);  // (1,2,5,6) and (3,4,5,6): no left row is left unmatched
  EXPECT_EQ(join->metrics().output_rows(), 2);
  const auto counters = join->metrics().counters();
  EXPECT_EQ(counters.at("build_rows"), 2);
  EXPECT_EQ(counters.at("probe_rows"), 2);
  EXPECT_TRUE(counters.count("build_time_ns"));
  QUIVER_ASSIGN_OR_FAIL(copy, join->with_new_children({right, left}));
  EXPECT_EQ(copy->display(), "NestedLoopJoinExec: join_type=Left, filter=a@0 < c@2");
  EXPECT_FALSE(join->with_new_children({left}).ok());
}

TEST(NestedLoopJoinExecTest, NonBooleanFilterIsAnError) {
  auto left = rows_source({"a", "b"}, {{}});
  auto right = rows_source({"c", "d"}, {{}});
  auto result = NestedLoopJoinExec::Make(
      left, right,
      JoinFilter{physical::make_binary(col("a", 0), logical::BinaryOp::kPlus, col("c", 2))},
      JoinType::kInner);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("must be boolean"), std::string::npos)
      << result.status().ToString();
}

TEST(NestedLoopJoinExecTest, MemoryLimitNamesTheOperator) {
  auto left = numbers_source(20000, 2, 1000);
  auto right = numbers_source(10, 1, 10);
  QUIVER_ASSIGN_OR_FAIL(join,
                        NestedLoopJoinExec::Make(left, right, std::nullopt, JoinType::kLeftAnti));
  auto context = make_context(8192, "64KB");
  auto result = physical::collect(join, context);
  ASSERT_TRUE(result.status().IsOutOfMemory()) << result.status().ToString();
  EXPECT_NE(result.status().message().find("NestedLoopJoinExec"), std::string::npos);
  EXPECT_EQ(context->memory_pool()->reserved(), 0);
}

TEST(NestedLoopJoinExecTest, BuildErrorReachesEveryPartition) {
  auto left = numbers_source(10, 2, 2);
  left->fail_at(1, 1, arrow::Status::IOError("left broke"));
  auto right = numbers_source(10, 3, 2);
  QUIVER_ASSIGN_OR_FAIL(join,
                        NestedLoopJoinExec::Make(left, right, std::nullopt, JoinType::kInner));
  auto context = make_context();
  for (int p = 0; p < 3; ++p) {
    QUIVER_ASSIGN_OR_FAIL(stream, join->execute(p, context));
    auto result = stream->next();
    EXPECT_TRUE(result.status().IsIOError()) << result.status().ToString();
  }
}

TEST(NestedLoopJoinExecTest, StopsWhenCancelled) {
  auto left = numbers_source(10, 1, 10);
  auto right = std::make_shared<TestSourceExec>(
      int64_schema({"v", "g"}),
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{
          {int64_batch({"v", "g"}, {{1, 2}, {3, 4}})}},
      /*endless=*/true);
  QUIVER_ASSIGN_OR_FAIL(join,
                        NestedLoopJoinExec::Make(left, right, std::nullopt, JoinType::kInner));
  auto context = make_context(4);
  QUIVER_ASSIGN_OR_FAIL(stream, join->execute(0, context));
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(stream->next().ok());
  context->cancel();
  EXPECT_TRUE(stream->next().status().IsCancelled());
}

}  // namespace
}  // namespace quiver::exec
