// TPC-H Q5, Q8 and Q9 join graphs (comma joins with WHERE conditions) through the whole
// optimizer: every join must come out as an inner equi-join, never a cross product, with the
// smaller estimated side on the left (the hash join's build side).
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "optimizer_join_tables.h"
#include "quiver/optimizer/cardinality.h"
#include "quiver/optimizer/plan_rewrite.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using logical::JoinType;
using logical::LogicalPlanPtr;
using namespace test_tables;  // NOLINT
using namespace join_tables;  // NOLINT

// TPC-H scale factor 1 row counts.
LogicalPlanPtr region() { return sized_scan("region", {"r_regionkey", "r_name"}, 5); }
LogicalPlanPtr nation(const std::string& alias = "nation") {
  auto s = sized_scan("nation", {"n_nationkey", "n_name", "n_regionkey"}, 25);
  return alias == "nation" ? s : ok(logical::make_subquery_alias(s, alias));
}
LogicalPlanPtr supplier() {
  return sized_scan("supplier", {"s_suppkey", "s_nationkey", "s_acctbal"}, 10000);
}
LogicalPlanPtr customer() {
  return sized_scan("customer", {"c_custkey", "c_nationkey", "c_acctbal"}, 150000);
}
LogicalPlanPtr part() { return sized_scan("part", {"p_partkey", "p_name", "p_type"}, 200000); }
LogicalPlanPtr partsupp() {
  return sized_scan("partsupp", {"ps_partkey", "ps_suppkey", "ps_supplycost"}, 800000);
}
LogicalPlanPtr orders() {
  return sized_scan("orders", {"o_orderkey", "o_custkey", "o_orderdate"}, 1500000);
}
LogicalPlanPtr lineitem() {
  return sized_scan("lineitem",
                    {"l_orderkey", "l_partkey", "l_suppkey", "l_extendedprice", "l_discount"},
                    6000000);
}

// FROM t1, t2, ... WHERE conjuncts, as the binder builds it: cross joins under one filter.
LogicalPlanPtr comma_join(const std::vector<LogicalPlanPtr>& tables,
                          const std::vector<logical::ExprPtr>& conjuncts) {
  LogicalPlanPtr tree = tables[0];
  for (size_t i = 1; i < tables.size(); ++i) tree = cross(tree, tables[i]);
  return where(tree, conjuncts);
}

// Checks every join of the optimized plan: inner, with keys, smaller estimate on the left.
void expect_equi_joins_only(const LogicalPlanPtr& plan, int expected_joins) {
  int joins = 0;
  std::function<void(const LogicalPlanPtr&)> walk = [&](const LogicalPlanPtr& node) {
    if (node->kind == logical::PlanKind::kJoin) {
      ++joins;
      EXPECT_EQ(node->join_type, JoinType::kInner) << node->display();
      EXPECT_FALSE(node->join_on.empty()) << node->display();
      EXPECT_LE(estimate_rows(*node->inputs[0]), estimate_rows(*node->inputs[1]))
          << node->display();
    }
    for (const auto& input : node->inputs) walk(input);
  };
  walk(plan);
  EXPECT_EQ(joins, expected_joins);
  EXPECT_EQ(plan->display_indent().find("Cross Join"), std::string::npos) << plan->display_indent();
}

LogicalPlanPtr optimized(const LogicalPlanPtr& plan) {
  auto out = optimize(plan, common::ConfigOptions());
  EXPECT_TRUE(out.ok()) << out.status().ToString();
  return out.ok() ? *out : plan;
}

TEST(JoinTpchShapesTest, Q5PlansWithoutCrossProducts) {
  auto plan = comma_join(
      {customer(), orders(), lineitem(), supplier(), nation(), region()},
      {eq("customer.c_custkey", "orders.o_custkey"), eq("lineitem.l_orderkey", "orders.o_orderkey"),
       eq("lineitem.l_suppkey", "supplier.s_suppkey"),
       eq("customer.c_nationkey", "supplier.s_nationkey"),
       eq("supplier.s_nationkey", "nation.n_nationkey"),
       eq("nation.n_regionkey", "region.r_regionkey"),
       bin(col("region.r_name"), BinaryOp::kEq, i64(2)),
       bin(col("orders.o_orderdate"), BinaryOp::kGtEq, i64(8766)),
       bin(col("orders.o_orderdate"), BinaryOp::kLt, i64(9131))});
  auto out = optimized(plan);
  expect_equi_joins_only(out, 5);
  if (getenv("SHOW_PLANS")) std::cout << out->display_indent() << std::endl;
  // The columns come out as the query wrote them.
  EXPECT_TRUE(same_fields(out->schema, plan->schema));
  // The region filter is below its scan, and the chain starts from the small dimension tables.
  const std::string text = out->display_indent();
  EXPECT_NE(text.find("Filter: region.r_name = Int64(2)"), std::string::npos) << text;
  // customer - supplier share only a nation key (many to many): customer comes last (on either
  // side of the top join), joined on both of its keys at once, instead of multiplying suppliers
  // by customers of their nation.
  const bool customer_first =
      text.find(
          "Inner Join: customer.c_custkey = orders.o_custkey, customer.c_nationkey = "
          "supplier.s_nationkey\n    TableScan: customer") != std::string::npos;
  const bool customer_last =
      text.find(
          "  Inner Join: orders.o_custkey = customer.c_custkey, supplier.s_nationkey = "
          "customer.c_nationkey\n") != std::string::npos &&
      text.find("\n    TableScan: customer") != std::string::npos;
  EXPECT_TRUE(customer_first || customer_last) << text;
}

TEST(JoinTpchShapesTest, Q8PlansWithoutCrossProducts) {
  auto plan = comma_join(
      {part(), supplier(), lineitem(), orders(), customer(), nation("n1"), nation("n2"), region()},
      {eq("part.p_partkey", "lineitem.l_partkey"), eq("supplier.s_suppkey", "lineitem.l_suppkey"),
       eq("lineitem.l_orderkey", "orders.o_orderkey"), eq("orders.o_custkey", "customer.c_custkey"),
       eq("customer.c_nationkey", "n1.n_nationkey"), eq("n1.n_regionkey", "region.r_regionkey"),
       bin(col("region.r_name"), BinaryOp::kEq, i64(1)),
       eq("supplier.s_nationkey", "n2.n_nationkey"),
       bin(col("orders.o_orderdate"), BinaryOp::kGtEq, i64(9131)),
       bin(col("orders.o_orderdate"), BinaryOp::kLtEq, i64(9861)),
       bin(col("part.p_type"), BinaryOp::kEq, i64(7))});
  auto out = optimized(plan);
  expect_equi_joins_only(out, 7);
  if (getenv("SHOW_PLANS")) std::cout << out->display_indent() << std::endl;
  EXPECT_TRUE(same_fields(out->schema, plan->schema));
}

TEST(JoinTpchShapesTest, Q9PlansWithoutCrossProducts) {
  auto plan = comma_join(
      {part(), supplier(), lineitem(), partsupp(), orders(), nation()},
      {eq("supplier.s_suppkey", "lineitem.l_suppkey"),
       eq("partsupp.ps_suppkey", "lineitem.l_suppkey"),
       eq("partsupp.ps_partkey", "lineitem.l_partkey"), eq("part.p_partkey", "lineitem.l_partkey"),
       eq("orders.o_orderkey", "lineitem.l_orderkey"),
       eq("supplier.s_nationkey", "nation.n_nationkey"),
       bin(col("part.p_name"), BinaryOp::kGt, i64(5))});
  auto out = optimized(plan);
  expect_equi_joins_only(out, 5);
  if (getenv("SHOW_PLANS")) std::cout << out->display_indent() << std::endl;
  EXPECT_TRUE(same_fields(out->schema, plan->schema));
  // partsupp joins lineitem on both key columns.
  const std::string text = out->display_indent();
  EXPECT_NE(text.find("partsupp.ps_suppkey"), text.rfind("partsupp.ps_suppkey")) << text;
}

}  // namespace
}  // namespace quiver::optimizer
