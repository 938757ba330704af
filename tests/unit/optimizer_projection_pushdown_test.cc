#include <gtest/gtest.h>

#include "optimizer_test_tables.h"
#include "quiver/optimizer/projection_pushdown.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using namespace test_tables;  // NOLINT

TEST(ProjectionPushdownTest, ScanReadsProjectedAndFilteredColumns) {
  auto plan = ok(logical::make_projection(
      ok(logical::make_filter(scan("t", abcd_table()), bin(col("t.c"), BinaryOp::kGt, i32(1)))),
      {bin(col("t.d"), BinaryOp::kMultiply,
           logical::lit(std::make_shared<arrow::DoubleScalar>(2)))}));
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Projection: t.d * Float64(2)\n"
            "  Filter: t.c > Int32(1)\n"
            "    TableScan: t projection=[c, d]");
}

TEST(ProjectionPushdownTest, ProjectionOfPlainColumnsFoldsIntoScan) {
  // Columns come out of the scan in table order; the projection restoring the query's order stays.
  auto reordered = ok(logical::make_projection(scan("t", abcd_table()), {col("t.c"), col("t.a")}));
  EXPECT_EQ(run(ProjectionPushdown(), reordered)->display_indent(),
            "Projection: t.c, t.a\n"
            "  TableScan: t projection=[a, c]");
  auto in_order = ok(logical::make_projection(scan("t", abcd_table()), {col("t.a"), col("t.c")}));
  EXPECT_EQ(run(ProjectionPushdown(), in_order)->display_indent(),
            "TableScan: t projection=[a, c]");
}

TEST(ProjectionPushdownTest, CountStarReadsCheapestColumn) {
  auto count = logical::aggregate_function("count", {i64(1)});
  auto plan = ok(logical::make_aggregate(scan("t", abcd_table()), {}, {count}));
  // a: Int64, b: Utf8, c: Int32, d: Float64 -> c is the narrowest.
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Aggregate: groupBy=[[]], aggr=[[count(Int64(1))]]\n"
            "  TableScan: t projection=[c]");
}

TEST(ProjectionPushdownTest, CountStarReadsNoColumnWhenProviderAllows) {
  auto count = logical::aggregate_function("count", {i64(1)});
  auto plan = ok(
      logical::make_aggregate(scan("t", abcd_table({}, /*empty_projection=*/true)), {}, {count}));
  auto out = run(ProjectionPushdown(), plan);
  EXPECT_EQ(out->display_indent(),
            "Aggregate: groupBy=[[]], aggr=[[count(Int64(1))]]\n"
            "  TableScan: t projection=[]");
  EXPECT_EQ(out->inputs[0]->schema.num_fields(), 0);
}

TEST(ProjectionPushdownTest, DropsUnusedAggregatesAndProjections) {
  auto sum_d = logical::aggregate_function("sum", {col("t.d")});
  auto max_c = logical::aggregate_function("max", {col("t.c")});
  auto agg = ok(logical::make_aggregate(scan("t", abcd_table()), {col("t.b")}, {sum_d, max_c}));
  auto plan = ok(logical::make_projection(agg, {col("t.b"), col(std::nullopt, "max(t.c)")}));
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Aggregate: groupBy=[[t.b]], aggr=[[max(t.c)]]\n"
            "  TableScan: t projection=[b, c]");
}

TEST(ProjectionPushdownTest, NarrowsThroughSubqueryAliasSortAndLimit) {
  auto inner = ok(logical::make_limit(
      ok(logical::make_sort(scan("t", abcd_table()), {logical::SortExpr{col("t.a")}})), 0, 5));
  auto plan =
      ok(logical::make_projection(ok(logical::make_subquery_alias(inner, "s")), {col("s.b")}));
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Projection: s.b\n"
            "  SubqueryAlias: s\n"
            "    Limit: skip=0, fetch=5\n"
            "      Sort: t.a ASC NULLS LAST\n"
            "        TableScan: t projection=[a, b]");
}

TEST(ProjectionPushdownTest, UnionInputsKeepTheSamePositions) {
  // The query reads union columns 0 and 2; both inputs must drop columns 1 and 3 alike.
  auto u_proj = ok(logical::make_projection(
      scan("u", abcd_table()),
      {col("u.c"), col("u.b"), logical::alias(bin(col("u.a"), BinaryOp::kPlus, i64(1)), "x"),
       col("u.d")}));
  auto t_cast = ok(logical::make_projection(scan("t", abcd_table()),
                                            {col("t.c"), col("t.b"), col("t.a"), col("t.d")}));
  auto u = ok(logical::make_union({t_cast, u_proj}));
  auto plan = ok(logical::make_projection(u, {col("c"), col("a")}));
  auto out = run(ProjectionPushdown(), plan);
  EXPECT_EQ(out->display_indent(),
            "Union\n"
            "  Projection: t.c, t.a\n"
            "    TableScan: t projection=[a, c]\n"
            "  Projection: u.c, u.a + Int64(1) AS x\n"
            "    TableScan: u projection=[a, c]");
}

TEST(ProjectionPushdownTest, ScanKeepsColumnsOfItsOwnFilters) {
  // An exact filter on `a` left no Filter above the scan, but the provider still reads `a`.
  auto filtered = ok(logical::make_table_scan(
      "t", abcd_table({"a"}), std::nullopt, {bin(col(std::nullopt, "a"), BinaryOp::kGt, i64(1))}));
  auto plan = ok(logical::make_projection(filtered, {col("t.b")}));
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Projection: t.b\n"
            "  TableScan: t projection=[a, b], filters=[a > Int64(1)]");
}

TEST(ProjectionPushdownTest, KeepsOutputSchemaWhenEverythingIsUsed) {
  auto plan =
      ok(logical::make_filter(scan("t", abcd_table()), bin(col("t.a"), BinaryOp::kGt, i64(0))));
  auto out = run(ProjectionPushdown(), plan);
  EXPECT_EQ(out->display_indent(),
            "Filter: t.a > Int64(0)\n"
            "  TableScan: t");
}

TEST(ProjectionPushdownTest, DisabledByOption) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.projection_pushdown", "false").ok());
  auto plan = ok(logical::make_projection(scan("t", abcd_table()), {col("t.a")}));
  EXPECT_EQ(run(ProjectionPushdown(), plan, options), plan);
}

}  // namespace
}  // namespace quiver::optimizer
