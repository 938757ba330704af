// Parquet scans: file groups, projection, row-group pruning, limit, bad files.
#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "quiver/datasource/data_source_exec.h"
#include "quiver/datasource/listing_table.h"
#include "quiver/datasource/parquet_source.h"
#include "quiver/logical/expr.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::datasource {
namespace {

using logical::BinaryOp;
using ::testing::HasSubstr;

constexpr int kRainToday = 19;
constexpr int kMaxTemp = 1;
constexpr int kSunshine = 4;

std::shared_ptr<ListingTable> weather() {
  auto table = ListingTable::Make("testdata/weather", std::make_shared<const ParquetSource>());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  return *table;
}

struct ScanResult {
  std::shared_ptr<arrow::Table> table;
  physical::ExecutionPlanPtr plan;
  int64_t counter(const std::string& name) const {
    auto counters = plan->metrics().counters();
    auto it = counters.find(name);
    return it == counters.end() ? -1 : it->second;
  }
};

ScanResult run_scan(const catalog::TableProvider& table, catalog::ScanArgs args,
                    common::ConfigOptions options = {}) {
  args.options = &options;
  auto plan = table.scan(args);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  auto context = std::make_shared<physical::TaskContext>(options);
  auto result = physical::collect(*plan, context);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return {*result, *plan};
}

logical::ExprPtr f64(double v) { return logical::lit(std::make_shared<arrow::DoubleScalar>(v)); }

TEST(ParquetSourceTest, SchemaAndRowCountComeFromTheFooters) {
  auto table = weather();
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->schema()->num_fields(), 22);
  EXPECT_EQ(table->schema()->field(kRainToday)->name(), "RainToday");
  EXPECT_EQ(table->files().size(), 3u);
  ASSERT_TRUE(table->num_rows().has_value());
  EXPECT_EQ(*table->num_rows(), 366);
}

TEST(ParquetSourceTest, ScanDisplaysOneGroupPerFileAndReadsTheProjection) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("execution.target_partitions", "3").ok());
  catalog::ScanArgs args;
  args.projection = std::vector<int>{kRainToday};
  auto result = run_scan(*weather(), args, options);
  EXPECT_EQ(result.plan->display(),
            "DataSourceExec: file_groups={3 groups: [[testdata/weather/result-000000.parquet], "
            "[testdata/weather/result-000001.parquet], [testdata/weather/result-000002.parquet]]}, "
            "projection=[RainToday], file_type=parquet");
  EXPECT_EQ(result.plan->output_partitions(), 3);
  ASSERT_NE(result.table, nullptr);
  EXPECT_EQ(result.table->num_rows(), 366);
  ASSERT_EQ(result.table->num_columns(), 1);
  EXPECT_EQ(result.table->schema()->field(0)->name(), "RainToday");
  EXPECT_EQ(result.table->schema()->field(0)->type()->id(), arrow::Type::STRING);
  EXPECT_EQ(result.plan->metrics().output_rows(), 366);
}

TEST(ParquetSourceTest, ProjectionOrderIsKept) {
  catalog::ScanArgs args;
  args.projection = std::vector<int>{kRainToday, kMaxTemp};
  auto result = run_scan(*weather(), args);
  ASSERT_EQ(result.table->num_columns(), 2);
  EXPECT_EQ(result.table->schema()->field(0)->name(), "RainToday");
  EXPECT_EQ(result.table->schema()->field(1)->name(), "MaxTemp");
  EXPECT_EQ(result.table->column(1)->type()->id(), arrow::Type::DOUBLE);
}

TEST(ParquetSourceTest, EmptyProjectionCountsRows) {
  catalog::ScanArgs args;
  args.projection = std::vector<int>{};
  auto result = run_scan(*weather(), args);
  EXPECT_EQ(result.table->num_columns(), 0);
  EXPECT_EQ(result.table->num_rows(), 366);
}

TEST(ParquetSourceTest, FilterNoRowGroupMatchesPrunesEverything) {
  auto table = weather();
  auto filter = logical::binary(logical::col("MaxTemp"), BinaryOp::kGt, f64(100.0));
  EXPECT_EQ(table->supports_filters_pushdown({filter}),
            std::vector<catalog::FilterPushdown>{catalog::FilterPushdown::kInexact});
  catalog::ScanArgs args;
  args.projection = std::vector<int>{kMaxTemp};
  args.filters = {filter};
  auto result = run_scan(*table, args);
  EXPECT_EQ(result.table->num_rows(), 0);
  EXPECT_EQ(result.counter("row_groups_pruned"), 6);
  EXPECT_THAT(result.plan->display(), HasSubstr(", predicate="));
}

TEST(ParquetSourceTest, FilterMatchingOneRowGroupReadsOnlyIt) {
  // Only the second row group of the first file has MaxTemp above 34 (max 34.9).
  auto filter = logical::binary(logical::col("MaxTemp"), BinaryOp::kGt, f64(34.0));
  catalog::ScanArgs args;
  args.projection = std::vector<int>{kMaxTemp};
  args.filters = {filter};
  auto result = run_scan(*weather(), args);
  EXPECT_EQ(result.counter("row_groups_pruned"), 5);
  // Pruning is inexact: the whole row group comes back, including the 4 matching rows.
  EXPECT_EQ(result.table->num_rows(), 61);
  int matching = 0;
  for (const auto& chunk : result.table->column(0)->chunks()) {
    auto values = std::static_pointer_cast<arrow::DoubleArray>(chunk);
    for (int64_t i = 0; i < values->length(); ++i) matching += values->Value(i) > 34.0 ? 1 : 0;
  }
  EXPECT_EQ(matching, 4);
}

TEST(ParquetSourceTest, PruningUnderstandsNullsInListsBetweenAndBooleanLogic) {
  auto table = weather();
  auto count_pruned = [&](logical::ExprPtr filter) {
    catalog::ScanArgs args;
    args.projection = std::vector<int>{kMaxTemp};
    args.filters = {std::move(filter)};
    return run_scan(*table, args).counter("row_groups_pruned");
  };
  // Sunshine has NULLs in two row groups only.
  auto is_null = std::make_shared<logical::Expr>();
  is_null->kind = logical::ExprKind::kIsNull;
  is_null->args = {logical::col("Sunshine")};
  EXPECT_EQ(count_pruned(is_null), 4);

  // 34.0 < MaxTemp (literal on the left) is the same as MaxTemp > 34.0.
  EXPECT_EQ(count_pruned(logical::binary(f64(34.0), BinaryOp::kLt, logical::col("MaxTemp"))), 5);

  // MaxTemp BETWEEN 34 AND 40: one row group.
  auto between = std::make_shared<logical::Expr>();
  between->kind = logical::ExprKind::kBetween;
  between->args = {logical::col("MaxTemp"), f64(34.0), f64(40.0)};
  EXPECT_EQ(count_pruned(between), 5);

  // MaxTemp IN (100, 34.9): only 34.9 can match, in one row group.
  auto in_list = std::make_shared<logical::Expr>();
  in_list->kind = logical::ExprKind::kInList;
  in_list->args = {logical::col("MaxTemp"), f64(100.0), f64(34.9)};
  EXPECT_EQ(count_pruned(in_list), 5);

  // OR keeps a row group when either side may match; AND needs both.
  auto high = logical::binary(logical::col("MaxTemp"), BinaryOp::kGt, f64(34.0));
  auto cold = logical::binary(logical::col("MinTemp"), BinaryOp::kLt, f64(-4.0));
  EXPECT_EQ(count_pruned(logical::binary(high, BinaryOp::kOr, cold)), 3);
  EXPECT_EQ(count_pruned(logical::binary(high, BinaryOp::kAnd, cold)), 6);

  // NOT (MaxTemp <= 34) is MaxTemp > 34.
  auto not_expr = std::make_shared<logical::Expr>();
  not_expr->kind = logical::ExprKind::kNot;
  not_expr->args = {logical::binary(logical::col("MaxTemp"), BinaryOp::kLtEq, f64(34.0))};
  EXPECT_EQ(count_pruned(not_expr), 5);

  // Something pruning does not understand keeps every row group.
  auto plus = logical::binary(logical::col("MaxTemp"), BinaryOp::kPlus, f64(1.0));
  auto opaque = logical::binary(plus, BinaryOp::kGt, f64(100.0));
  EXPECT_EQ(table->supports_filters_pushdown({opaque}),
            std::vector<catalog::FilterPushdown>{catalog::FilterPushdown::kUnsupported});
  EXPECT_EQ(count_pruned(opaque), 0);

  // Strings compare by their bytes: RainToday is 'No' or 'Yes' everywhere.
  auto maybe = logical::binary(logical::col("RainToday"), BinaryOp::kEq,
                               logical::lit(std::make_shared<arrow::StringScalar>("Maybe")));
  EXPECT_EQ(count_pruned(maybe), 6);
}

TEST(ParquetSourceTest, LimitStopsEachPartitionEarly) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("execution.target_partitions", "1").ok());
  catalog::ScanArgs args;
  args.projection = std::vector<int>{kRainToday};
  args.limit = 10;
  auto result = run_scan(*weather(), args, options);
  EXPECT_EQ(result.table->num_rows(), 10);
  EXPECT_THAT(result.plan->display(),
              HasSubstr("projection=[RainToday], limit=10, file_type=parquet"));
  EXPECT_EQ(result.plan->metrics().output_rows(), 10);
}

TEST(ParquetSourceTest, BatchSizeComesFromTheTaskContext) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("execution.batch_size", "7").ok());
  ASSERT_TRUE(options.set("execution.target_partitions", "1").ok());
  catalog::ScanArgs args;
  args.projection = std::vector<int>{kRainToday};
  auto result = run_scan(*weather(), args, options);
  EXPECT_EQ(result.table->num_rows(), 366);
  for (const auto& chunk : result.table->column(0)->chunks()) EXPECT_LE(chunk->length(), 7);
}

TEST(ParquetSourceTest, WithFileGroupsReadsASubset) {
  catalog::ScanArgs args;
  args.projection = std::vector<int>{kRainToday};
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("execution.target_partitions", "8").ok());
  args.options = &options;
  auto plan = weather()->scan(args);
  ASSERT_TRUE(plan.ok());
  auto scan = std::dynamic_pointer_cast<const DataSourceExec>(*plan);
  ASSERT_NE(scan, nullptr);
  ASSERT_EQ(scan->file_groups().size(), 3u);
  auto subset = scan->with_file_groups({scan->file_groups()[1]});
  ASSERT_TRUE(subset.ok()) << subset.status().ToString();
  EXPECT_EQ((*subset)->output_partitions(), 1);
  EXPECT_THAT((*subset)->display(),
              HasSubstr("file_groups={1 group: [[testdata/weather/result-000001.parquet]]}"));
  auto result = physical::collect(*subset, std::make_shared<physical::TaskContext>(options));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ((*result)->num_rows(), 122);
}

TEST(ParquetSourceTest, TruncatedFileIsAnErrorNamingIt) {
  auto table =
      ListingTable::Make("testdata/bad/truncated.parquet", std::make_shared<const ParquetSource>());
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(), HasSubstr("testdata/bad/truncated.parquet"));
}

TEST(ParquetSourceTest, CorruptedFileFailsWhenReadWithAnErrorNamingIt) {
  auto table =
      ListingTable::Make("testdata/bad/corrupted.parquet", std::make_shared<const ParquetSource>());
  ASSERT_TRUE(table.ok()) << table.status().ToString();  // the footer is intact
  common::ConfigOptions options;
  catalog::ScanArgs args;
  args.options = &options;
  auto plan = (*table)->scan(args);
  ASSERT_TRUE(plan.ok());
  auto result = physical::collect(*plan, std::make_shared<physical::TaskContext>(options));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("testdata/bad/corrupted.parquet: "));
}

TEST(ParquetSourceTest, FilesWithDifferentSchemasAreRejected) {
  const auto dir = std::filesystem::temp_directory_path() / "quiver_parquet_schema_mismatch";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file("testdata/weather/result-000000.parquet", dir / "a.parquet");
  std::filesystem::copy_file("testdata/bad/corrupted.parquet", dir / "b.parquet");
  auto table = ListingTable::Make(dir.string(), std::make_shared<const ParquetSource>());
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(table.ok());
  EXPECT_TRUE(table.status().IsInvalid()) << table.status().ToString();
  EXPECT_THAT(table.status().message(), HasSubstr((dir / "a.parquet").string()));
  EXPECT_THAT(table.status().message(), HasSubstr((dir / "b.parquet").string()));
}

TEST(ParquetSourceTest, AFileUnlikeTheDeclaredSchemaIsRejected) {
  auto declared = arrow::schema({arrow::field("MinTemp", arrow::int32())});
  auto table = ListingTable::Make("testdata/weather/result-000000.parquet",
                                  std::make_shared<const ParquetSource>(), declared);
  ASSERT_FALSE(table.ok());
  EXPECT_TRUE(table.status().IsInvalid()) << table.status().ToString();
  EXPECT_THAT(table.status().message(), HasSubstr("result-000000.parquet"));
  EXPECT_THAT(table.status().message(), HasSubstr("differs from the declared schema"));
}

}  // namespace
}  // namespace quiver::datasource
