// Tests of AggregateExec: every mode, chained Partial -> PartialReduce -> Final against Single,
// empty input, nulls as keys, FILTER, batch size 1 and the memory limit.

#include <arrow/compute/api_vector.h>
#include <gtest/gtest.h>

#include <map>

#include "exec_fixtures.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/literal_expr.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

physical::PhysicalExprPtr lit64(int64_t v) {
  return physical::make_literal(std::make_shared<arrow::Int64Scalar>(v));
}

// count(*), sum(v), min(v), max(v) over the raw columns (v@0, g@1).
std::vector<AggregateExpr> test_aggregates() {
  return {{"count", {lit64(1)}, false, nullptr, "count(Int64(1))"},
          {"sum", {col("v", 0)}, false, nullptr, "sum(v)"},
          {"min", {col("v", 0)}, false, nullptr, "min(v)"},
          {"max", {col("v", 0)}, false, nullptr, "max(v)"}};
}

// Returns group key -> the other Int64 columns of the row, for order-independent comparison.
std::map<std::optional<int64_t>, std::vector<std::optional<int64_t>>> rows_by_key(
    const arrow::Table& table) {
  std::map<std::optional<int64_t>, std::vector<std::optional<int64_t>>> out;
  auto keys = int64_column(table, 0);
  for (int c = 1; c < table.num_columns(); ++c) {
    auto values = int64_column(table, c);
    for (size_t r = 0; r < keys.size(); ++r) out[keys[r]].push_back(values[r]);
  }
  EXPECT_EQ(out.size(), keys.size()) << "duplicate group keys";
  return out;
}

TEST(AggregateExecTest, SingleModeGroupsAndDisplays) {
  auto source = numbers_source(100, 1, 7, /*groups=*/4);
  QUIVER_ASSIGN_OR_FAIL(agg, AggregateExec::Make(AggregateMode::kSingle, {{col("g", 1), "g"}},
                                                 test_aggregates(), source));
  EXPECT_EQ(agg->display(),
            "AggregateExec: mode=Single, gby=[g@1 as g], aggr=[count(Int64(1)), sum(v), min(v), "
            "max(v)]");
  EXPECT_EQ(agg->schema()->ToString(false).find("g: int64"), 0u);
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(agg, make_context()));
  auto rows = rows_by_key(*table);
  ASSERT_EQ(rows.size(), 4u);
  // g = 1: v = 1, 5, ..., 97 (25 values)
  EXPECT_EQ(rows[1], (std::vector<std::optional<int64_t>>{25, 1225, 1, 97}));
  EXPECT_EQ(rows[0], (std::vector<std::optional<int64_t>>{25, 1200, 0, 96}));
}

TEST(AggregateExecTest, PartialReduceFinalChainMatchesSingle) {
  for (int64_t batch_size : {1, 3, 8192}) {
    auto ctx = make_context(batch_size);
    auto source = numbers_source(300, 3, 11, /*groups=*/7);
    QUIVER_ASSIGN_OR_FAIL(partial,
                          AggregateExec::Make(AggregateMode::kPartial, {{col("g", 1), "g"}},
                                              test_aggregates(), source));
    EXPECT_EQ(partial->output_partitions(), 3);
    // Partial output: the group, then every state field.
    EXPECT_EQ(partial->schema()->field(0)->name(), "g");
    EXPECT_GT(partial->schema()->num_fields(), 4);
    QUIVER_ASSIGN_OR_FAIL(coalesced, CoalescePartitionsExec::Make(partial));
    QUIVER_ASSIGN_OR_FAIL(reduce,
                          AggregateExec::Make(AggregateMode::kPartialReduce, {{col("g", 0), "g"}},
                                              test_aggregates(), coalesced, source->schema()));
    EXPECT_TRUE(reduce->schema()->Equals(*partial->schema()));
    QUIVER_ASSIGN_OR_FAIL(final_agg,
                          AggregateExec::Make(AggregateMode::kFinal, {{col("g", 0), "g"}},
                                              test_aggregates(), reduce, source->schema()));
    QUIVER_ASSIGN_OR_FAIL(chained, physical::collect(final_agg, ctx));

    QUIVER_ASSIGN_OR_FAIL(merged, CoalescePartitionsExec::Make(source));
    QUIVER_ASSIGN_OR_FAIL(single, AggregateExec::Make(AggregateMode::kSingle, {{col("g", 1), "g"}},
                                                      test_aggregates(), merged));
    QUIVER_ASSIGN_OR_FAIL(expected, physical::collect(single, ctx));
    EXPECT_TRUE(final_agg->schema()->Equals(*single->schema()));
    EXPECT_EQ(chained->num_rows(), 7);
    EXPECT_EQ(rows_by_key(*chained), rows_by_key(*expected)) << "batch_size " << batch_size;
    if (batch_size == 1) {
      EXPECT_EQ(final_agg->metrics().output_rows(), 7);
    }
  }
}

TEST(AggregateExecTest, FinalPartitionedAfterHashRepartition) {
  auto source = numbers_source(1000, 2, 13, /*groups=*/50);
  QUIVER_ASSIGN_OR_FAIL(partial, AggregateExec::Make(AggregateMode::kPartial, {{col("g", 1), "g"}},
                                                     test_aggregates(), source));
  QUIVER_ASSIGN_OR_FAIL(
      shuffled, RepartitionExec::Make(partial, physical::Partitioning::hash({col("g", 0)}, 5)));
  QUIVER_ASSIGN_OR_FAIL(final_agg,
                        AggregateExec::Make(AggregateMode::kFinalPartitioned, {{col("g", 0), "g"}},
                                            test_aggregates(), shuffled, source->schema()));
  EXPECT_EQ(final_agg->output_partitions(), 5);
  EXPECT_EQ(final_agg->properties().partitioning.to_string(), "Hash([g@0], 5)");
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(final_agg, make_context()));
  auto rows = rows_by_key(*table);
  ASSERT_EQ(rows.size(), 50u);
  EXPECT_EQ(rows[3][0], 20);   // count
  EXPECT_EQ(rows[3][2], 3);    // min
  EXPECT_EQ(rows[3][3], 953);  // max
}

TEST(AggregateExecTest, EmptyInputWithoutGroupsGivesOneRow) {
  auto empty = std::make_shared<TestSourceExec>(
      int64_schema({"v", "g"}), std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{{}});
  QUIVER_ASSIGN_OR_FAIL(single,
                        AggregateExec::Make(AggregateMode::kSingle, {}, test_aggregates(), empty));
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(single, make_context()));
  ASSERT_EQ(table->num_rows(), 1);
  EXPECT_EQ(int64_column(*table, 0)[0], 0);             // count
  EXPECT_EQ(int64_column(*table, 1)[0], std::nullopt);  // sum

  // The same through Partial -> Final.
  QUIVER_ASSIGN_OR_FAIL(partial,
                        AggregateExec::Make(AggregateMode::kPartial, {}, test_aggregates(), empty));
  QUIVER_ASSIGN_OR_FAIL(final_agg, AggregateExec::Make(AggregateMode::kFinal, {}, test_aggregates(),
                                                       partial, empty->schema()));
  QUIVER_ASSIGN_OR_FAIL(chained, physical::collect(final_agg, make_context()));
  ASSERT_EQ(chained->num_rows(), 1);
  EXPECT_EQ(int64_column(*chained, 0)[0], 0);
  EXPECT_EQ(int64_column(*chained, 1)[0], std::nullopt);

  // With GROUP BY, empty input gives no rows.
  QUIVER_ASSIGN_OR_FAIL(grouped, AggregateExec::Make(AggregateMode::kSingle, {{col("g", 1), "g"}},
                                                     test_aggregates(), empty));
  QUIVER_ASSIGN_OR_FAIL(none, physical::collect(grouped, make_context()));
  EXPECT_EQ(none->num_rows(), 0);
}

TEST(AggregateExecTest, NullIsAGroupKeyAndFilterApplies) {
  auto source = std::make_shared<TestSourceExec>(
      int64_schema({"v", "g"}),
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{
          {int64_batch({"v", "g"}, {{1, 2, 3, 4}, {std::nullopt, 1, std::nullopt, 1}}),
           int64_batch({"v", "g"}, {{5, std::nullopt}, {std::nullopt, 2}})}});
  std::vector<AggregateExpr> aggregates = {
      {"count", {col("v", 0)}, false, nullptr, "count(v)"},
      {"sum",
       {col("v", 0)},
       false,
       physical::make_binary(col("v", 0), logical::BinaryOp::kGt, lit64(2)),
       "sum(v) FILTER (WHERE v > 2)"}};
  QUIVER_ASSIGN_OR_FAIL(
      agg, AggregateExec::Make(AggregateMode::kSingle, {{col("g", 1), "g"}}, aggregates, source));
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(agg, make_context()));
  auto rows = rows_by_key(*table);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[std::nullopt], (std::vector<std::optional<int64_t>>{3, 8}));  // v=1,3,5
  EXPECT_EQ(rows[1], (std::vector<std::optional<int64_t>>{2, 4}));
  EXPECT_EQ(rows[2], (std::vector<std::optional<int64_t>>{0, std::nullopt}));
}

TEST(AggregateExecTest, MemoryLimitBreachNamesTheOperator) {
  auto source = numbers_source(200000, 1, 4096, /*groups=*/200000);
  QUIVER_ASSIGN_OR_FAIL(agg, AggregateExec::Make(AggregateMode::kSingle, {{col("v", 0), "v"}},
                                                 test_aggregates(), source));
  auto result = physical::collect(agg, make_context(8192, "1MB"));
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsOutOfMemory()) << result.status().ToString();
  EXPECT_NE(result.status().message().find("AggregateExec"), std::string::npos)
      << result.status().ToString();
  // Without the limit the same plan runs.
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(agg, make_context()));
  EXPECT_EQ(table->num_rows(), 200000);
}

TEST(AggregateExecTest, RejectsBadPlans) {
  auto source = numbers_source(10, 2, 5);
  // Single needs one partition.
  EXPECT_FALSE(AggregateExec::Make(AggregateMode::kSingle, {}, test_aggregates(), source).ok());
  // Final needs the raw schema.
  EXPECT_FALSE(
      AggregateExec::Make(AggregateMode::kFinalPartitioned, {}, test_aggregates(), source).ok());
  // Unknown function: a user error.
  auto unknown =
      AggregateExec::Make(AggregateMode::kPartial, {},
                          {{"nosuch", {col("v", 0)}, false, nullptr, "nosuch(v)"}}, source);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsInvalid());
}

}  // namespace
}  // namespace quiver::exec
