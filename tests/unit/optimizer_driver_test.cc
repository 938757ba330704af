#include <gtest/gtest.h>

#include "optimizer_test_tables.h"
#include "quiver/optimizer/optimizer.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using namespace test_tables;  // NOLINT

TEST(OptimizerDriverTest, RunsTheRulesInOrder) {
  std::vector<std::string> names;
  for (const auto& rule : default_rules()) names.push_back(rule->name());
  EXPECT_EQ(names, (std::vector<std::string>{
                       "decorrelate_subqueries", "constant_folding", "predicate_pushdown",
                       "extract_equijoin", "semi_join_pushdown", "join_reorder",
                       "single_distinct_aggregate", "limit_pushdown",
                       "eliminate_common_subexpressions", "projection_pushdown"}));
}

TEST(OptimizerDriverTest, OptimizesAWholeQuery) {
  // SELECT b FROM t WHERE a > 1 + 1 ORDER BY c LIMIT 3
  auto filtered =
      ok(logical::make_filter(scan("t", abcd_table()), bin(col("t.a"), BinaryOp::kGt,
                                                           bin(i64(1), BinaryOp::kPlus, i64(1)))));
  auto sorted = ok(logical::make_sort(filtered, {logical::SortExpr{col("t.c")}}));
  auto limited = ok(logical::make_limit(sorted, 0, 3));
  auto plan = ok(logical::make_projection(limited, {col("t.b")}));
  auto out = optimize(plan, common::ConfigOptions());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)->display_indent(),
            "Projection: t.b\n"
            "  Sort: t.c ASC NULLS LAST, fetch=3\n"
            "    Filter: t.a > Int64(2)\n"
            "      TableScan: t projection=[a, b, c], filters=[a > Int64(2)]");
  EXPECT_TRUE((*out)->schema.to_arrow()->Equals(*plan->schema.to_arrow()));
}

TEST(OptimizerDriverTest, OptimizesSubqueryPlans) {
  // SELECT (SELECT a FROM t LIMIT 1) AS s
  auto inner = ok(logical::make_limit(
      ok(logical::make_projection(scan("t", abcd_table()), {col("t.a")})), 0, 1));
  auto subquery = std::make_shared<logical::Expr>();
  subquery->kind = logical::ExprKind::kScalarSubquery;
  subquery->subquery = inner;
  auto plan = ok(logical::make_projection(logical::make_empty_relation(true),
                                          {logical::alias(subquery, "s")}));
  auto out = optimize(plan, common::ConfigOptions());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  // The subquery became a Left join (decorrelate_subqueries); its plan was optimized with the
  // rest (the limit reached the scan).
  EXPECT_EQ((*out)->display_indent(),
            "Projection: __sq_1.__value AS s\n"
            "  Left Join: \n"
            "    EmptyRelation: rows=1\n"
            "    SubqueryAlias: __sq_1\n"
            "      Projection: t.a AS __value\n"
            "        Limit: skip=0, fetch=1\n"
            "          TableScan: t projection=[a], fetch=1");
}

TEST(OptimizerDriverTest, PrefixesRuleErrorsWithTheRuleName) {
  // A scan without a provider cannot be rebuilt: the limit rule fails on it. (Hand-built on
  // purpose: the builders refuse such a node.)
  auto broken = std::make_shared<logical::LogicalPlan>();
  broken->kind = logical::PlanKind::kTableScan;
  broken->table_name = "t";
  auto plan = ok(logical::make_limit(broken, 0, 1));
  auto out = optimize(plan, common::ConfigOptions());
  ASSERT_FALSE(out.ok());
  EXPECT_TRUE(out.status().IsUnknownError()) << out.status().ToString();
  EXPECT_EQ(out.status().message().rfind("optimizer rule 'limit_pushdown': ", 0), 0u)
      << out.status().message();
}

}  // namespace
}  // namespace quiver::optimizer
