#include "quiver/optimizer/common_subexpressions.h"

#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "optimizer_test_tables.h"
#include "quiver/catalog/session_context.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using logical::ExprPtr;
using logical::LogicalPlanPtr;
using namespace test_tables;  // NOLINT

// `CASE WHEN when THEN then [ELSE otherwise] END`.
ExprPtr case_when(ExprPtr when, ExprPtr then, ExprPtr otherwise = nullptr) {
  auto e = std::make_shared<logical::Expr>();
  e->kind = logical::ExprKind::kCase;
  e->when_then = {{std::move(when), std::move(then)}};
  e->case_else = std::move(otherwise);
  return e;
}

// `name(arg) FILTER (WHERE filter)`.
ExprPtr filtered(const std::string& name, ExprPtr arg, ExprPtr filter) {
  auto e = std::make_shared<logical::Expr>(*logical::aggregate_function(name, {std::move(arg)}));
  e->filter = std::move(filter);
  return e;
}

// `1 - t.a`, `t.a * (1 - t.a)`: q01's `l_extendedprice * (1 - l_discount)` in miniature.
ExprPtr one_minus_a() { return bin(i64(1), BinaryOp::kMinus, col("t.a")); }
ExprPtr disc_price() { return bin(col("t.a"), BinaryOp::kMultiply, one_minus_a()); }

// Runs the rule and also checks nullability, which `run` does not compare.
LogicalPlanPtr cse(const LogicalPlanPtr& plan,
                   const common::ConfigOptions& options = common::ConfigOptions()) {
  auto out = run(EliminateCommonSubexpressions(), plan, options);
  for (int i = 0; i < std::min(plan->schema.num_fields(), out->schema.num_fields()); ++i) {
    EXPECT_EQ(out->schema.field(i).qualifier, plan->schema.field(i).qualifier);
    EXPECT_EQ(out->schema.field(i).field->nullable(), plan->schema.field(i).field->nullable())
        << out->schema.field(i).flat_name();
  }
  return out;
}

TEST(CommonSubexpressionsTest, AggregateArgumentsShareTheLargestExpression) {
  auto charge = bin(disc_price(), BinaryOp::kMultiply, bin(i64(1), BinaryOp::kPlus, col("t.a")));
  auto plan = ok(logical::make_aggregate(
      scan("t", abcd_table()), {col("t.b")},
      {logical::aggregate_function("sum", {disc_price()}),
       logical::alias(logical::aggregate_function("sum", {charge}), "sum_charge"),
       logical::aggregate_function("count", {i64(1)})}));
  EXPECT_EQ(cse(plan)->display_indent(),
            "Aggregate: groupBy=[[t.b]], aggr=[[sum(__common_expr_1) AS sum(t.a * (Int64(1) - "
            "t.a)), sum(__common_expr_1 * (Int64(1) + t.a)) AS sum_charge, count(Int64(1))]]\n"
            "  Projection: t.a * (Int64(1) - t.a) AS __common_expr_1, t.a, t.b\n"
            "    TableScan: t");
}

TEST(CommonSubexpressionsTest, GroupKeyRepeatedInAnAggregateAndProjectionOutputs) {
  auto a1 = bin(col("t.a"), BinaryOp::kPlus, i64(1));
  auto agg = ok(logical::make_aggregate(scan("t", abcd_table()), {a1},
                                        {logical::aggregate_function("max", {a1})}));
  EXPECT_EQ(cse(agg)->display_indent(),
            "Aggregate: groupBy=[[__common_expr_1 AS t.a + Int64(1)]], aggr=[[max(__common_expr_1) "
            "AS max(t.a + Int64(1))]]\n"
            "  Projection: t.a + Int64(1) AS __common_expr_1\n"
            "    TableScan: t");

  auto proj = ok(logical::make_projection(
      scan("t", abcd_table()),
      {a1, logical::alias(bin(a1, BinaryOp::kMultiply, i64(2)), "twice"), col("t.b")}));
  EXPECT_EQ(cse(proj)->display_indent(),
            "Projection: __common_expr_1 AS t.a + Int64(1), __common_expr_1 * Int64(2) AS twice, "
            "t.b\n"
            "  Projection: t.a + Int64(1) AS __common_expr_1, t.b\n"
            "    TableScan: t");
}

TEST(CommonSubexpressionsTest, SingleOccurrencesStay) {
  auto plan = ok(logical::make_projection(
      scan("t", abcd_table()), {disc_price(), bin(col("t.a"), BinaryOp::kPlus, i64(1))}));
  EXPECT_EQ(cse(plan), plan);
}

TEST(CommonSubexpressionsTest, RepeatsOnlyInConditionalPlacesStay) {
  // `10 / t.a` is only evaluated where a CASE branch or a later coalesce argument chose it:
  // computing it on every row would divide by zero.
  auto ten_over_a = [] { return bin(i64(10), BinaryOp::kDivide, col("t.a")); };
  auto a_not_0 = [] { return bin(col("t.a"), BinaryOp::kNotEq, i64(0)); };
  auto plan = ok(logical::make_projection(
      scan("t", abcd_table()),
      {logical::alias(case_when(a_not_0(), ten_over_a()), "x"),
       logical::alias(case_when(bin(col("t.a"), BinaryOp::kGt, i64(1)), i64(0), ten_over_a()), "y"),
       logical::alias(logical::scalar_function("coalesce", {col("t.a"), ten_over_a()}), "z")}));
  EXPECT_EQ(cse(plan), plan);

  // Aggregate arguments under a FILTER are conditional too.
  auto agg = ok(logical::make_aggregate(
      scan("t", abcd_table()), {},
      {filtered("sum", ten_over_a(), a_not_0()),
       filtered("max", ten_over_a(), bin(col("t.a"), BinaryOp::kGt, i64(1)))}));
  EXPECT_EQ(cse(agg), agg);
}

TEST(CommonSubexpressionsTest, WholeCaseRepeatedIsHoistedAsOne) {
  auto guarded = [] {
    return case_when(bin(col("t.a"), BinaryOp::kNotEq, i64(0)),
                     bin(i64(10), BinaryOp::kDivide, col("t.a")));
  };
  auto plan = ok(logical::make_projection(
      scan("t", abcd_table()), {logical::alias(guarded(), "x"),
                                logical::alias(bin(guarded(), BinaryOp::kPlus, i64(1)), "y")}));
  EXPECT_EQ(cse(plan)->display_indent(),
            "Projection: __common_expr_1 AS x, __common_expr_1 + Int64(1) AS y\n"
            "  Projection: CASE WHEN t.a != Int64(0) THEN Int64(10) / t.a END AS "
            "__common_expr_1\n"
            "    TableScan: t");
}

TEST(CommonSubexpressionsTest, OneUnconditionalOccurrenceHoistsTheConditionalOnesToo) {
  // `t.a + 1` is computed on every row for y, so the CASE branch and the coalesce argument
  // may read the hoisted column; the first WHEN is itself evaluated on every row.
  auto a1 = [] { return bin(col("t.a"), BinaryOp::kPlus, i64(1)); };
  auto plan = ok(logical::make_projection(
      scan("t", abcd_table()),
      {logical::alias(case_when(bin(col("t.c"), BinaryOp::kGt, i32(0)), a1()), "x"),
       logical::alias(a1(), "y"),
       logical::alias(logical::scalar_function("coalesce", {col("t.a"), a1()}), "z")}));
  EXPECT_EQ(cse(plan)->display_indent(),
            "Projection: CASE WHEN t.c > Int32(0) THEN __common_expr_1 END AS x, __common_expr_1 "
            "AS y, coalesce(t.a, __common_expr_1) AS z\n"
            "  Projection: t.a + Int64(1) AS __common_expr_1, t.a, t.c\n"
            "    TableScan: t");

  auto first_when = ok(logical::make_projection(
      scan("t", abcd_table()),
      {logical::alias(case_when(bin(a1(), BinaryOp::kGt, i64(0)), i64(1)), "x"),
       logical::alias(case_when(bin(col("t.c"), BinaryOp::kGt, i32(0)), a1()), "y")}));
  EXPECT_EQ(cse(first_when)->display_indent(),
            "Projection: CASE WHEN __common_expr_1 > Int64(0) THEN Int64(1) END AS x, CASE WHEN "
            "t.c > Int32(0) THEN __common_expr_1 END AS y\n"
            "  Projection: t.a + Int64(1) AS __common_expr_1, t.c\n"
            "    TableScan: t");
}

TEST(CommonSubexpressionsTest, FilterPredicatesAreUnconditional) {
  auto a_pos = [] { return bin(col("t.a"), BinaryOp::kGt, i64(0)); };
  auto agg = ok(logical::make_aggregate(
      scan("t", abcd_table()), {},
      {filtered("sum", col("t.a"), a_pos()), filtered("count", i64(1), a_pos())}));
  EXPECT_EQ(cse(agg)->display_indent(),
            "Aggregate: groupBy=[[]], aggr=[[sum(t.a) FILTER (WHERE __common_expr_1) AS sum(t.a) "
            "FILTER (WHERE t.a > Int64(0)), count(Int64(1)) FILTER (WHERE __common_expr_1) AS "
            "count(Int64(1)) FILTER (WHERE t.a > Int64(0))]]\n"
            "  Projection: t.a > Int64(0) AS __common_expr_1, t.a\n"
            "    TableScan: t");
}

TEST(CommonSubexpressionsTest, AHoistedExpressionInsideAnotherIsPassedThroughNotRenamed) {
  // `t.a + 1` and `t.a + 1 > 1` are both hoisted; one level down `t.a + 1` is computed once and
  // passed through under the name the level above gave it.
  auto a1 = [] { return bin(col("t.a"), BinaryOp::kPlus, i64(1)); };
  auto over_1 = [&] { return bin(a1(), BinaryOp::kGt, i64(1)); };
  auto agg = ok(logical::make_aggregate(
      scan("t", abcd_table()), {},
      {filtered("count", i64(1), over_1()), filtered("sum", col("t.c"), over_1()),
       logical::aggregate_function("count", {a1()})}));
  EXPECT_EQ(cse(agg)->display_indent(),
            "Aggregate: groupBy=[[]], aggr=[[count(Int64(1)) FILTER (WHERE __common_expr_1) AS "
            "count(Int64(1)) FILTER (WHERE t.a + Int64(1) > Int64(1)), sum(t.c) FILTER (WHERE "
            "__common_expr_1) AS sum(t.c) FILTER (WHERE t.a + Int64(1) > Int64(1)), "
            "count(__common_expr_2) AS count(t.a + Int64(1))]]\n"
            "  Projection: __common_expr_2 > Int64(1) AS __common_expr_1, __common_expr_2, t.c\n"
            "    Projection: t.a + Int64(1) AS __common_expr_2, t.c\n"
            "      TableScan: t");
}

TEST(CommonSubexpressionsTest, VolatileExpressionsStay) {
  auto noisy = [] {
    return bin(logical::scalar_function("random", {}), BinaryOp::kMultiply, col("t.d"));
  };
  auto plan = ok(logical::make_projection(
      scan("t", abcd_table()), {logical::alias(noisy(), "x"), logical::alias(noisy(), "y")}));
  EXPECT_EQ(cse(plan), plan);
}

TEST(CommonSubexpressionsTest, NodesWithSubqueriesStay) {
  // The columns a subquery reads from the node's input are not visible to the rewrite.
  auto subquery = std::make_shared<logical::Expr>();
  subquery->kind = logical::ExprKind::kScalarSubquery;
  subquery->subquery = ok(logical::make_projection(scan("u", abcd_table()), {col("u.a")}));
  auto a1 = [] { return bin(col("t.a"), BinaryOp::kPlus, i64(1)); };
  auto plan = ok(logical::make_projection(
      scan("t", abcd_table()),
      {logical::alias(a1(), "x"), logical::alias(bin(a1(), BinaryOp::kPlus, subquery), "y")}));
  EXPECT_EQ(cse(plan), plan);
}

TEST(CommonSubexpressionsTest, SharedPartsOfHoistedExpressionsGoOneLevelDown) {
  auto x = [] { return bin(one_minus_a(), BinaryOp::kMultiply, col("t.a")); };
  auto y = [] { return bin(one_minus_a(), BinaryOp::kPlus, col("t.a")); };
  auto plan = ok(logical::make_projection(scan("t", abcd_table()),
                                          {logical::alias(x(), "x1"), logical::alias(x(), "x2"),
                                           logical::alias(y(), "y1"), logical::alias(y(), "y2")}));
  EXPECT_EQ(cse(plan)->display_indent(),
            "Projection: __common_expr_1 AS x1, __common_expr_1 AS x2, __common_expr_2 AS y1, "
            "__common_expr_2 AS y2\n"
            "  Projection: __common_expr_3 * t.a AS __common_expr_1, __common_expr_3 + t.a AS "
            "__common_expr_2\n"
            "    Projection: Int64(1) - t.a AS __common_expr_3, t.a\n"
            "      TableScan: t");
}

TEST(CommonSubexpressionsTest, NamesAvoidInputColumns) {
  auto table = std::make_shared<FakeTable>(arrow::schema(
      {arrow::field("a", arrow::int64()), arrow::field("__common_expr_1", arrow::int64())}));
  auto a1 = [] { return bin(col("t.a"), BinaryOp::kPlus, i64(1)); };
  auto plan = ok(logical::make_projection(
      scan("t", table),
      {logical::alias(a1(), "x"), logical::alias(a1(), "y"), col("t.__common_expr_1")}));
  EXPECT_EQ(cse(plan)->display_indent(),
            "Projection: __common_expr_2 AS x, __common_expr_2 AS y, t.__common_expr_1\n"
            "  Projection: t.a + Int64(1) AS __common_expr_2, t.__common_expr_1\n"
            "    TableScan: t");
}

TEST(CommonSubexpressionsTest, OptionTurnsItOff) {
  auto plan = ok(logical::make_aggregate(scan("t", abcd_table()), {},
                                         {logical::aggregate_function("sum", {disc_price()}),
                                          logical::aggregate_function("max", {disc_price()})}));
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.eliminate_common_subexpressions", "false").ok());
  EXPECT_EQ(cse(plan, options), plan);
  EXPECT_NE(cse(plan), plan);
}

// Returns EXPLAIN's (logical, physical) plan texts for `sql`.
std::pair<std::string, std::string> explain(catalog::SessionContext& ctx, const std::string& sql) {
  auto df = ctx.sql("EXPLAIN " + sql);
  EXPECT_TRUE(df.ok()) << df.status().ToString();
  if (!df.ok()) return {};
  auto table = (*df)->collect();
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  if (!table.ok() || (*table)->num_rows() != 2) return {};
  auto combined = (*table)->CombineChunks().ValueOrDie();
  auto text = [&](int64_t row) {
    return combined->column(1)->GetScalar(row).ValueOrDie()->ToString();
  };
  return {text(0), text(1)};
}

TEST(CommonSubexpressionsTest, ExplainShowsTheHoistedProjection) {
  auto ctx = catalog::SessionContext::Make();
  auto schema =
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::utf8())});
  ASSERT_TRUE(ctx->register_arrow_table("t", arrow::Table::MakeEmpty(schema).ValueOrDie()).ok());
  const std::string sql =
      "SELECT b, sum(a * (1 - a)) AS s, sum(a * (1 - a) * (1 + a)) FROM t GROUP BY b";
  auto [logical_plan, physical_plan] = explain(*ctx, sql);
  EXPECT_EQ(logical_plan,
            "Projection: t.b, sum(t.a * (Int64(1) - t.a)) AS s, sum(t.a * (Int64(1) - t.a) * "
            "(Int64(1) + t.a))\n"
            "  Aggregate: groupBy=[[t.b]], aggr=[[sum(__common_expr_1) AS sum(t.a * (Int64(1) - "
            "t.a)), sum(__common_expr_1 * (Int64(1) + t.a)) AS sum(t.a * (Int64(1) - t.a) * "
            "(Int64(1) + t.a))]]\n"
            "    Projection: t.a * (Int64(1) - t.a) AS __common_expr_1, t.a, t.b\n"
            "      TableScan: t");
  EXPECT_THAT(physical_plan, ::testing::HasSubstr("ProjectionExec: expr=[a@0 * (Int64(1) - a@0) as "
                                                  "__common_expr_1, a@0 as a, b@1 as b]"));

  ASSERT_TRUE(ctx->set_option("optimizer.eliminate_common_subexpressions", "false").ok());
  EXPECT_EQ(explain(*ctx, sql).first,
            "Projection: t.b, sum(t.a * (Int64(1) - t.a)) AS s, sum(t.a * (Int64(1) - t.a) * "
            "(Int64(1) + t.a))\n"
            "  Aggregate: groupBy=[[t.b]], aggr=[[sum(t.a * (Int64(1) - t.a)), sum(t.a * (Int64(1) "
            "- t.a) * (Int64(1) + t.a))]]\n"
            "    TableScan: t");
}

}  // namespace
}  // namespace quiver::optimizer
