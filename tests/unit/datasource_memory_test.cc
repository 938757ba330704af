// In-memory tables: scans with projection and limit, appends, display.
#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "quiver/datasource/memory_table.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::datasource {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<arrow::RecordBatch> batch(std::vector<int64_t> a, std::vector<std::string> b) {
  arrow::Int64Builder ab;
  arrow::StringBuilder bb;
  EXPECT_TRUE(ab.AppendValues(a).ok());
  EXPECT_TRUE(bb.AppendValues(b).ok());
  auto schema =
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::utf8())});
  return arrow::RecordBatch::Make(schema, static_cast<int64_t>(a.size()),
                                  {ab.Finish().ValueOrDie(), bb.Finish().ValueOrDie()});
}

arrow::Result<std::shared_ptr<arrow::Table>> scan_all(
    const MemoryTable& table, catalog::ScanArgs args,
    physical::ExecutionPlanPtr* plan_out = nullptr) {
  common::ConfigOptions options;
  args.options = &options;
  ARROW_ASSIGN_OR_RAISE(auto plan, table.scan(args));
  if (plan_out != nullptr) *plan_out = plan;
  return physical::collect(plan, std::make_shared<physical::TaskContext>(options));
}

TEST(MemoryTableTest, ScanDisplaysPartitionSizesAndProjects) {
  auto b1 = batch({1, 2}, {"x", "y"});
  auto table = MemoryTable::Make(b1->schema(), {{b1, batch({3}, {"z"})}});
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)->num_rows(), 3);
  catalog::ScanArgs args;
  args.projection = std::vector<int>{1};
  physical::ExecutionPlanPtr plan;
  auto rows = scan_all(**table, args, &plan);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(plan->display(), "DataSourceExec: partitions=1, partition_sizes=[2]");
  EXPECT_EQ((*rows)->num_rows(), 3);
  ASSERT_EQ((*rows)->num_columns(), 1);
  EXPECT_EQ((*rows)->schema()->field(0)->name(), "b");
  EXPECT_EQ(plan->metrics().output_rows(), 3);
}

TEST(MemoryTableTest, LimitTrimsAndShowsFetch) {
  auto b1 = batch({1, 2, 3}, {"x", "y", "z"});
  auto table = MemoryTable::Make(b1->schema(), {{b1, b1}});
  ASSERT_TRUE(table.ok());
  catalog::ScanArgs args;
  args.limit = 4;
  physical::ExecutionPlanPtr plan;
  auto rows = scan_all(**table, args, &plan);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)->num_rows(), 4);
  EXPECT_EQ(plan->display(), "DataSourceExec: partitions=1, partition_sizes=[2], fetch=4");
}

TEST(MemoryTableTest, AppendCastsToTheTableTypesAndRejectsOtherShapes) {
  auto schema =
      arrow::schema({arrow::field("a", arrow::float64()), arrow::field("b", arrow::utf8())});
  auto table = MemoryTable::Make(schema);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)->num_rows(), 0);
  auto empty = scan_all(**table, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ((*empty)->num_rows(), 0);

  ASSERT_TRUE((*table)->append({batch({1, 2}, {"x", "y"})}).ok());
  ASSERT_TRUE((*table)->append({batch({3}, {"z"})}).ok());
  auto rows = scan_all(**table, {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)->num_rows(), 3);
  EXPECT_EQ((*rows)->schema()->field(0)->type()->id(), arrow::Type::DOUBLE);

  auto narrow = arrow::RecordBatch::Make(arrow::schema({arrow::field("a", arrow::int64())}), 0,
                                         {arrow::MakeEmptyArray(arrow::int64()).ValueOrDie()});
  auto st = (*table)->append({narrow});
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.IsInvalid());
  EXPECT_THAT(st.message(), HasSubstr("1 columns in a table of 2 columns"));
}

TEST(MemoryTableTest, FromArrowTableKeepsItsBatches) {
  auto b1 = batch({1, 2}, {"x", "y"});
  auto arrow_table = arrow::Table::FromRecordBatches({b1, b1}).ValueOrDie();
  auto table = MemoryTable::FromTable(*arrow_table);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)->num_rows(), 4);
  ASSERT_EQ((*table)->partitions().size(), 1u);
  EXPECT_EQ((*table)->partitions()[0].size(), 2u);
}

}  // namespace
}  // namespace quiver::datasource
