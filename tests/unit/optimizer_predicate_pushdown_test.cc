#include <gtest/gtest.h>

#include "optimizer_test_tables.h"
#include "quiver/optimizer/predicate_pushdown.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using namespace test_tables;  // NOLINT

TEST(PredicatePushdownTest, PushesConjunctsThroughProjectionIntoScan) {
  auto table = abcd_table();
  auto plan = ok(
      logical::make_filter(ok(logical::make_projection(scan("t", table), {col("t.a"), col("t.b")})),
                           bin(bin(col("t.a"), BinaryOp::kGt, i64(1)), BinaryOp::kAnd,
                               bin(col("t.b"), BinaryOp::kEq, str("x")))));
  ASSERT_EQ(plan->display_indent(),
            "Filter: t.a > Int64(1) AND t.b = Utf8(\"x\")\n"
            "  Projection: t.a, t.b\n"
            "    TableScan: t");
  auto out = run(PredicatePushdown(), plan);
  // Inexact support: the scan gets the filters, the Filter stays above it.
  EXPECT_EQ(out->display_indent(),
            "Projection: t.a, t.b\n"
            "  Filter: t.a > Int64(1) AND t.b = Utf8(\"x\")\n"
            "    TableScan: t filters=[a > Int64(1), b = Utf8(\"x\")]");
  EXPECT_EQ(table->asked(), (std::vector<std::string>{"a > Int64(1)", "b = Utf8(\"x\")"}));
}

TEST(PredicatePushdownTest, ExactFiltersLeaveNoFilterAbove) {
  auto table = abcd_table({"a"});
  auto plan = ok(logical::make_filter(scan("t", table),
                                      bin(bin(col("t.a"), BinaryOp::kGt, i64(1)), BinaryOp::kAnd,
                                          bin(col("t.b"), BinaryOp::kEq, str("x")))));
  auto out = run(PredicatePushdown(), plan);
  EXPECT_EQ(out->display_indent(),
            "Filter: t.b = Utf8(\"x\")\n"
            "  TableScan: t filters=[a > Int64(1), b = Utf8(\"x\")]");

  auto only_exact =
      ok(logical::make_filter(scan("t", table), bin(col("t.a"), BinaryOp::kLtEq, i64(7))));
  EXPECT_EQ(run(PredicatePushdown(), only_exact)->display_indent(),
            "TableScan: t filters=[a <= Int64(7)]");
}

TEST(PredicatePushdownTest, UnsupportedConjunctStaysInFilterAboveScan) {
  auto plan = ok(
      logical::make_filter(scan("t", abcd_table()),
                           bin(bin(bin(col("t.a"), BinaryOp::kPlus, i64(1)), BinaryOp::kGt, i64(3)),
                               BinaryOp::kAnd, bin(col("t.a"), BinaryOp::kLt, i64(10)))));
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Filter: t.a + Int64(1) > Int64(3) AND t.a < Int64(10)\n"
            "  TableScan: t filters=[a < Int64(10)]");
}

TEST(PredicatePushdownTest, RewritesColumnsToProjectedExpressions) {
  auto proj = ok(logical::make_projection(
      scan("t", abcd_table()),
      {logical::alias(bin(col("t.a"), BinaryOp::kPlus, i64(1)), "x"), col("t.b")}));
  auto plan = ok(logical::make_filter(proj, bin(col("x"), BinaryOp::kGt, i64(5))));
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Projection: t.a + Int64(1) AS x, t.b\n"
            "  Filter: t.a + Int64(1) > Int64(5)\n"
            "    TableScan: t");
}

TEST(PredicatePushdownTest, VolatileProjectionIsNotInlined) {
  auto proj = ok(logical::make_projection(
      scan("t", abcd_table()), {logical::alias(logical::scalar_function("random", {}), "r")}));
  auto plan =
      ok(logical::make_filter(proj, bin(col("r"), BinaryOp::kGt,
                                        logical::lit(std::make_shared<arrow::DoubleScalar>(0.5)))));
  const std::string before = plan->display_indent();
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(), before);
}

TEST(PredicatePushdownTest, NeverCrossesLimitOrTopK) {
  auto limited = ok(logical::make_filter(ok(logical::make_limit(scan("t", abcd_table()), 0, 5)),
                                         bin(col("t.a"), BinaryOp::kGt, i64(1))));
  EXPECT_EQ(run(PredicatePushdown(), limited)->display_indent(),
            "Filter: t.a > Int64(1)\n"
            "  Limit: skip=0, fetch=5\n"
            "    TableScan: t");

  auto top_k = ok(logical::make_filter(
      ok(logical::make_sort(scan("t", abcd_table()), {logical::SortExpr{col("t.a")}}, 3)),
      bin(col("t.a"), BinaryOp::kGt, i64(1))));
  EXPECT_EQ(run(PredicatePushdown(), top_k)->display_indent(),
            "Filter: t.a > Int64(1)\n"
            "  Sort: t.a ASC NULLS LAST, fetch=3\n"
            "    TableScan: t");
}

TEST(PredicatePushdownTest, CrossesSortAndRequalifiesThroughSubqueryAlias) {
  auto sorted = ok(logical::make_sort(scan("t", abcd_table()), {logical::SortExpr{col("t.a")}}));
  auto aliased = ok(logical::make_subquery_alias(sorted, "s"));
  auto plan = ok(logical::make_filter(aliased, bin(col("s.c"), BinaryOp::kEq, i32(4))));
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "SubqueryAlias: s\n"
            "  Sort: t.a ASC NULLS LAST\n"
            "    Filter: t.c = Int32(4)\n"
            "      TableScan: t filters=[c = Int32(4)]");
}

TEST(PredicatePushdownTest, PushesIntoEveryUnionInput) {
  auto u = ok(logical::make_union({scan("t", abcd_table()), scan("u", abcd_table())}));
  // A union's columns belong to no table: the filter names `a`, each input gets its own.
  auto plan = ok(logical::make_filter(u, bin(col("a"), BinaryOp::kGt, i64(1))));
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Union\n"
            "  Filter: t.a > Int64(1)\n"
            "    TableScan: t filters=[a > Int64(1)]\n"
            "  Filter: u.a > Int64(1)\n"
            "    TableScan: u filters=[a > Int64(1)]");
}

TEST(PredicatePushdownTest, PushesOnlyGroupColumnConjunctsBelowAggregate) {
  auto sum_c = logical::aggregate_function("sum", {col("t.c")});
  auto agg = ok(logical::make_aggregate(scan("t", abcd_table()), {col("t.b")}, {sum_c}));
  auto plan = ok(
      logical::make_filter(agg, bin(bin(col("t.b"), BinaryOp::kEq, str("k")), BinaryOp::kAnd,
                                    bin(col(std::nullopt, "sum(t.c)"), BinaryOp::kGt, i64(10)))));
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Filter: sum(t.c) > Int64(10)\n"
            "  Aggregate: groupBy=[[t.b]], aggr=[[sum(t.c)]]\n"
            "    Filter: t.b = Utf8(\"k\")\n"
            "      TableScan: t filters=[b = Utf8(\"k\")]");
}

TEST(PredicatePushdownTest, KeepsFiltersAboveGlobalAggregate) {
  auto agg = ok(logical::make_aggregate(scan("t", abcd_table()), {},
                                        {logical::aggregate_function("count", {i64(1)})}));
  auto plan = ok(logical::make_filter(agg, boolean(false)));
  const std::string before = plan->display_indent();
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(), before);
}

TEST(PredicatePushdownTest, MergesStackedFilters) {
  auto inner =
      ok(logical::make_filter(scan("t", abcd_table()), bin(col("t.a"), BinaryOp::kGt, i64(1))));
  auto plan = ok(logical::make_filter(inner, bin(col("t.c"), BinaryOp::kLt, i32(9))));
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Filter: t.a > Int64(1) AND t.c < Int32(9)\n"
            "  TableScan: t filters=[a > Int64(1), c < Int32(9)]");
}

TEST(PredicatePushdownTest, DisabledByOption) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.filter_pushdown", "false").ok());
  auto plan =
      ok(logical::make_filter(ok(logical::make_projection(scan("t", abcd_table()), {col("t.a")})),
                              bin(col("t.a"), BinaryOp::kGt, i64(1))));
  EXPECT_EQ(run(PredicatePushdown(), plan, options), plan);
}

}  // namespace
}  // namespace quiver::optimizer
