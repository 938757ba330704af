#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "optimizer_join_tables.h"
#include "quiver/optimizer/cardinality.h"
#include "quiver/optimizer/join_reorder.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using logical::JoinType;
using namespace test_tables;  // NOLINT
using namespace join_tables;  // NOLINT

// Counts the lines of `text` containing `needle`.
int count_lines(const std::string& text, const std::string& needle) {
  int n = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (text.substr(start, end - start).find(needle) != std::string::npos) ++n;
    start = end + 1;
  }
  return n;
}

TEST(CardinalityTest, EstimatesScansFiltersAndJoins) {
  auto fact = sized_scan("fact", {"id", "dim_id"}, 10000);
  auto dim = sized_scan("dim", {"id", "v"}, 100);
  EXPECT_DOUBLE_EQ(estimate_rows(*fact), 10000);
  EXPECT_DOUBLE_EQ(estimate_rows(*sized_scan("unknown", {"a"})), 1000);
  EXPECT_DOUBLE_EQ(estimate_rows(*where(dim, {bin(col("dim.v"), BinaryOp::kEq, i64(1))})), 10);
  EXPECT_NEAR(estimate_rows(*where(fact, {bin(col("fact.id"), BinaryOp::kGt, i64(1)),
                                          bin(col("fact.id"), BinaryOp::kEq, i64(1))})),
              330, 1e-6);
  // A foreign key into the smaller table's key: one row per referencing row.
  auto fk = join(dim, fact, JoinType::kInner, {{col("dim.id"), col("fact.dim_id")}});
  EXPECT_DOUBLE_EQ(estimate_rows(*fk), 10000);
  // A filter keeping a tenth of the referenced rows keeps a tenth of the join.
  auto filtered = join(where(dim, {bin(col("dim.v"), BinaryOp::kEq, i64(1))}), fact,
                       JoinType::kInner, {{col("dim.id"), col("fact.dim_id")}});
  EXPECT_DOUBLE_EQ(estimate_rows(*filtered), 1000);
  EXPECT_DOUBLE_EQ(estimate_rows(*cross(dim, fact)), 1000000);
  auto left = join(dim, fact, JoinType::kLeft, {{col("dim.v"), col("fact.id")}},
                   bin(col("dim.v"), BinaryOp::kLt, col("fact.id")));
  EXPECT_DOUBLE_EQ(estimate_rows(*left), 100 * 10000 / 100 * 0.33);
  // A semi join keeps the rows that find a partner: all of them against every dim row, a tenth
  // against a tenth of the dim rows; an anti join (and a semi join without keys) half.
  auto semi = join(fact, dim, JoinType::kLeftSemi, {{col("fact.dim_id"), col("dim.id")}});
  EXPECT_DOUBLE_EQ(estimate_rows(*semi), 10000);
  auto filtered_semi = join(fact, where(dim, {bin(col("dim.v"), BinaryOp::kEq, i64(1))}),
                            JoinType::kLeftSemi, {{col("fact.dim_id"), col("dim.id")}});
  EXPECT_DOUBLE_EQ(estimate_rows(*filtered_semi), 1000);
  auto anti = join(fact, dim, JoinType::kLeftAnti, {{col("fact.dim_id"), col("dim.id")}});
  EXPECT_DOUBLE_EQ(estimate_rows(*anti), 5000);
  // Traced to fact's 10000 rows, capped by the filtered join's 1000.
  EXPECT_DOUBLE_EQ(estimate_distinct(*col("fact.id"), *filtered), 1000);
  EXPECT_DOUBLE_EQ(estimate_distinct(*col("fact.id"), *fact), 10000);
}

logical::ExprPtr like(const std::string& column, const std::string& pattern, bool negated) {
  auto e = std::make_shared<logical::Expr>();
  e->kind = logical::ExprKind::kLike;
  e->args = {col(column), str(pattern)};
  e->negated = negated;
  return e;
}

TEST(CardinalityTest, LikeKeepsFewerRowsTheLongerItsLiteralText) {
  // Each literal character keeps 0.6 of the rows; wildcards keep them all.
  EXPECT_NEAR(estimate_selectivity(*like("t.b", "%green%", false)), std::pow(0.6, 5), 1e-12);
  EXPECT_NEAR(estimate_selectivity(*like("t.b", "forest%", false)), std::pow(0.6, 6), 1e-12);
  EXPECT_NEAR(estimate_selectivity(*like("t.b", "a_c", false)), 0.36, 1e-12);
  EXPECT_DOUBLE_EQ(estimate_selectivity(*like("t.b", "%", false)), 1.0);
  EXPECT_NEAR(estimate_selectivity(*like("t.b", "%special%requests%", true)),
              1.0 - std::pow(0.6, 15), 1e-12);
  // At least 1e-4; a pattern that is no literal keeps a quarter.
  EXPECT_DOUBLE_EQ(estimate_selectivity(*like("t.b", std::string(40, 'x'), false)), 1e-4);
  auto computed = like("t.b", "x", false);
  auto copy = std::make_shared<logical::Expr>(*computed);
  copy->args[1] = col("t.b");
  EXPECT_DOUBLE_EQ(estimate_selectivity(*copy), 0.25);
}

TEST(JoinReorderTest, PutsTheSmallerSideOnTheLeftAndKeepsColumnOrder) {
  auto big = sized_scan("big", {"id", "v"}, 10000);
  auto small = sized_scan("small", {"id", "big_id"}, 100);
  auto plan = join(big, small, JoinType::kInner, {{col("big.id"), col("small.big_id")}});
  EXPECT_EQ(run(JoinReorder(), plan)->display_indent(),
            "Projection: big.id, big.v, small.id, small.big_id\n"
            "  Inner Join: small.big_id = big.id\n"
            "    TableScan: small\n"
            "    TableScan: big");
}

TEST(JoinReorderTest, AvoidsCrossProductsInAChain) {
  // a - b - c chain written as (a x c) x b with the conditions above: b must come between.
  auto a = sized_scan("a", {"a_id"}, 10);
  auto b = sized_scan("b", {"b_id", "b_a", "b_c"}, 100000);
  auto c = sized_scan("c", {"c_id"}, 1000);
  auto plan = join(cross(a, c), b, JoinType::kInner, {},
                   bin(eq("b.b_a", "a.a_id"), BinaryOp::kAnd, eq("b.b_c", "c.c_id")));
  EXPECT_EQ(run(JoinReorder(), plan)->display_indent(),
            "Projection: a.a_id, c.c_id, b.b_id, b.b_a, b.b_c\n"
            "  Inner Join: c.c_id = b.b_c\n"
            "    TableScan: c\n"
            "    Inner Join: a.a_id = b.b_a\n"
            "      TableScan: a\n"
            "      TableScan: b");
}

TEST(JoinReorderTest, LeavesOuterJoinsAndDisabledOptionAlone) {
  auto a = sized_scan("a", {"a_id"}, 100000);
  auto b = sized_scan("b", {"b_id"}, 10);
  auto left = join(a, b, JoinType::kLeft, {{col("a.a_id"), col("b.b_id")}});
  EXPECT_EQ(run(JoinReorder(), left)->display_indent(), left->display_indent());
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.join_reordering", "false").ok());
  auto inner = join(a, b, JoinType::kInner, {{col("a.a_id"), col("b.b_id")}});
  EXPECT_EQ(run(JoinReorder(), inner, options), inner);
}

TEST(JoinReorderTest, ReordersInsideAnOuterJoinsInputs) {
  auto a = sized_scan("a", {"a_id"}, 100000);
  auto b = sized_scan("b", {"b_id"}, 10);
  auto c = sized_scan("c", {"c_id"}, 50);
  auto inner = join(a, b, JoinType::kInner, {{col("a.a_id"), col("b.b_id")}});
  auto plan = join(c, inner, JoinType::kLeft, {{col("c.c_id"), col("a.a_id")}});
  EXPECT_EQ(run(JoinReorder(), plan)->display_indent(),
            "Left Join: c.c_id = a.a_id\n"
            "  TableScan: c\n"
            "  Projection: a.a_id, b.b_id\n"
            "    Inner Join: b.b_id = a.a_id\n"
            "      TableScan: b\n"
            "      TableScan: a");
}

TEST(JoinReorderTest, PlacesConditionsOverSeveralRelationsAndNone) {
  auto a = sized_scan("a", {"a_id", "v"}, 10);
  auto b = sized_scan("b", {"b_id", "b_a"}, 100);
  auto c = sized_scan("c", {"c_id", "c_b", "w"}, 1000);
  // a.v + b.b_id < c.w reads three relations: it waits for the join that brings in the last.
  auto three = bin(bin(col("a.v"), BinaryOp::kPlus, col("b.b_id")), BinaryOp::kLt, col("c.w"));
  auto plan = join(cross(c, b), a, JoinType::kInner, {},
                   bin(bin(eq("b.b_a", "a.a_id"), BinaryOp::kAnd, eq("c.c_b", "b.b_id")),
                       BinaryOp::kAnd, bin(three, BinaryOp::kAnd, boolean(true))));
  EXPECT_EQ(run(JoinReorder(), plan)->display_indent(),
            "Projection: c.c_id, c.c_b, c.w, b.b_id, b.b_a, a.a_id, a.v\n"
            "  Filter: Boolean(true)\n"
            "    Inner Join: b.b_id = c.c_b Filter: a.v + b.b_id < c.w\n"
            "      Inner Join: a.a_id = b.b_a\n"
            "        TableScan: a\n"
            "        TableScan: b\n"
            "      TableScan: c");
}

TEST(JoinReorderTest, LeavesTreesWithUnresolvableConditionsAlone) {
  // Both inputs are called x (the binder would refuse it): `x.k` resolves in both.
  auto one = ok(logical::make_subquery_alias(sized_scan("a", {"k"}, 100000), "x"));
  auto two = ok(logical::make_subquery_alias(sized_scan("b", {"k"}, 10), "x"));
  auto plan = join(one, two, JoinType::kInner, {}, bin(col("x.k"), BinaryOp::kGt, i64(0)));
  EXPECT_EQ(run(JoinReorder(), plan)->display_indent(), plan->display_indent());
}

}  // namespace
}  // namespace quiver::optimizer
