#include <gtest/gtest.h>

#include "optimizer_test_tables.h"
#include "quiver/optimizer/limit_pushdown.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using namespace test_tables;  // NOLINT

TEST(LimitPushdownTest, MovesBelowProjectionAndSetsScanFetch) {
  auto plan = ok(logical::make_limit(
      ok(logical::make_projection(scan("t", abcd_table()), {col("t.a")})), 2, 10));
  ASSERT_EQ(plan->display_indent(),
            "Limit: skip=2, fetch=10\n"
            "  Projection: t.a\n"
            "    TableScan: t");
  EXPECT_EQ(run(LimitPushdown(), plan)->display_indent(),
            "Projection: t.a\n"
            "  Limit: skip=2, fetch=10\n"
            "    TableScan: t fetch=12");
}

TEST(LimitPushdownTest, SortBecomesTopK) {
  auto sorted =
      ok(logical::make_sort(scan("t", abcd_table()), {logical::SortExpr{col("t.a"), false, true}}));
  EXPECT_EQ(run(LimitPushdown(), ok(logical::make_limit(sorted, 0, 5)))->display_indent(),
            "Sort: t.a DESC NULLS FIRST, fetch=5\n"
            "  TableScan: t");
  // With an offset the Limit stays for the skip; the sort keeps skip + fetch rows.
  EXPECT_EQ(run(LimitPushdown(), ok(logical::make_limit(sorted, 3, 5)))->display_indent(),
            "Limit: skip=3, fetch=5\n"
            "  Sort: t.a DESC NULLS FIRST, fetch=8\n"
            "    TableScan: t");
}

TEST(LimitPushdownTest, PushesIntoEveryUnionInputAndKeepsOuterLimit) {
  auto u = ok(logical::make_union({scan("t", abcd_table()), scan("u", abcd_table())}));
  EXPECT_EQ(run(LimitPushdown(), ok(logical::make_limit(u, 1, 4)))->display_indent(),
            "Limit: skip=1, fetch=4\n"
            "  Union\n"
            "    Limit: skip=0, fetch=5\n"
            "      TableScan: t fetch=5\n"
            "    Limit: skip=0, fetch=5\n"
            "      TableScan: u fetch=5");
}

TEST(LimitPushdownTest, StopsAtFilterAndAggregate) {
  auto filtered = ok(logical::make_limit(
      ok(logical::make_filter(scan("t", abcd_table()), bin(col("t.a"), BinaryOp::kGt, i64(0)))), 0,
      3));
  EXPECT_EQ(run(LimitPushdown(), filtered)->display_indent(), filtered->display_indent());
  auto agg = ok(logical::make_limit(
      ok(logical::make_aggregate(scan("t", abcd_table()), {col("t.b")}, {})), 0, 3));
  EXPECT_EQ(run(LimitPushdown(), agg)->display_indent(), agg->display_indent());
}

TEST(LimitPushdownTest, MergesStackedLimits) {
  // Rows 2..11 of the input, then rows 3..5 of those: rows 5..7 of the input.
  auto inner = ok(logical::make_limit(scan("t", abcd_table()), 2, 10));
  auto plan = ok(logical::make_limit(inner, 3, 3));
  EXPECT_EQ(run(LimitPushdown(), plan)->display_indent(),
            "Limit: skip=5, fetch=3\n"
            "  TableScan: t fetch=8");
  // An outer window past the end of the inner one keeps nothing.
  auto past = ok(logical::make_limit(ok(logical::make_limit(scan("t", abcd_table()), 0, 2)), 5, 3));
  EXPECT_EQ(run(LimitPushdown(), past)->display_indent(),
            "Limit: skip=5, fetch=0\n"
            "  TableScan: t fetch=5");
}

TEST(LimitPushdownTest, OffsetOnlyLimitDoesNotTouchScan) {
  auto plan = ok(logical::make_limit(scan("t", abcd_table()), 4, std::nullopt));
  EXPECT_EQ(run(LimitPushdown(), plan)->display_indent(),
            "Limit: skip=4, fetch=None\n"
            "  TableScan: t");
}

TEST(LimitPushdownTest, DisabledByOption) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.limit_pushdown", "false").ok());
  auto plan = ok(logical::make_limit(scan("t", abcd_table()), 0, 1));
  EXPECT_EQ(run(LimitPushdown(), plan, options), plan);
}

}  // namespace
}  // namespace quiver::optimizer
