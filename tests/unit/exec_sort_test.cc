// Tests of SortExec (full and top-k, nulls first/last, several keys), the row comparator and
// SortPreservingMergeExec.

#include <arrow/array/builder_decimal.h>
#include <arrow/array/builder_primitive.h>
#include <gtest/gtest.h>

#include <random>

#include "exec_fixtures.h"
#include "quiver/exec/sort/row_comparator.h"
#include "quiver/exec/sort/sort_exec.h"
#include "quiver/exec/sort/sort_preserving_merge_exec.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT
using Values = std::vector<std::optional<int64_t>>;

physical::PhysicalSortExpr key(const std::string& name, int index, bool ascending,
                               bool nulls_first) {
  return {col(name, index), ascending, nulls_first};
}

std::shared_ptr<TestSourceExec> single_column(const std::vector<std::vector<Values>>& partitions) {
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts;
  for (const auto& p : partitions) {
    parts.emplace_back();
    for (const auto& b : p) parts.back().push_back(int64_batch({"a"}, {b}));
  }
  return std::make_shared<TestSourceExec>(int64_schema({"a"}), std::move(parts));
}

TEST(SortExecTest, SortsWithNullPlacementPerKey) {
  auto source = single_column({{{3, std::nullopt, 1}, {2, std::nullopt}, {}}});
  struct Case {
    bool ascending, nulls_first;
    Values expected;
  };
  for (const auto& c : std::vector<Case>{{true, false, {1, 2, 3, std::nullopt, std::nullopt}},
                                         {true, true, {std::nullopt, std::nullopt, 1, 2, 3}},
                                         {false, true, {std::nullopt, std::nullopt, 3, 2, 1}},
                                         {false, false, {3, 2, 1, std::nullopt, std::nullopt}}}) {
    QUIVER_ASSIGN_OR_FAIL(sort,
                          SortExec::Make({key("a", 0, c.ascending, c.nulls_first)}, source, false));
    QUIVER_ASSIGN_OR_FAIL(table, physical::collect(sort, make_context(/*batch_size=*/1)));
    EXPECT_EQ(int64_column(*table, 0), c.expected);
  }
  QUIVER_ASSIGN_OR_FAIL(sort, SortExec::Make({key("a", 0, true, false)}, source, false));
  EXPECT_EQ(sort->display(), "SortExec: expr=[a@0 ASC NULLS LAST], preserve_partitioning=[false]");
}

TEST(SortExecTest, SecondKeyBreaksTies) {
  auto source = std::make_shared<TestSourceExec>(
      int64_schema({"a", "b"}), std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{
                                    {int64_batch({"a", "b"}, {{1, 2, 1, 2}, {10, 20, 30, 40}})}});
  QUIVER_ASSIGN_OR_FAIL(
      sort, SortExec::Make({key("a", 0, true, false), key("b", 1, false, true)}, source, false));
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(sort, make_context()));
  EXPECT_EQ(int64_column(*table, 1), (Values{30, 10, 40, 20}));
}

TEST(SortExecTest, TopKKeepsTheFirstRowsAcrossManyBatches) {
  // 0..999 shuffled in batches of 7.
  std::vector<int64_t> values(1000);
  for (int i = 0; i < 1000; ++i) values[static_cast<size_t>(i)] = i;
  std::mt19937 rng(42);
  std::shuffle(values.begin(), values.end(), rng);
  std::vector<Values> batches;
  for (size_t i = 0; i < values.size(); i += 7) {
    Values b;
    for (size_t j = i; j < std::min(values.size(), i + 7); ++j) b.push_back(values[j]);
    batches.push_back(b);
  }
  auto source = single_column({batches});
  QUIVER_ASSIGN_OR_FAIL(topk, SortExec::Make({key("a", 0, false, true)}, source, false, 10));
  EXPECT_EQ(topk->display(),
            "SortExec: TopK(fetch=10), expr=[a@0 DESC NULLS FIRST], preserve_partitioning=[false]");
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(topk, make_context(/*batch_size=*/16)));
  EXPECT_EQ(int64_column(*table, 0), (Values{999, 998, 997, 996, 995, 994, 993, 992, 991, 990}));
}

TEST(SortExecTest, TopKOnDecimalKeysAcrossManyBatches) {
  // The threshold filter compares later batches with the k-th decimal kept so far (Arrow cannot
  // cast a decimal scalar even to its own type, so it must not try).
  const auto type = arrow::decimal128(38, 4);
  auto schema = arrow::schema({arrow::field("d", type)});
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  for (int b = 0; b < 20; ++b) {
    arrow::Decimal128Builder builder(type);
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(builder.Append(arrow::Decimal128((b * 37 + i * 11) % 100 * 10000 + 1)).ok());
    }
    batches.push_back(arrow::RecordBatch::Make(schema, 5, {builder.Finish().ValueOrDie()}));
  }
  auto source = std::make_shared<TestSourceExec>(
      schema, std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{batches});
  QUIVER_ASSIGN_OR_FAIL(topk, SortExec::Make({key("d", 0, false, false)}, source, false, 3));
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(topk, make_context(/*batch_size=*/5)));
  ASSERT_EQ(table->num_rows(), 3);
  auto column = table->CombineChunks().ValueOrDie()->column(0)->chunk(0);
  EXPECT_EQ(column->GetScalar(0).ValueOrDie()->ToString(), "99.0001");
  EXPECT_EQ(column->GetScalar(1).ValueOrDie()->ToString(), "99.0001");
  EXPECT_EQ(column->GetScalar(2).ValueOrDie()->ToString(), "96.0001");
}

TEST(SortExecTest, PreservePartitioningSortsEachPartition) {
  auto source = single_column({{{5, 1}, {3}}, {{9, 7, 8}}, {}});
  QUIVER_ASSIGN_OR_FAIL(sort, SortExec::Make({key("a", 0, true, false)}, source, true));
  EXPECT_EQ(sort->output_partitions(), 3);
  QUIVER_ASSIGN_OR_FAIL(parts, collect_partitions(sort, make_context()));
  ASSERT_EQ(parts[0].size(), 1u);
  EXPECT_TRUE(parts[0][0]->Equals(*int64_batch({"a"}, {{1, 3, 5}})));
  EXPECT_TRUE(parts[1][0]->Equals(*int64_batch({"a"}, {{7, 8, 9}})));
  EXPECT_TRUE(parts[2].empty());
}

TEST(SortExecTest, MemoryLimitBreachNamesSortExec) {
  auto source = numbers_source(100000, 1, 8192);
  QUIVER_ASSIGN_OR_FAIL(sort, SortExec::Make({key("v", 0, false, false)}, source, false));
  auto result = physical::collect(sort, make_context(8192, "256KB"));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsOutOfMemory());
  EXPECT_NE(result.status().message().find("SortExec"), std::string::npos);
}

TEST(RowComparatorTest, ComparesTypesWithNullsAndDirections) {
  auto doubles = [](std::vector<std::optional<double>> v) {
    arrow::DoubleBuilder b;
    for (auto x : v) x ? (void)b.Append(*x) : (void)b.AppendNull();
    return b.Finish().ValueOrDie();
  };
  physical::LexOrdering asc_last = {key("x", 0, true, false)};
  QUIVER_ASSIGN_OR_FAIL(cmp, RowComparator::Make({arrow::float64()}, asc_last));
  std::vector<std::shared_ptr<arrow::Array>> a = {doubles({1.5, std::nullopt, NAN, -0.0})};
  EXPECT_LT(cmp.compare(a, 0, a, 2), 0);  // 1.5 < NaN
  EXPECT_GT(cmp.compare(a, 1, a, 2), 0);  // NULLS LAST: null after NaN
  EXPECT_LT(cmp.compare(a, 3, a, 0), 0);
  EXPECT_EQ(cmp.compare(a, 2, a, 2), 0);

  physical::LexOrdering desc_first = {key("s", 0, false, true)};
  QUIVER_ASSIGN_OR_FAIL(scmp, RowComparator::Make({arrow::utf8()}, desc_first));
  std::vector<std::shared_ptr<arrow::Array>> s = {strings({"apple", "banana", std::nullopt})};
  EXPECT_GT(scmp.compare(s, 0, s, 1), 0);  // DESC: banana first
  EXPECT_LT(scmp.compare(s, 2, s, 0), 0);  // NULLS FIRST

  arrow::Decimal128Builder dec(arrow::decimal128(10, 2));
  ASSERT_TRUE(dec.Append(arrow::Decimal128(-150)).ok());
  ASSERT_TRUE(dec.Append(arrow::Decimal128(20)).ok());
  std::vector<std::shared_ptr<arrow::Array>> d = {dec.Finish().ValueOrDie()};
  QUIVER_ASSIGN_OR_FAIL(dcmp, RowComparator::Make({arrow::decimal128(10, 2)}, asc_last));
  EXPECT_LT(dcmp.compare(d, 0, d, 1), 0);

  EXPECT_FALSE(RowComparator::Make({arrow::list(arrow::int64())}, asc_last).ok());
}

TEST(SortPreservingMergeExecTest, MergesSortedPartitions) {
  for (int64_t batch_size : {1, 2, 8192}) {
    auto source = single_column(
        {{{1, 4, 4}, {9}}, {{2, 3}, {5, 10, std::nullopt}}, {}, {{std::nullopt}, {}, {0, 11}}});
    // Partition 3 is not sorted by itself with NULLS LAST: sort every partition first.
    QUIVER_ASSIGN_OR_FAIL(sorted, SortExec::Make({key("a", 0, true, false)}, source, true));
    QUIVER_ASSIGN_OR_FAIL(merge, SortPreservingMergeExec::Make({key("a", 0, true, false)}, sorted));
    EXPECT_EQ(merge->display(), "SortPreservingMergeExec: [a@0 ASC NULLS LAST]");
    EXPECT_EQ(merge->output_partitions(), 1);
    QUIVER_ASSIGN_OR_FAIL(table, physical::collect(merge, make_context(batch_size)));
    EXPECT_EQ(int64_column(*table, 0),
              (Values{0, 1, 2, 3, 4, 4, 5, 9, 10, 11, std::nullopt, std::nullopt}))
        << "batch_size " << batch_size;
  }
}

TEST(SortPreservingMergeExecTest, FetchStopsEarlyWithStringsAndTwoKeys) {
  auto schema =
      arrow::schema({arrow::field("s", arrow::utf8()), arrow::field("n", arrow::int64())});
  auto batch = [&](std::vector<std::optional<std::string>> s, Values n) {
    return arrow::RecordBatch::Make(schema, static_cast<int64_t>(s.size()),
                                    {strings(s), int64s(n)});
  };
  auto source = std::make_shared<TestSourceExec>(
      schema, std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{
                  {batch({"a", "b", "b"}, {1, 2, 1})},
                  {batch({"a", "c"}, {0, 5})},
                  {batch({std::nullopt, "b"}, {9, 3})}});
  physical::LexOrdering ordering = {{col("s", 0), true, true}, {col("n", 1), false, false}};
  QUIVER_ASSIGN_OR_FAIL(merge, SortPreservingMergeExec::Make(ordering, source, 4));
  EXPECT_EQ(merge->display(),
            "SortPreservingMergeExec: [s@0 ASC NULLS FIRST, n@1 DESC NULLS LAST], fetch=4");
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(merge, make_context(/*batch_size=*/3)));
  EXPECT_EQ(int64_column(*table, 1), (Values{9, 1, 0, 3}));
}

TEST(SortPreservingMergeExecTest, PropagatesInputErrors) {
  auto source = single_column({{{1, 2}, {3}}, {{1}, {5}}});
  source->fail_at(1, 1, arrow::Status::IOError("disk on fire"));
  QUIVER_ASSIGN_OR_FAIL(merge, SortPreservingMergeExec::Make({key("a", 0, true, false)}, source));
  auto result = physical::collect(merge, make_context());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsIOError());
}

}  // namespace
}  // namespace quiver::exec
