// Tests of SemiJoinPushdown: a semi / anti join moves below inner joins onto the input whose
// columns it reads, when its subquery side is estimated smaller than that input.

#include <gtest/gtest.h>

#include "optimizer_join_tables.h"
#include "quiver/optimizer/semi_join_pushdown.h"

namespace quiver::optimizer {
namespace {

using logical::col;
using logical::JoinType;
using namespace test_tables;  // NOLINT
using namespace join_tables;  // NOLINT

// cust (1000) JOIN ord (100000) JOIN item (600000), as in TPC-H q18.
logical::LogicalPlanPtr chain() {
  auto cust = sized_scan("cust", {"id", "name"}, 1000);
  auto ord = sized_scan("ord", {"id", "cust_id"}, 100000);
  auto item = sized_scan("item", {"ord_id", "qty"}, 600000);
  auto co = join(cust, ord, JoinType::kInner, {{col("cust.id"), col("ord.cust_id")}});
  return join(co, item, JoinType::kInner, {{col("ord.id"), col("item.ord_id")}});
}

TEST(SemiJoinPushdownTest, SinksOntoTheTableWhoseColumnsItReads) {
  auto small = sized_scan("big_orders", {"ord_id"}, 50);
  for (const auto type : {JoinType::kLeftSemi, JoinType::kLeftAnti}) {
    auto plan = join(chain(), small, type, {{col("ord.id"), col("big_orders.ord_id")}});
    const auto out = run(SemiJoinPushdown(), plan)->display_indent();
    const std::string name = type == JoinType::kLeftSemi ? "LeftSemi" : "LeftAnti";
    EXPECT_EQ(out,
              "Inner Join: ord.id = item.ord_id\n"
              "  Inner Join: cust.id = ord.cust_id\n"
              "    TableScan: cust\n"
              "    " +
                  name +
                  " Join: ord.id = big_orders.ord_id\n"
                  "      TableScan: ord\n"
                  "      TableScan: big_orders\n"
                  "  TableScan: item");
  }
}

TEST(SemiJoinPushdownTest, StaysWhenTheSubqueryIsNotSmaller) {
  // The subquery (200000 rows) is larger than ord (100000): filtering after the joins is kept.
  auto large = sized_scan("many", {"ord_id"}, 200000);
  auto plan = join(chain(), large, JoinType::kLeftSemi, {{col("ord.id"), col("many.ord_id")}});
  EXPECT_EQ(run(SemiJoinPushdown(), plan), plan);
}

TEST(SemiJoinPushdownTest, StaysWhenItReadsBothSidesOrAnOuterJoin) {
  auto small = sized_scan("s", {"a", "b"}, 10);
  // Keys from two tables: no single input holds them.
  auto both = join(chain(), small, JoinType::kLeftSemi,
                   {{col("cust.id"), col("s.a")}, {col("item.qty"), col("s.b")}});
  EXPECT_EQ(run(SemiJoinPushdown(), both), both);
  // Below a LEFT join the padded rows would escape the filter: not moved.
  auto cust = sized_scan("cust", {"id", "name"}, 1000);
  auto ord = sized_scan("ord", {"id", "cust_id"}, 100000);
  auto left = join(cust, ord, JoinType::kLeft, {{col("cust.id"), col("ord.cust_id")}});
  auto semi = join(left, small, JoinType::kLeftSemi, {{col("ord.id"), col("s.a")}});
  EXPECT_EQ(run(SemiJoinPushdown(), semi), semi);
}

TEST(SemiJoinPushdownTest, JoinReorderingOffKeepsTheWrittenPlan) {
  auto small = sized_scan("big_orders", {"ord_id"}, 50);
  auto plan =
      join(chain(), small, JoinType::kLeftSemi, {{col("ord.id"), col("big_orders.ord_id")}});
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.join_reordering", "false").ok());
  EXPECT_EQ(run(SemiJoinPushdown(), plan, options), plan);
}

}  // namespace
}  // namespace quiver::optimizer
