#include <gtest/gtest.h>

#include "optimizer_join_tables.h"
#include "quiver/optimizer/extract_equijoin.h"
#include "quiver/optimizer/join_pushdown.h"
#include "quiver/optimizer/predicate_pushdown.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using logical::JoinType;
using namespace test_tables;  // NOLINT
using namespace join_tables;  // NOLINT

logical::LogicalPlanPtr l_scan() { return sized_scan("l", {"a", "b"}); }
logical::LogicalPlanPtr r_scan() { return sized_scan("r", {"x", "y"}); }

TEST(JoinPushdownTest, CommaJoinBecomesInnerEquiJoin) {
  auto plan =
      where(cross(l_scan(), r_scan()),
            {eq("l.a", "r.x"), bin(col("l.b"), BinaryOp::kGt, i64(1)),
             bin(col("r.y"), BinaryOp::kLt, col("l.b")), bin(col("r.y"), BinaryOp::kEq, i64(3))});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Inner Join: l.a = r.x Filter: r.y < l.b\n"
            "  Filter: l.b > Int64(1)\n"
            "    TableScan: l filters=[b > Int64(1)]\n"
            "  Filter: r.y = Int64(3)\n"
            "    TableScan: r filters=[y = Int64(3)]");
}

TEST(JoinPushdownTest, InnerJoinOnConjunctsMoveIntoTheirSide) {
  auto plan = join(l_scan(), r_scan(), JoinType::kInner, {{col("l.a"), col("r.x")}},
                   bin(bin(col("l.b"), BinaryOp::kGt, i64(1)), BinaryOp::kAnd,
                       bin(col("r.y"), BinaryOp::kGt, i64(2))));
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Inner Join: l.a = r.x\n"
            "  Filter: l.b > Int64(1)\n"
            "    TableScan: l filters=[b > Int64(1)]\n"
            "  Filter: r.y > Int64(2)\n"
            "    TableScan: r filters=[y > Int64(2)]");
}

TEST(JoinPushdownTest, LeftJoinKeepsPreservedSideOnClauseAndPadsFilterAbove) {
  // ON l.a = r.x AND l.b > 1 AND r.y > 2, then WHERE l.b < 9 AND r.y IS NULL.
  auto on_filter = bin(bin(col("l.b"), BinaryOp::kGt, i64(1)), BinaryOp::kAnd,
                       bin(col("r.y"), BinaryOp::kGt, i64(2)));
  auto left_join = join(l_scan(), r_scan(), JoinType::kLeft, {{col("l.a"), col("r.x")}}, on_filter);
  auto is_null = std::make_shared<logical::Expr>();
  is_null->kind = logical::ExprKind::kIsNull;
  is_null->args = {col("r.y")};
  auto plan = where(left_join, {bin(col("l.b"), BinaryOp::kLt, i64(9)), is_null});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Filter: r.y IS NULL\n"
            "  Left Join: l.a = r.x Filter: l.b > Int64(1)\n"
            "    Filter: l.b < Int64(9)\n"
            "      TableScan: l filters=[b < Int64(9)]\n"
            "    Filter: r.y > Int64(2)\n"
            "      TableScan: r filters=[y > Int64(2)]");
}

TEST(JoinPushdownTest, NullRejectingFilterTurnsLeftJoinIntoInner) {
  auto left_join = join(l_scan(), r_scan(), JoinType::kLeft, {{col("l.a"), col("r.x")}},
                        bin(col("l.b"), BinaryOp::kGt, i64(1)));
  auto plan = where(left_join, {bin(col("r.y"), BinaryOp::kGt, i64(5))});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Inner Join: l.a = r.x\n"
            "  Filter: l.b > Int64(1)\n"
            "    TableScan: l filters=[b > Int64(1)]\n"
            "  Filter: r.y > Int64(5)\n"
            "    TableScan: r filters=[y > Int64(5)]");
}

TEST(JoinPushdownTest, RightJoinMirrorsLeftJoin) {
  auto right_join = join(l_scan(), r_scan(), JoinType::kRight, {{col("l.a"), col("r.x")}},
                         bin(bin(col("l.b"), BinaryOp::kGt, i64(1)), BinaryOp::kAnd,
                             bin(col("r.y"), BinaryOp::kGt, i64(2))));
  auto plan = where(right_join, {bin(col("r.y"), BinaryOp::kLt, i64(9))});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Right Join: l.a = r.x Filter: r.y > Int64(2)\n"
            "  Filter: l.b > Int64(1)\n"
            "    TableScan: l filters=[b > Int64(1)]\n"
            "  Filter: r.y < Int64(9)\n"
            "    TableScan: r filters=[y < Int64(9)]");
}

TEST(JoinPushdownTest, FullJoinMovesNothingButLosesPaddedSides) {
  auto full = join(l_scan(), r_scan(), JoinType::kFull, {{col("l.a"), col("r.x")}},
                   bin(col("l.b"), BinaryOp::kGt, i64(1)));
  auto is_null = std::make_shared<logical::Expr>();
  is_null->kind = logical::ExprKind::kIsNull;
  is_null->args = {col("r.y")};
  auto unchanged = where(full, {is_null});
  EXPECT_EQ(run(PredicatePushdown(), unchanged)->display_indent(),
            "Filter: r.y IS NULL\n"
            "  Full Join: l.a = r.x Filter: l.b > Int64(1)\n"
            "    TableScan: l\n"
            "    TableScan: r");
  // l.b < 9 removes the rows padding the left side: a Left join remains.
  auto plan = where(full, {bin(col("l.b"), BinaryOp::kLt, i64(9))});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Left Join: l.a = r.x Filter: l.b > Int64(1)\n"
            "  Filter: l.b < Int64(9)\n"
            "    TableScan: l filters=[b < Int64(9)]\n"
            "  TableScan: r");
  auto both =
      where(full, {bin(col("l.b"), BinaryOp::kLt, i64(9)), bin(col("r.y"), BinaryOp::kLt, i64(9))});
  EXPECT_EQ(run(PredicatePushdown(), both)->display_indent(),
            "Inner Join: l.a = r.x\n"
            "  Filter: l.b < Int64(9) AND l.b > Int64(1)\n"
            "    TableScan: l filters=[b < Int64(9), b > Int64(1)]\n"
            "  Filter: r.y < Int64(9)\n"
            "    TableScan: r filters=[y < Int64(9)]");
}

TEST(JoinPushdownTest, SemiAndAntiJoins) {
  auto on_filter = bin(bin(col("l.b"), BinaryOp::kGt, i64(1)), BinaryOp::kAnd,
                       bin(col("r.y"), BinaryOp::kGt, i64(2)));
  auto semi = join(l_scan(), r_scan(), JoinType::kLeftSemi, {{col("l.a"), col("r.x")}}, on_filter);
  EXPECT_EQ(run(PredicatePushdown(), where(semi, {bin(col("l.a"), BinaryOp::kLt, i64(7))}))
                ->display_indent(),
            "LeftSemi Join: l.a = r.x\n"
            "  Filter: l.a < Int64(7) AND l.b > Int64(1)\n"
            "    TableScan: l filters=[a < Int64(7), b > Int64(1)]\n"
            "  Filter: r.y > Int64(2)\n"
            "    TableScan: r filters=[y > Int64(2)]");
  auto anti = join(l_scan(), r_scan(), JoinType::kLeftAnti, {{col("l.a"), col("r.x")}}, on_filter);
  EXPECT_EQ(run(PredicatePushdown(), where(anti, {bin(col("l.a"), BinaryOp::kLt, i64(7))}))
                ->display_indent(),
            "LeftAnti Join: l.a = r.x Filter: l.b > Int64(1)\n"
            "  Filter: l.a < Int64(7)\n"
            "    TableScan: l filters=[a < Int64(7)]\n"
            "  Filter: r.y > Int64(2)\n"
            "    TableScan: r filters=[y > Int64(2)]");
}

TEST(JoinPushdownTest, NullAwareAntiJoinConditionIsKept) {
  auto anti = join(l_scan(), r_scan(), JoinType::kLeftAnti, {{col("l.a"), col("r.x")}},
                   bin(col("r.y"), BinaryOp::kGt, i64(2)), /*null_aware=*/true);
  EXPECT_EQ(run(PredicatePushdown(), anti)->display_indent(),
            "LeftAnti Join: l.a = r.x Filter: r.y > Int64(2)\n"
            "  TableScan: l\n"
            "  TableScan: r");
}

TEST(JoinPushdownTest, VolatileConjunctsStayAbove) {
  auto random_gt = bin(bin(col("l.b"), BinaryOp::kPlus, logical::scalar_function("random", {})),
                       BinaryOp::kGt, logical::lit(std::make_shared<arrow::DoubleScalar>(0.5)));
  auto plan = where(cross(l_scan(), r_scan()), {random_gt, eq("l.a", "r.x")});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Filter: l.b + random() > Float64(0.5)\n"
            "  Inner Join: l.a = r.x\n"
            "    TableScan: l\n"
            "    TableScan: r");
}

TEST(JoinPushdownTest, PushesThroughStackedJoins) {
  auto s = sized_scan("s", {"p", "q"});
  auto plan = where(cross(cross(l_scan(), r_scan()), s),
                    {eq("l.a", "r.x"), eq("r.y", "s.p"), bin(col("s.q"), BinaryOp::kEq, i64(4))});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Inner Join: r.y = s.p\n"
            "  Inner Join: l.a = r.x\n"
            "    TableScan: l\n"
            "    TableScan: r\n"
            "  Filter: s.q = Int64(4)\n"
            "    TableScan: s filters=[q = Int64(4)]");
}

TEST(JoinPushdownTest, KeyRepeatedInEveryOrBranchBecomesAKey) {
  // TPC-H Q19: (l.a = r.x AND l.b = 1 AND r.y < 5) OR (l.a = r.x AND l.b = 2).
  auto branch1 = bin(bin(eq("l.a", "r.x"), BinaryOp::kAnd, bin(col("l.b"), BinaryOp::kEq, i64(1))),
                     BinaryOp::kAnd, bin(col("r.y"), BinaryOp::kLt, i64(5)));
  auto branch2 = bin(eq("l.a", "r.x"), BinaryOp::kAnd, bin(col("l.b"), BinaryOp::kEq, i64(2)));
  auto plan = where(cross(l_scan(), r_scan()), {bin(branch1, BinaryOp::kOr, branch2)});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Inner Join: l.a = r.x Filter: l.b = Int64(1) AND r.y < Int64(5) OR l.b = Int64(2)\n"
            "  Filter: l.b = Int64(1) OR l.b = Int64(2)\n"
            "    TableScan: l\n"
            "  TableScan: r");
  // A branch holding only the shared conjunct absorbs the others.
  auto absorbed = where(cross(l_scan(), r_scan()), {bin(eq("l.a", "r.x"), BinaryOp::kOr, branch2)});
  EXPECT_EQ(run(PredicatePushdown(), absorbed)->display_indent(),
            "Inner Join: l.a = r.x\n"
            "  TableScan: l\n"
            "  TableScan: r");
}

TEST(JoinPushdownTest, RejectsNulls) {
  const auto plan = r_scan();
  const auto& right = plan->schema;
  EXPECT_TRUE(rejects_nulls(*bin(col("r.y"), BinaryOp::kGt, i64(5)), right));
  EXPECT_TRUE(rejects_nulls(
      *bin(bin(col("r.y"), BinaryOp::kPlus, i64(1)), BinaryOp::kEq, col("l.a")), right));
  EXPECT_TRUE(rejects_nulls(*bin(bin(col("r.y"), BinaryOp::kGt, i64(5)), BinaryOp::kOr,
                                 bin(col("r.x"), BinaryOp::kLt, i64(0))),
                            right));
  EXPECT_FALSE(rejects_nulls(*bin(bin(col("r.y"), BinaryOp::kGt, i64(5)), BinaryOp::kOr,
                                  bin(col("l.a"), BinaryOp::kLt, i64(0))),
                             right));
  EXPECT_FALSE(rejects_nulls(*bin(col("l.a"), BinaryOp::kGt, i64(5)), right));
  EXPECT_FALSE(rejects_nulls(*bin(col("r.y"), BinaryOp::kIsDistinctFrom, i64(5)), right));
  EXPECT_FALSE(rejects_nulls(
      *bin(logical::scalar_function("coalesce", {col("r.y"), i64(0)}), BinaryOp::kEq, i64(0)),
      right));
  auto is_not_null = std::make_shared<logical::Expr>();
  is_not_null->kind = logical::ExprKind::kIsNull;
  is_not_null->negated = true;
  is_not_null->args = {col("r.y")};
  EXPECT_TRUE(rejects_nulls(*is_not_null, right));
  auto is_null = std::make_shared<logical::Expr>(*is_not_null);
  is_null->negated = false;
  EXPECT_FALSE(rejects_nulls(*is_null, right));
}

TEST(ExtractEquijoinTest, MovesEqualitiesBetweenInputsToKeys) {
  auto filter = bin(bin(col("r.x"), BinaryOp::kEq, col("l.a")), BinaryOp::kAnd,
                    bin(bin(col("l.b"), BinaryOp::kLt, col("r.y")), BinaryOp::kAnd,
                        bin(col("l.b"), BinaryOp::kEq, i64(3))));
  auto plan = join(l_scan(), r_scan(), JoinType::kLeft, {}, filter);
  EXPECT_EQ(
      run(ExtractEquijoin(), plan)->display_indent(),  // r.x = l.a is turned around; the equality
                                                       // with a constant stays in the filter.
      "Left Join: l.a = r.x Filter: l.b < r.y AND l.b = Int64(3)\n"
      "  TableScan: l\n"
      "  TableScan: r");
}

// (l.a = r.x AND l.b > 1 AND r.y = 2) OR (l.a = r.x AND l.b < 0 AND r.y = 3), as in TPC-H Q19.
logical::ExprPtr q19_shape() {
  auto branch1 = bin(bin(eq("l.a", "r.x"), BinaryOp::kAnd, bin(col("l.b"), BinaryOp::kGt, i64(1))),
                     BinaryOp::kAnd, bin(col("r.y"), BinaryOp::kEq, i64(2)));
  auto branch2 = bin(bin(eq("l.a", "r.x"), BinaryOp::kAnd, bin(col("l.b"), BinaryOp::kLt, i64(0))),
                     BinaryOp::kAnd, bin(col("r.y"), BinaryOp::kEq, i64(3)));
  return bin(branch1, BinaryOp::kOr, branch2);
}

TEST(JoinPushdownTest, OrOfConjunctionsFiltersEachSideBeforeTheJoin) {
  auto plan = where(cross(l_scan(), r_scan()), {q19_shape()});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Inner Join: l.a = r.x Filter: l.b > Int64(1) AND r.y = Int64(2) OR l.b < Int64(0) "
            "AND r.y = Int64(3)\n"
            "  Filter: l.b > Int64(1) OR l.b < Int64(0)\n"
            "    TableScan: l\n"
            "  Filter: r.y = Int64(2) OR r.y = Int64(3)\n"
            "    TableScan: r");
}

TEST(JoinPushdownTest, OrBranchWithoutASideOnlyConjunctImpliesNothingForThatSide) {
  // (l.b > 1 AND r.y = 2) OR r.y = 3: a row of l with any b may match through the second branch.
  auto cond = bin(bin(bin(col("l.b"), BinaryOp::kGt, i64(1)), BinaryOp::kAnd,
                      bin(col("r.y"), BinaryOp::kEq, i64(2))),
                  BinaryOp::kOr, bin(col("r.y"), BinaryOp::kEq, i64(3)));
  auto plan = where(cross(l_scan(), r_scan()), {eq("l.a", "r.x"), cond});
  EXPECT_EQ(run(PredicatePushdown(), plan)->display_indent(),
            "Inner Join: l.a = r.x Filter: l.b > Int64(1) AND r.y = Int64(2) OR r.y = Int64(3)\n"
            "  TableScan: l\n"
            "  Filter: r.y = Int64(2) OR r.y = Int64(3)\n"
            "    TableScan: r");
}

TEST(JoinPushdownTest, LeftJoinOrConditionFiltersOnlyThePaddedSide) {
  // Every row of l is kept by a left join, so only r may be filtered by the implied predicate.
  auto left_join = join(l_scan(), r_scan(), JoinType::kLeft, {}, q19_shape());
  EXPECT_EQ(run(PredicatePushdown(), left_join)->display_indent(),
            "Left Join: Filter: l.a = r.x AND l.b > Int64(1) AND r.y = Int64(2) OR l.a = r.x AND "
            "l.b < Int64(0) AND r.y = Int64(3)\n"
            "  TableScan: l\n"
            "  Filter: r.y = Int64(2) OR r.y = Int64(3)\n"
            "    TableScan: r");
}

}  // namespace
}  // namespace quiver::optimizer
