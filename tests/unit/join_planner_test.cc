// Tests of join planning: how the binder splits ON conditions, which physical join the planner
// picks (hash join CollectLeft / Partitioned, nested loop, cross join) and the row estimate that
// decides between the hash join modes and their build side.

#include "quiver/planner/join_planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "quiver/catalog/session_context.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/cardinality.h"

namespace quiver::planner {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

logical::ExprPtr i64(int64_t v) { return logical::lit(std::make_shared<arrow::Int64Scalar>(v)); }
logical::ExprPtr boolean(bool v) { return logical::lit(std::make_shared<arrow::BooleanScalar>(v)); }

// A table that does not know its row count (like a CSV file).
class UnsizedTable : public catalog::TableProvider {
 public:
  std::shared_ptr<arrow::Schema> schema() const override {
    return arrow::schema({arrow::field("x", arrow::int64())});
  }
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs&) const override {
    return arrow::Status::NotImplemented("not scanned");
  }
};

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

TEST(JoinPlannerTest, SmallerRightSideBecomesTheBuildSide) {
  auto ctx = session(4);
  // b (3 rows) LEFT JOIN a (2 rows): a builds, as a Right join, and the columns keep b's first.
  const std::string sql = "SELECT * FROM b LEFT JOIN a ON a.k = b.k AND a.k2 < b.k2";
  auto plans = explain(*ctx, sql);
  EXPECT_THAT(plans.physical, HasSubstr("ProjectionExec: expr=[k@3 as k, k2@4 as k2, k@0 as k, "
                                        "k2@1 as k2, s@2 as s]\n"
                                        "  HashJoinExec: mode=CollectLeft, join_type=Right, "
                                        "on=[(CAST(k@0 AS Int64), k@0)], filter=k2@1 < k2@4"));
  auto df = ctx->sql(sql + " ORDER BY b.k");
  ASSERT_TRUE(df.ok()) << df.status().ToString();
  auto table = (*df)->collect();
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto combined = (*table)->CombineChunks().ValueOrDie();
  EXPECT_EQ(combined->schema()->ToString(), "k: int64\nk2: int32\nk: int32\nk2: int32\ns: string");
  // b.k = 1 (k2 1) meets a (1, 2) but 2 < 1 fails; b.k = 2 (k2 5) matches a (2, 3, 'y').
  std::string rows;
  for (int64_t r = 0; r < combined->num_rows(); ++r) {
    for (int c = 0; c < combined->num_columns(); ++c) {
      rows += combined->column(c)->GetScalar(r).ValueOrDie()->ToString() + " ";
    }
    rows += "| ";
  }
  EXPECT_EQ(rows, "1 1 null null null | 2 5 2 3 y | 3 3 null null null | ");
}

TEST(JoinPlannerTest, SemiAndAntiJoinsBuildOnTheSmallerSide) {
  auto ctx = session(4);
  // The subquery (a, 2 rows) is smaller than b (3 rows): it builds, as RightSemi/RightAnti.
  auto plans = explain(*ctx, "SELECT * FROM b WHERE EXISTS (SELECT 1 FROM a WHERE a.k = b.k)");
  EXPECT_THAT(plans.physical, HasSubstr("join_type=RightSemi"));
  EXPECT_THAT(plans.physical, Not(HasSubstr("ProjectionExec: expr=[k@2")));
  plans = explain(*ctx, "SELECT * FROM b WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.k = b.k)");
  EXPECT_THAT(plans.physical, HasSubstr("join_type=RightAnti"));
  // NOT IN's null-aware anti join keeps the subquery on the right whatever the sizes.
  plans = explain(*ctx, "SELECT * FROM a WHERE k NOT IN (SELECT k FROM b)");
  EXPECT_THAT(plans.physical, HasSubstr("join_type=LeftAnti"));
  plans = explain(*ctx, "SELECT * FROM b WHERE k NOT IN (SELECT k FROM a)");
  EXPECT_THAT(plans.physical, HasSubstr("join_type=LeftAnti"));
}

TEST(JoinPlannerTest, SidesOfUnknownSizeAreNeverCollected) {
  auto ctx = session(2);
  auto df = ctx->sql("SELECT * FROM a");
  ASSERT_TRUE(df.ok());
  const auto scan = (*df)->logical_plan();
  // A memory table knows its 2 rows.
  EXPECT_EQ(optimizer::estimate_known_rows(*scan), 2.0);
  auto values = logical::make_values({{i64(1)}, {i64(2)}, {i64(3)}}).ValueOrDie();
  EXPECT_EQ(optimizer::estimate_known_rows(*values), 3.0);
  // A scan whose provider has no row count: unknown, unless a limit caps it.
  auto unknown = logical::make_table_scan("u", std::make_shared<UnsizedTable>()).ValueOrDie();
  EXPECT_EQ(optimizer::estimate_known_rows(*unknown), std::nullopt);
  auto limited = logical::make_limit(unknown, 0, 5).ValueOrDie();
  EXPECT_EQ(optimizer::estimate_known_rows(*limited), 5.0);
  auto join =
      logical::make_join(values, unknown, logical::JoinType::kCross, {}, nullptr).ValueOrDie();
  EXPECT_EQ(optimizer::estimate_known_rows(*join), std::nullopt);
}

}  // namespace
}  // namespace quiver::planner
