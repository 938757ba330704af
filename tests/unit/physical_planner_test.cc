// Tests of the physical planner: plan shapes (as EXPLAIN prints them) for aggregates, sorts,
// limits, scans with pushed filters, and the results of running the plans.

#include "quiver/planner/physical_planner.h"

#include <gtest/gtest.h>

#include "exec_fixtures.h"
#include "quiver/catalog/table_provider.h"
#include "quiver/logical/plan_builder.h"

namespace quiver::planner {
namespace {

using namespace quiver::exec::testing;  // NOLINT

/// A table of one Int64 column `number` holding 0..rows-1, scanned into `partitions` partitions;
/// it records the last ScanArgs and answers filter pushdown with `pushdown`.
class NumbersTable : public catalog::TableProvider {
 public:
  NumbersTable(int64_t rows, int partitions, catalog::FilterPushdown pushdown)
      : rows_(rows), partitions_(partitions), pushdown_(pushdown) {}

  std::shared_ptr<arrow::Schema> schema() const override { return int64_schema({"number"}); }

  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs& args) const override {
    last_filters = args.filters.size();
    last_limit = args.limit;
    std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts(
        static_cast<size_t>(partitions_));
    for (int64_t start = 0; start < rows_; start += 3) {
      std::vector<std::optional<int64_t>> v;
      for (int64_t i = start; i < std::min(rows_, start + 3); ++i) v.push_back(i);
      parts[static_cast<size_t>((start / 3) % partitions_)].push_back(int64_batch({"number"}, {v}));
    }
    return std::make_shared<TestSourceExec>(schema(), std::move(parts));
  }

  std::vector<catalog::FilterPushdown> supports_filters_pushdown(
      const std::vector<logical::ExprPtr>& filters) const override {
    return std::vector<catalog::FilterPushdown>(filters.size(), pushdown_);
  }

  mutable size_t last_filters = 0;
  mutable std::optional<int64_t> last_limit;

 private:
  int64_t rows_;
  int partitions_;
  catalog::FilterPushdown pushdown_;
};

common::ConfigOptions options_with(int target_partitions) {
  common::ConfigOptions options;
  EXPECT_TRUE(options.set("execution.target_partitions", std::to_string(target_partitions)).ok());
  return options;
}

logical::LogicalPlanPtr scan_of(const std::shared_ptr<NumbersTable>& table,
                                std::vector<logical::ExprPtr> filters = {},
                                std::optional<int64_t> fetch = std::nullopt) {
  auto plan = logical::make_table_scan("numbers", table, std::nullopt, std::move(filters), fetch);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  return *plan;
}

logical::ExprPtr int64_lit(int64_t v) {
  return logical::lit(std::make_shared<arrow::Int64Scalar>(v));
}

TEST(PhysicalPlannerTest, DistinctOrderByHasTheSeedShape) {
  auto table = std::make_shared<NumbersTable>(10, 1, catalog::FilterPushdown::kUnsupported);
  QUIVER_ASSIGN_OR_FAIL(agg, logical::make_aggregate(scan_of(table), {logical::col("number")}, {}));
  QUIVER_ASSIGN_OR_FAIL(sort, logical::make_sort(agg, {{logical::col("number"), true, false}}));
  QUIVER_ASSIGN_OR_FAIL(plan, create_physical_plan(sort, options_with(16)));
  EXPECT_EQ(physical::display_plan(*plan),
            "SortPreservingMergeExec: [number@0 ASC NULLS LAST]\n"
            "  SortExec: expr=[number@0 ASC NULLS LAST], preserve_partitioning=[true]\n"
            "    AggregateExec: mode=FinalPartitioned, gby=[number@0 as number], aggr=[]\n"
            "      RepartitionExec: partitioning=Hash([number@0], 16), input_partitions=16\n"
            "        AggregateExec: mode=Partial, gby=[number@0 as number], aggr=[]\n"
            "          RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1\n"
            "            TestSourceExec\n");
  QUIVER_ASSIGN_OR_FAIL(result, physical::collect(plan, make_context(2)));
  EXPECT_EQ(int64_column(*result, 0),
            (std::vector<std::optional<int64_t>>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(PhysicalPlannerTest, OnePartitionIsSpreadBelowTheFilterAndProjectionOfAnAggregation) {
  // The per-row work above a one-partition scan runs in every partition of the aggregation.
  auto table = std::make_shared<NumbersTable>(30, 1, catalog::FilterPushdown::kUnsupported);
  QUIVER_ASSIGN_OR_FAIL(
      filtered,
      logical::make_filter(scan_of(table), logical::binary(logical::col("number"),
                                                           logical::BinaryOp::kGt, int64_lit(3))));
  QUIVER_ASSIGN_OR_FAIL(
      projected,
      logical::make_projection(
          filtered, {logical::alias(logical::binary(logical::col("number"),
                                                    logical::BinaryOp::kModulo, int64_lit(4)),
                                    "k")}));
  QUIVER_ASSIGN_OR_FAIL(
      agg, logical::make_aggregate(projected, {logical::col("k")},
                                   {logical::aggregate_function("count", {int64_lit(1)})}));
  QUIVER_ASSIGN_OR_FAIL(plan, create_physical_plan(agg, options_with(4)));
  EXPECT_EQ(physical::display_plan(*plan),
            "AggregateExec: mode=FinalPartitioned, gby=[k@0 as k], aggr=[count(Int64(1))]\n"
            "  RepartitionExec: partitioning=Hash([k@0], 4), input_partitions=4\n"
            "    AggregateExec: mode=Partial, gby=[k@0 as k], aggr=[count(Int64(1))]\n"
            "      ProjectionExec: expr=[number@0 % Int64(4) as k]\n"
            "        FilterExec: number@0 > Int64(3)\n"
            "          RepartitionExec: partitioning=RoundRobinBatch(4), input_partitions=1\n"
            "            TestSourceExec\n");
  QUIVER_ASSIGN_OR_FAIL(result, physical::collect(plan, make_context(2)));
  int64_t total = 0;
  for (const auto& count : int64_column(*result, 1)) total += count.value_or(0);
  EXPECT_EQ(total, 26);  // 4..29
  EXPECT_EQ(result->num_rows(), 4);
}

TEST(PhysicalPlannerTest, CountStarShapes) {
  auto count = logical::aggregate_function("count", {int64_lit(1)});
  // Several input partitions: Final <- Coalesce <- Partial.
  auto table = std::make_shared<NumbersTable>(100, 3, catalog::FilterPushdown::kUnsupported);
  QUIVER_ASSIGN_OR_FAIL(agg, logical::make_aggregate(scan_of(table), {}, {count}));
  QUIVER_ASSIGN_OR_FAIL(
      projection,
      logical::make_projection(agg, {logical::alias(logical::col("count(Int64(1))"), "count(*)")}));
  QUIVER_ASSIGN_OR_FAIL(plan, create_physical_plan(projection, options_with(4)));
  EXPECT_EQ(physical::display_plan(*plan),
            "ProjectionExec: expr=[count(Int64(1))@0 as count(*)]\n"
            "  AggregateExec: mode=Final, gby=[], aggr=[count(Int64(1))]\n"
            "    CoalescePartitionsExec\n"
            "      AggregateExec: mode=Partial, gby=[], aggr=[count(Int64(1))]\n"
            "        TestSourceExec\n");
  QUIVER_ASSIGN_OR_FAIL(result, physical::collect(plan, make_context()));
  EXPECT_EQ(int64_column(*result, 0), (std::vector<std::optional<int64_t>>{100}));

  // One input partition: Single.
  auto one = std::make_shared<NumbersTable>(100, 1, catalog::FilterPushdown::kUnsupported);
  QUIVER_ASSIGN_OR_FAIL(agg1, logical::make_aggregate(scan_of(one), {}, {count}));
  QUIVER_ASSIGN_OR_FAIL(plan1, create_physical_plan(agg1, options_with(4)));
  EXPECT_EQ(physical::display_plan(*plan1),
            "AggregateExec: mode=Single, gby=[], aggr=[count(Int64(1))]\n"
            "  TestSourceExec\n");
}

TEST(PhysicalPlannerTest, OnePartitionMeansSingleAggregateAndPlainSort) {
  auto table = std::make_shared<NumbersTable>(20, 2, catalog::FilterPushdown::kUnsupported);
  auto sum = logical::aggregate_function("sum", {logical::col("number")});
  QUIVER_ASSIGN_OR_FAIL(agg,
                        logical::make_aggregate(scan_of(table), {logical::col("number")}, {sum}));
  QUIVER_ASSIGN_OR_FAIL(sort, logical::make_sort(agg, {{logical::col("number"), false, true}}, 3));
  QUIVER_ASSIGN_OR_FAIL(plan, create_physical_plan(sort, options_with(1)));
  EXPECT_EQ(physical::display_plan(*plan),
            "SortExec: TopK(fetch=3), expr=[number@0 DESC NULLS FIRST], "
            "preserve_partitioning=[false]\n"
            "  AggregateExec: mode=Single, gby=[number@0 as number], aggr=[sum(number)]\n"
            "    CoalescePartitionsExec\n"
            "      TestSourceExec\n");
  QUIVER_ASSIGN_OR_FAIL(result, physical::collect(plan, make_context()));
  EXPECT_EQ(int64_column(*result, 1), (std::vector<std::optional<int64_t>>{19, 18, 17}));
}

TEST(PhysicalPlannerTest, TopKOverPartitionsMergesWithFetch) {
  auto table = std::make_shared<NumbersTable>(50, 4, catalog::FilterPushdown::kUnsupported);
  QUIVER_ASSIGN_OR_FAIL(
      sort, logical::make_sort(scan_of(table), {{logical::col("number"), false, true}}, 2));
  QUIVER_ASSIGN_OR_FAIL(plan, create_physical_plan(sort, options_with(4)));
  EXPECT_EQ(physical::display_plan(*plan),
            "SortPreservingMergeExec: [number@0 DESC NULLS FIRST], fetch=2\n"
            "  SortExec: TopK(fetch=2), expr=[number@0 DESC NULLS FIRST], "
            "preserve_partitioning=[true]\n"
            "    TestSourceExec\n");
  QUIVER_ASSIGN_OR_FAIL(result, physical::collect(plan, make_context()));
  EXPECT_EQ(int64_column(*result, 0), (std::vector<std::optional<int64_t>>{49, 48}));
}

TEST(PhysicalPlannerTest, LimitShapes) {
  auto many = std::make_shared<NumbersTable>(50, 4, catalog::FilterPushdown::kUnsupported);
  QUIVER_ASSIGN_OR_FAIL(limit, logical::make_limit(scan_of(many), 2, 5));
  QUIVER_ASSIGN_OR_FAIL(plan, create_physical_plan(limit, options_with(4)));
  EXPECT_EQ(physical::display_plan(*plan),
            "GlobalLimitExec: skip=2, fetch=5\n"
            "  CoalescePartitionsExec\n"
            "    LocalLimitExec: fetch=7\n"
            "      TestSourceExec\n");
  QUIVER_ASSIGN_OR_FAIL(result, physical::collect(plan, make_context()));
  EXPECT_EQ(result->num_rows(), 5);

  auto one = std::make_shared<NumbersTable>(50, 1, catalog::FilterPushdown::kUnsupported);
  QUIVER_ASSIGN_OR_FAIL(limit1, logical::make_limit(scan_of(one), 0, 10));
  QUIVER_ASSIGN_OR_FAIL(plan1, create_physical_plan(limit1, options_with(4)));
  EXPECT_EQ(physical::display_plan(*plan1),
            "GlobalLimitExec: skip=0, fetch=10\n"
            "  TestSourceExec\n");
}

// Scan filters are hints for the provider: the planner hands over those the provider supports and
// adds no FilterExec (the optimizer keeps a logical Filter above non-exact ones); the limit goes
// to the provider only when every filter is applied exactly.
TEST(PhysicalPlannerTest, ScanFiltersReachTheProviderAndTheLimitOnlyWhenExact) {
  auto predicate = logical::binary(logical::col("number"), logical::BinaryOp::kGt, int64_lit(45));
  for (auto kind : {catalog::FilterPushdown::kInexact, catalog::FilterPushdown::kExact,
                    catalog::FilterPushdown::kUnsupported}) {
    auto table = std::make_shared<NumbersTable>(50, 1, kind);
    QUIVER_ASSIGN_OR_FAIL(plan,
                          create_physical_plan(scan_of(table, {predicate}, 3), options_with(4)));
    EXPECT_EQ(physical::display_plan(*plan), "TestSourceExec\n");
    if (kind == catalog::FilterPushdown::kExact) {
      EXPECT_EQ(table->last_limit, 3);
      EXPECT_EQ(table->last_filters, 1u);
    } else {
      EXPECT_EQ(table->last_limit, std::nullopt);
      EXPECT_EQ(table->last_filters, kind == catalog::FilterPushdown::kInexact ? 1u : 0u);
    }
  }
}

TEST(PhysicalPlannerTest, ValuesUnionAndEmptyRelation) {
  QUIVER_ASSIGN_OR_FAIL(values, logical::make_values({{int64_lit(1)}, {int64_lit(2)}}));
  QUIVER_ASSIGN_OR_FAIL(both, logical::make_union({values, values}));
  QUIVER_ASSIGN_OR_FAIL(plan, create_physical_plan(both, options_with(4)));
  EXPECT_EQ(physical::display_plan(*plan), "UnionExec\n  ValuesExec\n  ValuesExec\n");
  QUIVER_ASSIGN_OR_FAIL(result, physical::collect(plan, make_context()));
  EXPECT_EQ(result->num_rows(), 4);

  QUIVER_ASSIGN_OR_FAIL(one_row,
                        create_physical_plan(logical::make_empty_relation(true), options_with(4)));
  EXPECT_EQ(physical::display_plan(*one_row), "PlaceholderRowExec\n");
  QUIVER_ASSIGN_OR_FAIL(empty,
                        create_physical_plan(logical::make_empty_relation(false), options_with(4)));
  EXPECT_EQ(physical::display_plan(*empty), "EmptyExec\n");
}

}  // namespace
}  // namespace quiver::planner
