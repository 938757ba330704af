// CSV and NDJSON scans: schema inference, directories, errors that name the file and line.
#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "quiver/datasource/csv_source.h"
#include "quiver/datasource/json_source.h"
#include "quiver/datasource/listing_table.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::datasource {
namespace {

using ::testing::HasSubstr;

arrow::Result<std::shared_ptr<arrow::Table>> read_all(
    const ListingTable& table, std::optional<std::vector<int>> projection = {},
    int target_partitions = 4) {
  common::ConfigOptions options;
  ARROW_RETURN_NOT_OK(
      options.set("execution.target_partitions", std::to_string(target_partitions)));
  catalog::ScanArgs args;
  args.options = &options;
  args.projection = std::move(projection);
  ARROW_ASSIGN_OR_RAISE(auto plan, table.scan(args));
  return physical::collect(plan, std::make_shared<physical::TaskContext>(options));
}

TEST(CsvSourceTest, InfersTheSchemaFromTheHeaderAndFirstRows) {
  auto table = ListingTable::Make("testdata/csv/people.csv", std::make_shared<const CsvSource>());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto schema = (*table)->schema();
  ASSERT_EQ(schema->num_fields(), 6);
  EXPECT_EQ(schema->field(0)->ToString(), "id: int64");
  EXPECT_EQ(schema->field(1)->ToString(), "name: string");
  EXPECT_EQ(schema->field(4)->ToString(), "score: double");
  EXPECT_EQ(schema->field(5)->type()->id(), arrow::Type::DATE32);
  EXPECT_FALSE((*table)->num_rows().has_value());

  auto rows = read_all(**table);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)->num_rows(), 20);
  // The empty age of id=7 is NULL.
  EXPECT_EQ((*rows)->column(2)->null_count(), 1);
}

TEST(CsvSourceTest, DirectoryTableReadsEveryFileAsItsOwnPartition) {
  auto table = ListingTable::Make("testdata/csv/orders", std::make_shared<const CsvSource>());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  common::ConfigOptions options;
  catalog::ScanArgs args;
  args.options = &options;
  args.projection = std::vector<int>{0, 3};
  auto plan = (*table)->scan(args);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ((*plan)->display(),
            "DataSourceExec: file_groups={2 groups: [[testdata/csv/orders/part-0.csv], "
            "[testdata/csv/orders/part-1.csv]]}, projection=[order_id, status], file_type=csv, "
            "has_header=true");
  auto rows = physical::collect(*plan, std::make_shared<physical::TaskContext>(options));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)->num_rows(), 100);
  EXPECT_EQ((*rows)->num_columns(), 2);
  EXPECT_EQ((*rows)->schema()->field(1)->name(), "status");
}

TEST(CsvSourceTest, EmptyProjectionStillCountsRows) {
  auto table = ListingTable::Make("testdata/csv/orders", std::make_shared<const CsvSource>());
  ASSERT_TRUE(table.ok());
  auto rows = read_all(**table, std::vector<int>{});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)->num_columns(), 0);
  EXPECT_EQ((*rows)->num_rows(), 100);
}

TEST(CsvSourceTest, WithoutHeaderColumnsAreNumbered) {
  auto table = ListingTable::Make("testdata/csv/people.csv",
                                  std::make_shared<const CsvSource>(/*has_header=*/false));
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->schema()->field(0)->name(), "column_1");
  EXPECT_EQ((*table)->schema()->field(5)->name(), "column_6");
  auto rows = read_all(**table);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)->num_rows(), 21);  // the header line is a row now
}

TEST(CsvSourceTest, WrongFieldCountNamesTheFileAndLine) {
  auto inferred =
      ListingTable::Make("testdata/bad/wrong_fields.csv", std::make_shared<const CsvSource>());
  ASSERT_FALSE(inferred.ok());
  EXPECT_TRUE(inferred.status().IsInvalid()) << inferred.status().ToString();
  EXPECT_THAT(inferred.status().message(),
              HasSubstr("testdata/bad/wrong_fields.csv: line 4: Expected 3 columns, got 4"));

  // With a declared schema the error comes when the rows are read.
  auto schema = arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::int64()),
                               arrow::field("c", arrow::int64())});
  auto declared = ListingTable::Make("testdata/bad/wrong_fields.csv",
                                     std::make_shared<const CsvSource>(), schema);
  ASSERT_TRUE(declared.ok()) << declared.status().ToString();
  auto rows = read_all(**declared);
  ASSERT_FALSE(rows.ok());
  EXPECT_THAT(rows.status().message(),
              HasSubstr("testdata/bad/wrong_fields.csv: line 4: Expected 3 columns, got 4"));
}

TEST(CsvSourceTest, FieldCountScannerFollowsQuotedNewlines) {
  const std::string text = "a,b\n1,\"x\ny\"\n\n2,3,4\n";
  EXPECT_EQ(find_csv_field_count_mismatch(text, ',', 2, /*skip_header=*/true), 5);
  EXPECT_EQ(find_csv_field_count_mismatch("a,b\n1,2\n", ',', 2, true), 0);
}

TEST(JsonSourceTest, ReadsNewlineDelimitedJson) {
  auto table =
      ListingTable::Make("testdata/json/events.ndjson", std::make_shared<const JsonSource>());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto schema = (*table)->schema();
  ASSERT_EQ(schema->num_fields(), 5);
  EXPECT_EQ(schema->field(0)->ToString(), "id: int64");
  EXPECT_EQ(schema->field(1)->ToString(), "kind: string");
  EXPECT_EQ(schema->field(3)->type()->id(), arrow::Type::LIST);
  auto rows = read_all(**table, std::vector<int>{1, 0});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ((*rows)->num_rows(), 30);
  EXPECT_EQ((*rows)->schema()->field(0)->name(), "kind");
  EXPECT_EQ((*rows)->schema()->field(1)->name(), "id");

  auto counted = read_all(**table, std::vector<int>{});
  ASSERT_TRUE(counted.ok()) << counted.status().ToString();
  EXPECT_EQ((*counted)->num_rows(), 30);
}

TEST(JsonSourceTest, MalformedJsonNamesTheFileAndLine) {
  auto table =
      ListingTable::Make("testdata/bad/malformed.ndjson", std::make_shared<const JsonSource>());
  arrow::Status st = table.status();
  if (table.ok()) st = read_all(**table).status();
  ASSERT_FALSE(st.ok());
  EXPECT_THAT(st.message(), HasSubstr("testdata/bad/malformed.ndjson: line 3: "));
}

TEST(ListingTableTest, FormatFollowsTheExtension) {
  auto parquet = source_for_path("testdata/weather");
  ASSERT_TRUE(parquet.ok());
  EXPECT_EQ((*parquet)->file_type(), "parquet");
  auto csv = source_for_path("testdata/csv/orders");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ((*csv)->file_type(), "csv");
  auto json = source_for_path("testdata/json/events.ndjson");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)->file_type(), "json");
  auto unknown = source_for_path("CMakeLists.txt");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("CMakeLists.txt"));
}

}  // namespace
}  // namespace quiver::datasource
