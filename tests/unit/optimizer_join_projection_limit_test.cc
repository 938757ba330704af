// Projection and limit pushdown through joins.
#include <gtest/gtest.h>

#include "optimizer_join_tables.h"
#include "quiver/optimizer/limit_pushdown.h"
#include "quiver/optimizer/projection_pushdown.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using logical::JoinType;
using namespace test_tables;  // NOLINT
using namespace join_tables;  // NOLINT

logical::LogicalPlanPtr l_scan() { return sized_scan("l", {"a", "b", "c"}); }
logical::LogicalPlanPtr r_scan() { return sized_scan("r", {"x", "y", "z"}); }

TEST(JoinProjectionPushdownTest, InputsKeepNeededKeyAndFilterColumns) {
  auto j = join(l_scan(), r_scan(), JoinType::kInner, {{col("l.a"), col("r.x")}},
                bin(col("l.b"), BinaryOp::kLt, col("r.y")));
  auto plan = ok(logical::make_projection(j, {col("l.c")}));
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Projection: l.c\n"
            "  Inner Join: l.a = r.x Filter: l.b < r.y\n"
            "    TableScan: l\n"
            "    TableScan: r projection=[x, y]");
}

TEST(JoinProjectionPushdownTest, SemiJoinRightSideKeepsOnlyItsKeys) {
  auto j = join(l_scan(), r_scan(), JoinType::kLeftSemi, {{col("l.a"), col("r.x")}});
  auto plan = ok(logical::make_projection(j, {col("l.b")}));
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Projection: l.b\n"
            "  LeftSemi Join: l.a = r.x\n"
            "    TableScan: l projection=[a, b]\n"
            "    TableScan: r projection=[x]");
}

TEST(JoinProjectionPushdownTest, CrossJoinCountReadsOneColumnPerSide) {
  auto count = logical::aggregate_function("count", {i64(1)});
  auto plan = ok(logical::make_aggregate(cross(l_scan(), r_scan()), {}, {count}));
  EXPECT_EQ(run(ProjectionPushdown(), plan)->display_indent(),
            "Aggregate: groupBy=[[]], aggr=[[count(Int64(1))]]\n"
            "  Cross Join: \n"
            "    TableScan: l projection=[a]\n"
            "    TableScan: r projection=[x]");
}

TEST(JoinLimitPushdownTest, CutsThePreservedSideOfOuterJoins) {
  auto left = join(l_scan(), r_scan(), JoinType::kLeft, {{col("l.a"), col("r.x")}});
  EXPECT_EQ(run(LimitPushdown(), ok(logical::make_limit(left, 2, 3)))->display_indent(),
            "Limit: skip=2, fetch=3\n"
            "  Left Join: l.a = r.x\n"
            "    Limit: skip=0, fetch=5\n"
            "      TableScan: l fetch=5\n"
            "    TableScan: r");
  auto right = join(l_scan(), r_scan(), JoinType::kRight, {{col("l.a"), col("r.x")}});
  EXPECT_EQ(run(LimitPushdown(), ok(logical::make_limit(right, 0, 4)))->display_indent(),
            "Limit: skip=0, fetch=4\n"
            "  Right Join: l.a = r.x\n"
            "    TableScan: l\n"
            "    Limit: skip=0, fetch=4\n"
            "      TableScan: r fetch=4");
}

TEST(JoinLimitPushdownTest, CutsBothSidesOfCrossJoins) {
  EXPECT_EQ(run(LimitPushdown(), ok(logical::make_limit(cross(l_scan(), r_scan()), 0, 2)))
                ->display_indent(),
            "Limit: skip=0, fetch=2\n"
            "  Cross Join: \n"
            "    Limit: skip=0, fetch=2\n"
            "      TableScan: l fetch=2\n"
            "    Limit: skip=0, fetch=2\n"
            "      TableScan: r fetch=2");
}

TEST(JoinLimitPushdownTest, InnerFullSemiAndAntiJoinsStopIt) {
  for (JoinType type :
       {JoinType::kInner, JoinType::kFull, JoinType::kLeftSemi, JoinType::kLeftAnti}) {
    auto plan =
        ok(logical::make_limit(join(l_scan(), r_scan(), type, {{col("l.a"), col("r.x")}}), 0, 3));
    EXPECT_EQ(run(LimitPushdown(), plan)->display_indent(), plan->display_indent());
  }
  // No fetch: nothing to push.
  auto left = join(l_scan(), r_scan(), JoinType::kLeft, {{col("l.a"), col("r.x")}});
  auto skip_only = ok(logical::make_limit(left, 4, std::nullopt));
  EXPECT_EQ(run(LimitPushdown(), skip_only)->display_indent(), skip_only->display_indent());
}

}  // namespace
}  // namespace quiver::optimizer
