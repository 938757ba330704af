// Tests of join planning: how the binder splits ON conditions, which physical join the planner
// picks (hash join CollectLeft / Partitioned, nested loop, cross join) and the row estimate that
// decides between the hash join modes.

#include "quiver/planner/join_planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "quiver/catalog/session_context.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/planner/row_estimate.h"

namespace quiver::planner {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

logical::ExprPtr i64(int64_t v) { return logical::lit(std::make_shared<arrow::Int64Scalar>(v)); }
logical::ExprPtr boolean(bool v) { return logical::lit(std::make_shared<arrow::BooleanScalar>(v)); }

struct Plans {
  std::string logical;
  std::string physical;
};

// Returns EXPLAIN's two plans for `sql`.
Plans explain(catalog::SessionContext& ctx, const std::string& sql) {
  auto df = ctx.sql("EXPLAIN " + sql);
  EXPECT_TRUE(df.ok()) << df.status().ToString();
  if (!df.ok()) return {};
  auto table = (*df)->collect();
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  if (!table.ok()) return {};
  auto combined = (*table)->CombineChunks().ValueOrDie();
  auto text = [&](int64_t row) {
    return combined->column(1)->GetScalar(row).ValueOrDie()->ToString();
  };
  return {text(0), text(1)};
}

std::shared_ptr<catalog::SessionContext> session(int target_partitions) {
  auto ctx = catalog::SessionContext::Make();
  EXPECT_TRUE(
      ctx->set_option("execution.target_partitions", std::to_string(target_partitions)).ok());
  for (const char* sql :
       {"CREATE TABLE a (k INT, k2 INT, s TEXT)", "INSERT INTO a VALUES (1, 2, 'x'), (2, 3, 'y')",
        "CREATE TABLE b (k BIGINT, k2 INT)", "INSERT INTO b VALUES (1, 1), (2, 5), (3, 3)"}) {
    auto df = ctx->sql(sql);
    EXPECT_TRUE(df.ok()) << df.status().ToString();
    if (df.ok()) EXPECT_TRUE((*df)->collect().ok());
  }
  return ctx;
}

TEST(JoinBinderTest, SplitsOnIntoKeysAndFilter) {
  auto ctx = session(4);
  // Keys in either order; the rest (non-equi, constant comparisons) is the filter, from which
  // the optimizer moves one-sided conjuncts into their input.
  const auto plans = explain(
      *ctx, "SELECT * FROM a JOIN b ON a.k = b.k AND b.k2 = a.k2 AND a.k2 < b.k2 AND a.s = 'x'");
  EXPECT_THAT(plans.logical,
              HasSubstr("Inner Join: CAST(a.k AS Int64) = b.k, a.k2 = b.k2 Filter: a.k2 < b.k2\n"
                        "  Filter: a.s = Utf8(\"x\")"));
}

TEST(JoinBinderTest, OrAndOneSidedEqualitiesAreNoKeys) {
  auto ctx = session(4);
  auto plans = explain(*ctx, "SELECT * FROM a JOIN b ON a.k = b.k OR a.k2 = b.k2");
  EXPECT_THAT(plans.logical, HasSubstr("Inner Join: Filter: "));
  EXPECT_THAT(plans.physical, HasSubstr("NestedLoopJoinExec: join_type=Inner, filter="));
  plans = explain(*ctx, "SELECT * FROM a JOIN b ON a.k = a.k2");
  // The one-sided condition moves into its input, leaving a cross join.
  EXPECT_THAT(plans.logical, HasSubstr("Cross Join: \n  Filter: a.k = a.k2"));
}

TEST(JoinBinderTest, UsingKeepsOneColumnAndFullJoinCoalesces) {
  auto ctx = session(4);
  auto plans = explain(*ctx, "SELECT * FROM a JOIN b USING (k)");
  EXPECT_THAT(plans.logical, HasSubstr("Projection: a.k, a.k2, a.s, b.k2"));
  plans = explain(*ctx, "SELECT * FROM a FULL JOIN b USING (k, k2)");
  EXPECT_THAT(plans.logical, HasSubstr("Projection: coalesce(a.k, b.k) AS k, "
                                       "coalesce(a.k2, b.k2) AS k2, a.s"));
}

TEST(JoinPlannerTest, SmallLeftSideIsCollectedAndRightSideSpread) {
  auto ctx = session(4);
  const auto plans = explain(*ctx, "SELECT * FROM a JOIN b ON a.k = b.k AND a.k2 < b.k2");
  EXPECT_THAT(plans.physical, HasSubstr("HashJoinExec: mode=CollectLeft, join_type=Inner, "
                                        "on=[(CAST(k@0 AS Int64), k@0)], filter=k2@1 < k2@4"));
  EXPECT_THAT(plans.physical, HasSubstr("RepartitionExec: partitioning=RoundRobinBatch(4)"));
}

TEST(JoinPlannerTest, ThresholdZeroHashPartitionsBothSides) {
  auto ctx = session(4);
  ASSERT_TRUE(ctx->set_option("optimizer.hash_join_single_partition_threshold", "0").ok());
  const auto plans = explain(*ctx, "SELECT * FROM a RIGHT JOIN b ON a.k = b.k");
  EXPECT_THAT(plans.physical, HasSubstr("HashJoinExec: mode=Partitioned, join_type=Right"));
  EXPECT_THAT(plans.physical,
              HasSubstr("RepartitionExec: partitioning=Hash([CAST(k@0 AS Int64)], 4)"));
  EXPECT_THAT(plans.physical, HasSubstr("RepartitionExec: partitioning=Hash([k@0], 4)"));
}

TEST(JoinPlannerTest, OnePartitionAlwaysCollectsLeft) {
  auto ctx = session(1);
  ASSERT_TRUE(ctx->set_option("optimizer.hash_join_single_partition_threshold", "0").ok());
  const auto plans = explain(*ctx, "SELECT * FROM a LEFT JOIN b ON a.k = b.k");
  EXPECT_THAT(plans.physical, HasSubstr("HashJoinExec: mode=CollectLeft, join_type=Left"));
  EXPECT_THAT(plans.physical, Not(HasSubstr("RepartitionExec")));
}

TEST(JoinPlannerTest, NoKeysGiveNestedLoopOrCrossJoin) {
  auto ctx = session(2);
  auto plans = explain(*ctx, "SELECT * FROM a FULL JOIN b ON a.k < b.k");
  EXPECT_THAT(plans.physical,
              HasSubstr("NestedLoopJoinExec: join_type=Full, filter=CAST(k@0 AS Int64) < k@3"));
  plans = explain(*ctx, "SELECT * FROM a, b");
  EXPECT_THAT(plans.logical, HasSubstr("Cross Join:"));
  EXPECT_THAT(plans.physical, HasSubstr("CrossJoinExec"));
  plans = explain(*ctx, "SELECT * FROM a LEFT JOIN b ON true");
  EXPECT_THAT(plans.physical, HasSubstr("NestedLoopJoinExec: join_type=Left"));
}

TEST(RowEstimateTest, FiltersLimitsAndUnknowns) {
  auto ctx = session(2);
  auto df = ctx->sql("SELECT * FROM a");
  ASSERT_TRUE(df.ok());
  const auto scan = (*df)->logical_plan();
  // The plan is a projection over the scan of a memory table with 2 rows.
  EXPECT_EQ(estimate_rows(*scan), 2);
  auto values = logical::make_values({{i64(1)}, {i64(2)}, {i64(3)}, {i64(4)}, {i64(5)}, {i64(6)}})
                    .ValueOrDie();
  EXPECT_EQ(estimate_rows(*values), 6);
  auto filtered = logical::make_filter(values, boolean(true)).ValueOrDie();
  EXPECT_EQ(estimate_rows(*filtered), 2);  // ceil(6 * 0.2)
  auto limited = logical::make_limit(values, 1, 3).ValueOrDie();
  EXPECT_EQ(estimate_rows(*limited), 3);
  auto cross =
      logical::make_join(values, values, logical::JoinType::kCross, {}, nullptr).ValueOrDie();
  EXPECT_EQ(estimate_rows(*cross), 36);
  auto inner =
      logical::make_join(values, values, logical::JoinType::kInner, {}, boolean(true)).ValueOrDie();
  EXPECT_EQ(estimate_rows(*inner), std::nullopt);
}

}  // namespace
}  // namespace quiver::planner
