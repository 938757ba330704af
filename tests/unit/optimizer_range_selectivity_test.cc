// Estimates from column statistics: ranges by interpolation over [min, max], `=` and IN on
// integer columns, and the join estimate for keys spread over a common domain.
#include <gtest/gtest.h>

#include "optimizer_join_tables.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/optimizer/cardinality.h"
#include "quiver/optimizer/join_reorder.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using logical::JoinType;
using namespace test_tables;  // NOLINT
using namespace join_tables;  // NOLINT

logical::ExprPtr in_list(logical::ExprPtr column, std::vector<logical::ExprPtr> values) {
  auto e = std::make_shared<logical::Expr>();
  e->kind = logical::ExprKind::kInList;
  e->args = {std::move(column)};
  for (auto& v : values) e->args.push_back(std::move(v));
  return e;
}

// `day` spans 0..999 in 10000 rows; `size` 1..50; `v` has no statistics.
logical::LogicalPlanPtr events() {
  return ranged_scan("events", {"day", "size", "v"}, 10000, {{"day", {0, 999}}, {"size", {1, 50}}});
}

TEST(RangeSelectivityTest, BoundsOnOneColumnMakeOneRange) {
  // day >= 250 AND day < 500: 250 of 1000 values.
  auto quarter = where(events(), {bin(col("events.day"), BinaryOp::kGtEq, i64(250)),
                                  bin(col("events.day"), BinaryOp::kLt, i64(500))});
  EXPECT_NEAR(estimate_rows(*quarter), 10000 * 250.0 / 1000, 1e-6);
  // A literal on the left flips the comparison: 900 < day holds 901..999.
  auto tail = where(events(), {bin(i64(900), BinaryOp::kLt, col("events.day"))});
  EXPECT_NEAR(estimate_rows(*tail), 10000 * 99.0 / 1000, 1e-6);
  // Without statistics the fixed guesses stay: two independent ranges.
  auto guessed = where(events(), {bin(col("events.v"), BinaryOp::kGtEq, i64(250)),
                                  bin(col("events.v"), BinaryOp::kLt, i64(500))});
  EXPECT_NEAR(estimate_rows(*guessed), 10000 * 0.33 * 0.33, 1e-6);
  // Ranges on two columns multiply; a range beyond the data keeps a token few rows.
  auto two = where(events(), {bin(col("events.day"), BinaryOp::kLt, i64(100)),
                              bin(col("events.size"), BinaryOp::kGt, i64(25))});
  EXPECT_NEAR(estimate_rows(*two), 10000 * 0.1 * 0.5, 1e-6);
  auto none = where(events(), {bin(col("events.day"), BinaryOp::kGt, i64(5000))});
  EXPECT_GT(estimate_rows(*none), 0);
  EXPECT_LT(estimate_rows(*none), 1);
}

TEST(RangeSelectivityTest, EqualityAndInCountTheIntegerValues) {
  auto one = where(events(), {bin(col("events.size"), BinaryOp::kEq, i64(15))});
  EXPECT_NEAR(estimate_rows(*one), 10000 / 50.0, 1e-6);
  // Values outside [1, 50] match nothing: IN (3, 7, 99) is two values.
  auto some = where(events(), {in_list(col("events.size"), {i64(3), i64(7), i64(99)})});
  EXPECT_NEAR(estimate_rows(*some), 10000 * 2 / 50.0, 1e-6);
  // Scan filters (pushed down) use the same statistics.
  auto table = std::make_shared<SizedTable>(std::vector<std::string>{"size"}, 10000);
  table->set_range("size", 1, 50);
  auto scan = ok(logical::make_table_scan("events", table, std::nullopt,
                                          {bin(col("size"), BinaryOp::kEq, i64(15))}));
  EXPECT_NEAR(estimate_rows(*scan), 10000 / 50.0, 1e-6);
}

TEST(RangeSelectivityTest, StatisticsAreTracedThroughJoins) {
  auto dim = sized_scan("dim", {"id", "w"}, 100);
  auto joined = join(dim, events(), JoinType::kInner, {{col("dim.id"), col("events.size")}});
  const double all = estimate_rows(*joined);
  auto filtered = where(joined, {bin(col("events.day"), BinaryOp::kLt, i64(100))});
  EXPECT_NEAR(estimate_rows(*filtered), all * 0.1, 1e-6);
}

TEST(RangeSelectivityTest, FilteredSidesOfAKeyJoinMeetByChance) {
  // dim (100 rows) filtered to a tenth, fact (10000 rows) filtered to a tenth: a fact row's key
  // points at a kept dim row one time in ten, so 1000 * 10 / 100 = 100 rows.
  auto dim = sized_scan("dim", {"id", "v"}, 100);
  auto fact = sized_scan("fact", {"id", "dim_id", "x"}, 10000);
  auto join_both = join(where(dim, {bin(col("dim.v"), BinaryOp::kEq, i64(1))}),
                        where(fact, {bin(col("fact.x"), BinaryOp::kEq, i64(1))}), JoinType::kInner,
                        {{col("dim.id"), col("fact.dim_id")}});
  EXPECT_DOUBLE_EQ(estimate_rows(*join_both), 100);
}

// TPC-H Q9's shape: nation - supplier - lineitem - part, part filtered. With statistics bounding
// every key, lineitem meets the filtered part first (fewer rows in total); without them the chain
// starts from the smallest relation, nation, as before.
//
// With a decorrelated subquery's aggregate joined on computed columns besides (TPC-H q02:
// `ps_supplycost = min(ps_supplycost)`), the table keys still decide: computed columns are no
// table keys whose statistics could be missing.
TEST(RangeSelectivityTest, JoinOrderStartsFromAFilteredRelationWhenKeysHaveStatistics) {
  auto build = [](bool with_stats, bool with_aggregate = false) {
    auto table = [&](const std::string& name, const std::vector<std::string>& columns, int64_t rows,
                     std::map<std::string, std::pair<int64_t, int64_t>> ranges) {
      return with_stats ? ranged_scan(name, columns, rows, ranges)
                        : sized_scan(name, columns, rows);
    };
    auto nation = table("nation", {"n_key"}, 25, {{"n_key", {0, 24}}});
    auto supplier = table("supplier", {"s_key", "s_nation"}, 10000,
                          {{"s_key", {1, 10000}}, {"s_nation", {0, 24}}});
    auto lineitem = table("lineitem", {"l_part", "l_supp"}, 6000000,
                          {{"l_part", {1, 200000}}, {"l_supp", {1, 10000}}});
    auto part =
        table("part", {"p_key", "p_size"}, 200000, {{"p_key", {1, 200000}}, {"p_size", {1, 50}}});
    auto joined =
        join(join(join(nation, supplier, JoinType::kInner,
                       {{col("nation.n_key"), col("supplier.s_nation")}}),
                  lineitem, JoinType::kInner, {{col("supplier.s_key"), col("lineitem.l_supp")}}),
             where(part, {bin(col("part.p_size"), BinaryOp::kEq, i64(15))}), JoinType::kInner,
             {{col("lineitem.l_part"), col("part.p_key")}});
    if (with_aggregate) {
      auto cost = table("ps", {"ps_part", "ps_cost"}, 800000, {{"ps_part", {1, 200000}}});
      auto minimum = ok(logical::make_aggregate(
          cost, {col("ps.ps_part")}, {logical::aggregate_function("min", {col("ps.ps_cost")})}));
      auto sub = ok(logical::make_projection(
          minimum, {logical::alias(col("ps.ps_part"), "k"),
                    logical::alias(col(std::nullopt, "min(ps.ps_cost)"), "m")}));
      joined = join(joined, sub, JoinType::kInner,
                    {{col("part.p_key"), col("k")}, {col("lineitem.l_supp"), col("m")}});
    }
    auto out = JoinReorder().rewrite(joined, common::ConfigOptions());
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return (*out)->display_indent();
  };
  const std::string with_stats = build(true);
  const std::string without = build(false);
  // A deeper join is printed later: with statistics part meets lineitem below supplier.
  const std::string part_join = "Inner Join: part.p_key = lineitem.l_part";
  ASSERT_NE(with_stats.find(part_join), std::string::npos) << with_stats;
  ASSERT_NE(without.find(part_join), std::string::npos) << without;
  EXPECT_GT(with_stats.find(part_join), with_stats.find("Inner Join: supplier.s_key"))
      << with_stats;
  EXPECT_LT(without.find(part_join), without.find("Inner Join: supplier.s_key")) << without;
  const std::string with_aggregate = build(true, true);
  ASSERT_NE(with_aggregate.find(part_join), std::string::npos) << with_aggregate;
  EXPECT_GT(with_aggregate.find(part_join), with_aggregate.find("Inner Join: supplier.s_key"))
      << with_aggregate;
}

}  // namespace
}  // namespace quiver::optimizer
