// Tests of the hash aggregation's fast paths: GroupTable's integer key map (NULL group, growth,
// key widths), IntKeyMap growth, and the Partial aggregation that stops grouping when it does
// not reduce rows (results identical to grouping throughout; its session options).

#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "exec_fixtures.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/aggregate/group_table.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/physical/expr/cast_expr.h"
#include "quiver/physical/expr/literal_expr.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

std::shared_ptr<arrow::Array> make_array(const std::shared_ptr<arrow::DataType>& type,
                                         const std::string& json) {
  auto result = arrow::json::ArrayFromJSONString(type, json);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return *result;
}

std::vector<uint32_t> ids_of(const arrow::UInt32Array& ids) {
  return {ids.raw_values(), ids.raw_values() + ids.length()};
}

TEST(GroupTableIntKeyTest, NullIsItsOwnGroupAndKeysComeBackInIdOrder) {
  for (const auto& type : {arrow::int8(), arrow::int16(), arrow::int32(), arrow::int64(),
                           arrow::uint32(), arrow::uint64(), arrow::date32()}) {
    QUIVER_ASSIGN_OR_FAIL(table, GroupTable::Make({type}));
    const bool wide_unsigned =
        type->id() == arrow::Type::UINT32 || type->id() == arrow::Type::UINT64;
    const std::string big = type->id() == arrow::Type::UINT32   ? "4294967295"
                            : type->id() == arrow::Type::UINT64 ? "18446744073709551615"
                                                                : "-1";
    auto first = make_array(type, "[5, null, 7, 5, " + big + "]");
    QUIVER_ASSIGN_OR_FAIL(ids1, table->consume({first}, first->length()));
    EXPECT_EQ(ids_of(*ids1), (std::vector<uint32_t>{0, 1, 2, 0, 3})) << type->ToString();
    auto second = make_array(type, "[null, 0, 7]");
    QUIVER_ASSIGN_OR_FAIL(ids2, table->consume({second}, second->length()));
    EXPECT_EQ(ids_of(*ids2), (std::vector<uint32_t>{1, 4, 2})) << type->ToString();
    EXPECT_EQ(table->num_groups(), 5);
    QUIVER_ASSIGN_OR_FAIL(keys, table->keys());
    ASSERT_EQ(keys.size(), 1u);
    EXPECT_TRUE(keys[0]->Equals(*make_array(type, "[5, null, 7, " + big + ", 0]")))
        << type->ToString() << " " << keys[0]->ToString() << (wide_unsigned ? " (unsigned)" : "");
  }
}

TEST(GroupTableIntKeyTest, ManyGroupsCrossGrowthAndSlicedInput) {
  QUIVER_ASSIGN_OR_FAIL(table, GroupTable::Make({arrow::int64()}));
  // 100000 distinct keys (spread over the whole int64 range) in batches of 4096, every key
  // twice, the second time in the next batch; then everything again, sliced.
  constexpr int64_t kKeys = 100000;
  auto key_of = [](int64_t i) { return (i * 0x9E3779B97F4A7C15ll) ^ (i << 7); };
  std::vector<std::optional<int64_t>> all;
  for (int64_t i = 0; i < kKeys; ++i) all.push_back(key_of(i));
  auto column = int64s(all);
  for (int64_t start = 0; start < kKeys; start += 4096) {
    const int64_t n = std::min<int64_t>(4096, kKeys - start);
    QUIVER_ASSIGN_OR_FAIL(ids, table->consume({column->Slice(start, n)}, n));
    for (int64_t i = 0; i < n; ++i) ASSERT_EQ(ids->Value(i), start + i);
    if (start > 0) {
      QUIVER_ASSIGN_OR_FAIL(again, table->consume({column->Slice(start - 10, 20)}, 20));
      for (int64_t i = 0; i < 20; ++i) ASSERT_EQ(again->Value(i), start - 10 + i);
    }
  }
  EXPECT_EQ(table->num_groups(), kKeys);
  QUIVER_ASSIGN_OR_FAIL(ids, table->consume({column->Slice(777)}, kKeys - 777));
  for (int64_t i = 0; i < kKeys - 777; ++i) ASSERT_EQ(ids->Value(i), 777 + i);
  QUIVER_ASSIGN_OR_FAIL(keys, table->keys());
  EXPECT_TRUE(keys[0]->Equals(*column));
  EXPECT_GT(table->estimated_size(), kKeys * 8);
}

TEST(IntKeyMapTest, ReserveKeepsIdsAndLookups) {
  IntKeyMap map(4);
  for (int64_t k = 0; k < 3; ++k) EXPECT_EQ(map.insert(k * 1000), k);
  const uint32_t null_id = map.add_id();
  EXPECT_EQ(null_id, 3u);
  map.reserve(1 << 20);  // past the huge-page size
  EXPECT_GE(map.memory(), int64_t{1} << 20);
  for (int64_t k = 0; k < 3; ++k) EXPECT_EQ(map.find(k * 1000), k);
  EXPECT_EQ(map.find(5), IntKeyMap::kMissing);
  EXPECT_EQ(map.insert(-7), 4u);
  EXPECT_EQ(map.size(), 5u);
  std::vector<int64_t> keys(5, 42);
  map.for_each_key([&](int64_t key, uint32_t id) { keys[id] = key; });
  EXPECT_EQ(keys, (std::vector<int64_t>{0, 1000, 2000, 42, -7}));
}

physical::PhysicalExprPtr lit64(int64_t v) {
  return physical::make_literal(std::make_shared<arrow::Int64Scalar>(v));
}

// Every aggregate that can turn rows into states, over v@0 (Int64 with NULLs) and as decimals.
std::vector<AggregateExpr> convertible_aggregates() {
  auto dec = physical::make_cast(col("v", 0), arrow::decimal128(10, 2));
  return {{"count", {lit64(1)}, false, nullptr, "count(*)"},
          {"count", {col("v", 0)}, false, nullptr, "count(v)"},
          {"sum", {col("v", 0)}, false, nullptr, "sum(v)"},
          {"avg", {col("v", 0)}, false, nullptr, "avg(v)"},
          {"min", {col("v", 0)}, false, nullptr, "min(v)"},
          {"max", {col("v", 0)}, false, nullptr, "max(v)"},
          {"sum", {dec}, false, nullptr, "sum(d)"},
          {"avg", {dec}, false, nullptr, "avg(d)"},
          {"min", {dec}, false, nullptr, "min(d)"}};
}

// Rows where g = i / 2 (NULL for every 50th row) and v = i (NULL for every 7th): about one
// group per two rows, in 2 partitions of 32-row batches.
std::shared_ptr<TestSourceExec> pairs_source(int64_t rows) {
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts(2);
  for (int64_t start = 0, k = 0; start < rows; start += 32, ++k) {
    std::vector<std::optional<int64_t>> v, g;
    for (int64_t i = start; i < std::min(rows, start + 32); ++i) {
      v.push_back(i % 7 == 0 ? std::nullopt : std::optional<int64_t>(i));
      g.push_back(i % 50 == 0 ? std::nullopt : std::optional<int64_t>(i / 2));
    }
    parts[static_cast<size_t>(k % 2)].push_back(int64_batch({"v", "g"}, {v, g}));
  }
  return std::make_shared<TestSourceExec>(int64_schema({"v", "g"}), std::move(parts));
}

std::shared_ptr<physical::TaskContext> skip_context(int64_t probe_rows, double ratio) {
  common::ConfigOptions options;
  EXPECT_TRUE(options.set("execution.batch_size", "64").ok());
  EXPECT_TRUE(options
                  .set("execution.skip_partial_aggregation_probe_rows_threshold",
                       std::to_string(probe_rows))
                  .ok());
  EXPECT_TRUE(
      options.set("execution.skip_partial_aggregation_probe_ratio_threshold", std::to_string(ratio))
          .ok());
  return std::make_shared<physical::TaskContext>(options);
}

// Every row of a table as text, sorted.
std::vector<std::string> sorted_rows(const arrow::Table& table) {
  std::vector<std::string> out;
  for (int64_t r = 0; r < table.num_rows(); ++r) {
    std::string row;
    for (int c = 0; c < table.num_columns(); ++c) {
      auto scalar = table.column(c)->GetScalar(r);
      row += (scalar.ok() ? (*scalar)->ToString() : "?") + "|";
    }
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct TwoPhase {
  std::shared_ptr<AggregateExec> partial;
  std::shared_ptr<AggregateExec> final_agg;
};

TwoPhase two_phase(const std::shared_ptr<TestSourceExec>& source,
                   std::vector<AggregateExpr> aggregates) {
  auto partial =
      *AggregateExec::Make(AggregateMode::kPartial, {{col("g", 1), "g"}}, aggregates, source);
  auto shuffled = *RepartitionExec::Make(partial, physical::Partitioning::hash({col("g", 0)}, 3));
  auto final_agg = *AggregateExec::Make(AggregateMode::kFinalPartitioned, {{col("g", 0), "g"}},
                                        aggregates, shuffled, source->schema());
  return {partial, final_agg};
}

TEST(SkipPartialAggregationTest, SwitchesOnMidStreamWithIdenticalResults) {
  auto source = pairs_source(2000);
  auto grouped = two_phase(source, convertible_aggregates());
  QUIVER_ASSIGN_OR_FAIL(expected, physical::collect(grouped.final_agg, skip_context(1000000, 0.8)));
  EXPECT_EQ(grouped.partial->metrics().counters().count("skipped_aggregation_rows"), 0u);
  EXPECT_EQ(expected->num_rows(), 1000 + 1);  // i / 2 and NULL

  // The probe ends after 4 batches (128 rows, ~64 groups: ratio 0.5): the rest passes through.
  auto skipping = two_phase(source, convertible_aggregates());
  QUIVER_ASSIGN_OR_FAIL(actual, physical::collect(skipping.final_agg, skip_context(100, 0.4)));
  EXPECT_EQ(sorted_rows(*actual), sorted_rows(*expected));
  const auto counters = skipping.partial->metrics().counters();
  ASSERT_EQ(counters.count("skipped_aggregation_rows"), 1u);
  EXPECT_EQ(counters.at("skipped_aggregation_rows"), 2000 - 2 * 128);
  // Grouped probe rows (64 keys and NULL per partition) plus the rows passed on.
  EXPECT_EQ(skipping.partial->metrics().output_rows(), 2 * 65 + 2000 - 2 * 128);

  // A ratio the probe does not reach keeps grouping.
  auto high = two_phase(source, convertible_aggregates());
  QUIVER_ASSIGN_OR_FAIL(same, physical::collect(high.final_agg, skip_context(100, 0.9)));
  EXPECT_EQ(sorted_rows(*same), sorted_rows(*expected));
  EXPECT_EQ(high.partial->metrics().counters().count("skipped_aggregation_rows"), 0u);
  EXPECT_EQ(high.partial->metrics().output_rows(), 1000 + 2);  // NULL group in each partition
}

TEST(SkipPartialAggregationTest, FilterOrDistinctKeepsGrouping) {
  auto source = pairs_source(500);
  auto filtered = convertible_aggregates();
  filtered[2].filter = physical::make_cast(col("v", 0), arrow::boolean());
  auto distinct = convertible_aggregates();
  distinct[1].distinct = true;
  for (auto aggregates : {filtered, distinct}) {
    auto skipping = two_phase(source, aggregates);
    auto grouped = two_phase(source, aggregates);
    QUIVER_ASSIGN_OR_FAIL(actual, physical::collect(skipping.final_agg, skip_context(0, 0.0)));
    QUIVER_ASSIGN_OR_FAIL(expected,
                          physical::collect(grouped.final_agg, skip_context(1000000, 0.8)));
    EXPECT_EQ(sorted_rows(*actual), sorted_rows(*expected));
    EXPECT_EQ(skipping.partial->metrics().counters().count("skipped_aggregation_rows"), 0u);
  }
}

TEST(SkipPartialAggregationTest, OptionsAreTypedAndValidated) {
  common::ConfigOptions options;
  EXPECT_EQ(options.get_int("execution.skip_partial_aggregation_probe_rows_threshold"), 100000);
  EXPECT_DOUBLE_EQ(options.get_double("execution.skip_partial_aggregation_probe_ratio_threshold"),
                   0.8);
  EXPECT_TRUE(options.set("skip_partial_aggregation_probe_ratio_threshold", "0.25").ok());
  EXPECT_DOUBLE_EQ(options.get_double("execution.skip_partial_aggregation_probe_ratio_threshold"),
                   0.25);
  auto bad_ratio = options.set("execution.skip_partial_aggregation_probe_ratio_threshold", "lots");
  ASSERT_FALSE(bad_ratio.ok());
  EXPECT_NE(bad_ratio.message().find("skip_partial_aggregation_probe_ratio_threshold"),
            std::string::npos)
      << bad_ratio.ToString();
  EXPECT_FALSE(options.set("execution.skip_partial_aggregation_probe_ratio_threshold", "nan").ok());
  EXPECT_FALSE(options.set("execution.skip_partial_aggregation_probe_rows_threshold", "1.5").ok());
  EXPECT_TRUE(options.set("execution.skip_partial_aggregation_probe_rows_threshold", "0").ok());
}

}  // namespace
}  // namespace quiver::exec
