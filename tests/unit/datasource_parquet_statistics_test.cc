// Column statistics of Parquet tables: min, max and NULL counts merged over row groups and files.
#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/io/file.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "quiver/datasource/listing_table.h"
#include "quiver/datasource/parquet_source.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::datasource {
namespace {

std::shared_ptr<arrow::Table> read_all(const ListingTable& table) {
  common::ConfigOptions options;
  catalog::ScanArgs args;
  args.options = &options;
  auto plan = table.scan(args);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  auto result = physical::collect(*plan, std::make_shared<physical::TaskContext>(options));
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return *result;
}

// The statistics of every weather column agree with the data: min, max and NULL count computed
// from the rows themselves (three files, six row groups).
TEST(ParquetStatisticsTest, WeatherStatisticsAgreeWithTheRows) {
  auto table = ListingTable::Make("testdata/weather", std::make_shared<const ParquetSource>());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto data = read_all(**table);
  int checked = 0;
  for (const char* name : {"MaxTemp", "MinTemp", "Sunshine", "RainToday", "Humidity3pm"}) {
    SCOPED_TRACE(name);
    const int index = (*table)->schema()->GetFieldIndex(name);
    ASSERT_GE(index, 0);
    const auto stats = (*table)->column_statistics(index);
    auto column = data->GetColumnByName(name);
    ASSERT_TRUE(stats.null_count.has_value());
    EXPECT_EQ(*stats.null_count, column->null_count());
    auto min_max = arrow::compute::MinMax(column);
    ASSERT_TRUE(min_max.ok()) << min_max.status().ToString();
    const auto& pair = min_max->scalar_as<arrow::StructScalar>();
    ASSERT_NE(stats.min, nullptr);
    ASSERT_NE(stats.max, nullptr);
    EXPECT_TRUE(stats.min->Equals(*pair.value[0]))
        << stats.min->ToString() << " vs " << pair.value[0]->ToString();
    EXPECT_TRUE(stats.max->Equals(*pair.value[1]))
        << stats.max->ToString() << " vs " << pair.value[1]->ToString();
    ++checked;
  }
  EXPECT_EQ(checked, 5);
  // Out of range: nothing known.
  EXPECT_EQ((*table)->column_statistics(99).min, nullptr);
}

// A row group holding only NULLs has no min/max; it neither hides nor widens the others' range.
TEST(ParquetStatisticsTest, AllNullRowGroupKeepsTheOthersRange) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("quiver_parquet_statistics_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  arrow::Int64Builder builder;
  ASSERT_TRUE(builder.AppendNulls(4).ok());
  ASSERT_TRUE(builder.AppendValues({7, 5, 9, 6}).ok());
  auto values = builder.Finish().ValueOrDie();
  auto schema = arrow::schema({arrow::field("v", arrow::int64())});
  auto data = arrow::Table::Make(schema, {values});
  auto file = arrow::io::FileOutputStream::Open((dir / "a.parquet").string()).ValueOrDie();
  ASSERT_TRUE(parquet::arrow::WriteTable(*data, arrow::default_memory_pool(), file,
                                         /*chunk_size=*/4)
                  .ok());
  ASSERT_TRUE(file->Close().ok());

  auto table = ListingTable::Make(dir.string(), std::make_shared<const ParquetSource>());
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const auto stats = (*table)->column_statistics(0);
  ASSERT_NE(stats.min, nullptr);
  ASSERT_NE(stats.max, nullptr);
  EXPECT_EQ(stats.min->ToString(), "5");
  EXPECT_EQ(stats.max->ToString(), "9");
  ASSERT_TRUE(stats.null_count.has_value());
  EXPECT_EQ(*stats.null_count, 4);
  EXPECT_EQ(*(*table)->num_rows(), 8);
}

TEST(TableStatisticsTest, MergingKeepsTheWiderRangeAndForgetsTheUnknown) {
  catalog::ColumnStatistics a{std::make_shared<arrow::Int32Scalar>(3),
                              std::make_shared<arrow::Int32Scalar>(10), 1};
  catalog::ColumnStatistics b{std::make_shared<arrow::Int32Scalar>(-2),
                              std::make_shared<arrow::Int32Scalar>(4), 2};
  auto both = a.merged(b);
  EXPECT_EQ(both.min->ToString(), "-2");
  EXPECT_EQ(both.max->ToString(), "10");
  EXPECT_EQ(both.null_count, 3);
  catalog::ColumnStatistics unknown;
  auto partial = a.merged(unknown);
  EXPECT_EQ(partial.min, nullptr);
  EXPECT_EQ(partial.max, nullptr);
  EXPECT_FALSE(partial.null_count.has_value());
  // Strings order by their bytes; different types are not merged.
  catalog::ColumnStatistics s1{std::make_shared<arrow::StringScalar>("b"),
                               std::make_shared<arrow::StringScalar>("x"), 0};
  catalog::ColumnStatistics s2{std::make_shared<arrow::StringScalar>("a"),
                               std::make_shared<arrow::StringScalar>("c"), 0};
  EXPECT_EQ(s1.merged(s2).min->ToString(), "a");
  EXPECT_EQ(s1.merged(s2).max->ToString(), "x");
  EXPECT_EQ(a.merged(s1).min, nullptr);
}

}  // namespace
}  // namespace quiver::datasource
