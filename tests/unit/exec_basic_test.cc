// Tests of the row-at-a-time operators: ValuesExec, EmptyExec, FilterExec, ProjectionExec,
// LocalLimitExec, GlobalLimitExec and UnionExec.

#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include "exec_fixtures.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/limit/global_limit_exec.h"
#include "quiver/exec/limit/local_limit_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/exec/source/empty_exec.h"
#include "quiver/exec/source/values_exec.h"
#include "quiver/exec/union/union_exec.h"
#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/literal_expr.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

physical::PhysicalExprPtr lit64(int64_t v) {
  return physical::make_literal(std::make_shared<arrow::Int64Scalar>(v));
}

TEST(ValuesExecTest, CastsRowsAndSlicesByBatchSize) {
  auto schema = arrow::schema(
      {arrow::field("column1", arrow::int64()), arrow::field("column2", arrow::utf8())});
  std::vector<std::vector<std::shared_ptr<arrow::Scalar>>> rows = {
      {std::make_shared<arrow::Int32Scalar>(1), std::make_shared<arrow::StringScalar>("a")},
      {std::make_shared<arrow::Int64Scalar>(2), arrow::MakeNullScalar(arrow::utf8())},
      {std::make_shared<arrow::Int64Scalar>(3), std::make_shared<arrow::StringScalar>("c")}};
  QUIVER_ASSIGN_OR_FAIL(values, ValuesExec::from_rows(schema, rows));
  EXPECT_EQ(values->display(), "ValuesExec");
  EXPECT_EQ(values->output_partitions(), 1);
  QUIVER_ASSIGN_OR_FAIL(stream, values->execute(0, make_context(/*batch_size=*/2)));
  QUIVER_ASSIGN_OR_FAIL(batches, physical::collect_stream(*stream));
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches[0]->num_rows(), 2);
  EXPECT_EQ(batches[1]->num_rows(), 1);
  EXPECT_TRUE(batches[0]->column(1)->IsNull(1));
  EXPECT_EQ(values->metrics().output_rows(), 3);
}

TEST(ValuesExecTest, RejectsRowsOfTheWrongWidth) {
  auto schema = arrow::schema({arrow::field("column1", arrow::int64())});
  auto result = ValuesExec::from_rows(
      schema, {{std::make_shared<arrow::Int64Scalar>(1), std::make_shared<arrow::Int64Scalar>(2)}});
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
  EXPECT_NE(result.status().message().find("row 1"), std::string::npos);
}

TEST(EmptyExecTest, ProducesNothingOrOnePlaceholderRow) {
  QUIVER_ASSIGN_OR_FAIL(empty, EmptyExec::Make(int64_schema({"a"}), false));
  EXPECT_EQ(empty->display(), "EmptyExec");
  QUIVER_ASSIGN_OR_FAIL(none, physical::collect(empty, make_context()));
  EXPECT_EQ(none->num_rows(), 0);

  QUIVER_ASSIGN_OR_FAIL(placeholder, EmptyExec::Make(arrow::schema({}), true));
  EXPECT_EQ(placeholder->display(), "PlaceholderRowExec");
  QUIVER_ASSIGN_OR_FAIL(one, physical::collect(placeholder, make_context()));
  EXPECT_EQ(one->num_rows(), 1);
}

TEST(FilterExecTest, KeepsTrueRowsDropsNullsAndEmptyBatches) {
  auto source = std::make_shared<TestSourceExec>(
      int64_schema({"a"}), std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{
                               {int64_batch({"a"}, {{1, 7, std::nullopt, 9}}),
                                int64_batch({"a"}, {{2, 3}}), int64_batch({"a"}, {{}})},
                               {int64_batch({"a"}, {{10, std::nullopt}})}});
  auto predicate = physical::make_binary(col("a", 0), logical::BinaryOp::kGt, lit64(5));
  QUIVER_ASSIGN_OR_FAIL(filter, FilterExec::Make(predicate, source));
  EXPECT_EQ(filter->display(), "FilterExec: a@0 > Int64(5)");
  EXPECT_EQ(filter->output_partitions(), 2);
  QUIVER_ASSIGN_OR_FAIL(parts, collect_partitions(filter, make_context()));
  ASSERT_EQ(parts.size(), 2u);
  ASSERT_EQ(parts[0].size(), 1u);  // the batch losing every row is skipped
  EXPECT_TRUE(parts[0][0]->Equals(*int64_batch({"a"}, {{7, 9}})));
  ASSERT_EQ(parts[1].size(), 1u);
  EXPECT_TRUE(parts[1][0]->Equals(*int64_batch({"a"}, {{10}})));
  EXPECT_EQ(filter->metrics().output_rows(), 3);
}

TEST(FilterExecTest, RejectsANonBooleanPredicate) {
  auto source = numbers_source(10, 1, 10);
  auto result = FilterExec::Make(col("v", 0), source);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid());
}

TEST(ProjectionExecTest, EvaluatesExpressionsAndNamesColumns) {
  auto source = numbers_source(5, 1, 2);
  std::vector<ProjectionExpr> exprs = {
      {col("g", 1), "g"},
      {physical::make_binary(col("v", 0), logical::BinaryOp::kPlus, lit64(1)), "v + Int64(1)"}};
  QUIVER_ASSIGN_OR_FAIL(projection, ProjectionExec::Make(exprs, source));
  EXPECT_EQ(projection->display(),
            "ProjectionExec: expr=[g@1 as g, v@0 + Int64(1) as v + Int64(1)]");
  EXPECT_EQ(projection->schema()->field(1)->name(), "v + Int64(1)");
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(projection, make_context()));
  EXPECT_EQ(int64_column(*table, 1), (std::vector<std::optional<int64_t>>{1, 2, 3, 4, 5}));
}

TEST(LimitExecTest, LocalLimitCapsEachPartitionAndStopsPulling) {
  auto source = numbers_source(100, 2, 5);  // 10 batches per partition
  QUIVER_ASSIGN_OR_FAIL(limit, LocalLimitExec::Make(source, 7));
  EXPECT_EQ(limit->display(), "LocalLimitExec: fetch=7");
  QUIVER_ASSIGN_OR_FAIL(parts, collect_partitions(limit, make_context()));
  for (const auto& part : parts) {
    int64_t rows = 0;
    for (const auto& b : part) rows += b->num_rows();
    EXPECT_EQ(rows, 7);
  }
  EXPECT_EQ(source->pulled(), 4);  // two batches of 5 per partition
}

TEST(LimitExecTest, GlobalLimitSkipsThenFetches) {
  auto source = numbers_source(20, 1, 3);
  QUIVER_ASSIGN_OR_FAIL(limit, GlobalLimitExec::Make(source, 4, 5));
  EXPECT_EQ(limit->display(), "GlobalLimitExec: skip=4, fetch=5");
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(limit, make_context(/*batch_size=*/1)));
  EXPECT_EQ(int64_column(*table, 0), (std::vector<std::optional<int64_t>>{4, 5, 6, 7, 8}));

  QUIVER_ASSIGN_OR_FAIL(skip_only, GlobalLimitExec::Make(source, 18, std::nullopt));
  EXPECT_EQ(skip_only->display(), "GlobalLimitExec: skip=18, fetch=None");
  QUIVER_ASSIGN_OR_FAIL(rest, physical::collect(skip_only, make_context()));
  EXPECT_EQ(int64_column(*rest, 0), (std::vector<std::optional<int64_t>>{18, 19}));

  QUIVER_ASSIGN_OR_FAIL(zero, GlobalLimitExec::Make(source, 0, 0));
  QUIVER_ASSIGN_OR_FAIL(nothing, physical::collect(zero, make_context()));
  EXPECT_EQ(nothing->num_rows(), 0);
}

TEST(LimitExecTest, GlobalLimitNeedsOnePartition) {
  EXPECT_FALSE(GlobalLimitExec::Make(numbers_source(10, 2, 5), 0, 1).ok());
}

TEST(UnionExecTest, ConcatenatesPartitionsUnderTheFirstSchema) {
  auto left = numbers_source(4, 2, 2);
  auto right = std::make_shared<TestSourceExec>(
      int64_schema({"x", "y"}), std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{
                                    {int64_batch({"x", "y"}, {{100}, {std::nullopt}})}});
  QUIVER_ASSIGN_OR_FAIL(u, UnionExec::Make({left, right}));
  EXPECT_EQ(u->display(), "UnionExec");
  EXPECT_EQ(u->output_partitions(), 3);
  QUIVER_ASSIGN_OR_FAIL(parts, collect_partitions(u, make_context()));
  ASSERT_EQ(parts[2].size(), 1u);
  EXPECT_EQ(parts[2][0]->schema()->field(0)->name(), "v");
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(u, make_context()));
  EXPECT_EQ(table->num_rows(), 5);

  auto bad = std::make_shared<TestSourceExec>(
      arrow::schema({arrow::field("s", arrow::utf8()), arrow::field("t", arrow::int64())}),
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{{}});
  auto mismatch = UnionExec::Make({left, bad});
  ASSERT_FALSE(mismatch.ok());
  EXPECT_TRUE(mismatch.status().IsInvalid());
}

}  // namespace
}  // namespace quiver::exec
