// Tests of SingleDistinctAggregate: aggregates all DISTINCT over one argument become a grouping
// on that argument below an ordinary aggregation; other mixes are left alone. (The answers,
// with NULLs and empty input, are checked against DuckDB in tests/sql/aggregate_distinct.slt.)

#include <gtest/gtest.h>

#include "optimizer_test_tables.h"
#include "quiver/optimizer/single_distinct_aggregate.h"

namespace quiver::optimizer {
namespace {

using logical::aggregate_function;
using logical::alias;
using logical::col;
using logical::ExprPtr;
using namespace test_tables;  // NOLINT

logical::LogicalPlanPtr grouped(std::vector<ExprPtr> aggregates) {
  return ok(logical::make_aggregate(scan("t", abcd_table()), {col("t.b")}, std::move(aggregates)));
}

TEST(SingleDistinctAggregateTest, GroupsOnTheDistinctArgumentFirst) {
  auto plan = grouped({aggregate_function("count", {col("t.a")}, /*distinct=*/true),
                       aggregate_function("sum", {col("t.a")}, /*distinct=*/true)});
  EXPECT_EQ(run(SingleDistinctAggregate(), plan)->display_indent(),
            "Aggregate: groupBy=[[t.b]], aggr=[[count(__distinct_value) AS count(DISTINCT t.a), "
            "sum(__distinct_value) AS sum(DISTINCT t.a)]]\n"
            "  Aggregate: groupBy=[[t.b, t.a AS __distinct_value]], aggr=[[]]\n"
            "    TableScan: t");
}

TEST(SingleDistinctAggregateTest, WithoutGroupsAndOverAComputedArgument) {
  auto plan = ok(logical::make_aggregate(
      scan("t", abcd_table()), {},
      {alias(aggregate_function("count", {bin(col("t.a"), logical::BinaryOp::kPlus, i64(1))},
                                /*distinct=*/true),
             "n")}));
  EXPECT_EQ(run(SingleDistinctAggregate(), plan)->display_indent(),
            "Aggregate: groupBy=[[]], aggr=[[count(__distinct_value) AS n]]\n"
            "  Aggregate: groupBy=[[t.a + Int64(1) AS __distinct_value]], aggr=[[]]\n"
            "    TableScan: t");
}

TEST(SingleDistinctAggregateTest, LeavesOtherMixesAlone) {
  const std::vector<std::vector<ExprPtr>> mixes = {
      // Two different arguments.
      {aggregate_function("count", {col("t.a")}, true),
       aggregate_function("count", {col("t.c")}, true)},
      // A plain aggregate beside the DISTINCT one.
      {aggregate_function("count", {col("t.a")}, true), aggregate_function("count", {i64(1)})},
      // No DISTINCT at all.
      {aggregate_function("sum", {col("t.a")})},
  };
  for (const auto& aggregates : mixes) {
    auto plan = grouped(aggregates);
    EXPECT_EQ(run(SingleDistinctAggregate(), plan), plan) << plan->display_indent();
  }
}

TEST(SingleDistinctAggregateTest, OffWithTheOption) {
  auto plan = grouped({aggregate_function("count", {col("t.a")}, true)});
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.single_distinct_to_group_by", "false").ok());
  EXPECT_EQ(run(SingleDistinctAggregate(), plan, options), plan);
}

}  // namespace
}  // namespace quiver::optimizer
