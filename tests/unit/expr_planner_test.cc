// The expression planner: logical expressions over a PlanSchema become physical expressions
// bound to column positions.

#include "quiver/planner/expr_planner.h"

#include <arrow/array.h>
#include <arrow/json/from_string.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <gtest/gtest.h>

namespace quiver::planner {
namespace {

using logical::BinaryOp;
using logical::Expr;
using logical::ExprKind;
using logical::ExprPtr;

std::shared_ptr<arrow::Array> arr(const std::shared_ptr<arrow::DataType>& type,
                                  const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

logical::PlanSchema schema() {
  return logical::PlanSchema::from_arrow(
      *arrow::schema({arrow::field("a", arrow::int64()), arrow::field("s", arrow::utf8())}),
      std::string("t"));
}

std::shared_ptr<arrow::RecordBatch> batch() {
  return arrow::RecordBatch::Make(
      schema().to_arrow(), 4,
      {arr(arrow::int64(), "[1, 2, null, 4]"), arr(arrow::utf8(), R"(["x", "Yy", null, "zz"])")});
}

ExprPtr i64(int64_t v) { return logical::lit(std::make_shared<arrow::Int64Scalar>(v)); }
ExprPtr str(const std::string& v) { return logical::lit(std::make_shared<arrow::StringScalar>(v)); }

ExprPtr node(ExprKind kind, std::vector<ExprPtr> args, bool negated = false) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->args = std::move(args);
  e->negated = negated;
  return e;
}

physical::PhysicalExprPtr plan(const ExprPtr& e) {
  auto out = create_physical_expr(*e, schema());
  EXPECT_TRUE(out.ok()) << e->to_string() << ": " << out.status().ToString();
  return out.ok() ? *out : nullptr;
}

void expect_values(const ExprPtr& e, const std::shared_ptr<arrow::DataType>& type,
                   const std::string& json) {
  auto p = plan(e);
  ASSERT_NE(p, nullptr);
  auto values = physical::evaluate_to_array(*p, *batch());
  ASSERT_TRUE(values.ok()) << p->to_string() << ": " << values.status().ToString();
  auto expected = arr(type, json);
  EXPECT_TRUE((*values)->Equals(*expected))
      << p->to_string() << "\n got:      " << (*values)->ToString()
      << "\n expected: " << expected->ToString();
}

TEST(ExprPlannerTest, ColumnsBecomePositionsNamedByTheirField) {
  EXPECT_EQ(plan(logical::col("t", "s"))->to_string(), "s@1");
  EXPECT_EQ(plan(logical::col("a"))->to_string(), "a@0");
  auto missing = create_physical_expr(*logical::col("nope"), schema());
  EXPECT_TRUE(missing.status().IsInvalid()) << missing.status().ToString();
}

TEST(ExprPlannerTest, LiteralsBinaryAndAlias) {
  auto sum = logical::binary(logical::col("a"), BinaryOp::kPlus, i64(1));
  EXPECT_EQ(plan(sum)->to_string(), "a@0 + Int64(1)");
  EXPECT_EQ(plan(logical::alias(sum, "b"))->to_string(), "a@0 + Int64(1)");
  expect_values(sum, arrow::int64(), "[2, 3, null, 5]");
}

TEST(ExprPlannerTest, BetweenBecomesTwoComparisons) {
  auto between = node(ExprKind::kBetween, {logical::col("a"), i64(2), i64(4)});
  EXPECT_EQ(plan(between)->to_string(), "a@0 >= Int64(2) AND a@0 <= Int64(4)");
  expect_values(between, arrow::boolean(), "[false, true, null, true]");
  auto not_between = node(ExprKind::kBetween, {logical::col("a"), i64(2), i64(4)}, true);
  expect_values(not_between, arrow::boolean(), "[true, false, null, false]");
}

TEST(ExprPlannerTest, UnaryTestsLikeInListCast) {
  expect_values(node(ExprKind::kIsNull, {logical::col("a")}), arrow::boolean(),
                "[false, false, true, false]");
  expect_values(node(ExprKind::kIsNull, {logical::col("a")}, true), arrow::boolean(),
                "[true, true, false, true]");
  expect_values(node(ExprKind::kNegative, {logical::col("a")}), arrow::int64(),
                "[-1, -2, null, -4]");
  auto gt = logical::binary(logical::col("a"), BinaryOp::kGt, i64(1));
  expect_values(node(ExprKind::kNot, {gt}), arrow::boolean(), "[true, false, null, false]");
  expect_values(node(ExprKind::kIsTrue, {gt}, true), arrow::boolean(),
                "[true, false, true, false]");
  expect_values(node(ExprKind::kIsFalse, {gt}), arrow::boolean(), "[true, false, false, false]");

  auto like = node(ExprKind::kLike, {logical::col("s"), str("y%")});
  std::const_pointer_cast<Expr>(like)->case_insensitive = true;
  EXPECT_EQ(plan(like)->to_string(), "s@1 ILIKE Utf8(\"y%\")");
  expect_values(like, arrow::boolean(), "[false, true, null, false]");

  auto in = node(ExprKind::kInList, {logical::col("a"), i64(1), i64(4)}, true);
  EXPECT_EQ(plan(in)->to_string(), "a@0 NOT IN ([Int64(1), Int64(4)])");
  expect_values(in, arrow::boolean(), "[false, true, null, false]");

  auto cast = logical::cast(logical::col("a"), arrow::utf8());
  EXPECT_EQ(plan(cast)->to_string(), "CAST(a@0 AS Utf8)");
  expect_values(cast, arrow::utf8(), R"(["1", "2", null, "4"])");
  auto try_cast = logical::cast(logical::col("s"), arrow::int32());
  std::const_pointer_cast<Expr>(try_cast)->try_cast = true;
  expect_values(try_cast, arrow::int32(), "[null, null, null, null]");
}

TEST(ExprPlannerTest, CaseAndScalarFunctions) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCase;
  e->when_then = {{logical::binary(logical::col("a"), BinaryOp::kGtEq, i64(2)), str("big")}};
  e->case_else = str("small");
  EXPECT_EQ(plan(e)->to_string(),
            "CASE WHEN a@0 >= Int64(2) THEN Utf8(\"big\") ELSE Utf8(\"small\") END");
  expect_values(e, arrow::utf8(), R"(["small", "big", "small", "big"])");

  auto upper = logical::scalar_function("upper", {logical::col("s")});
  EXPECT_EQ(plan(upper)->to_string(), "upper(s@1)");
  expect_values(upper, arrow::utf8(), R"(["X", "YY", null, "ZZ"])");
  auto unknown =
      create_physical_expr(*logical::scalar_function("uppr", {logical::col("s")}), schema());
  EXPECT_TRUE(unknown.status().IsInvalid());
}

TEST(ExprPlannerTest, AggregatesAreNotPlannedHere) {
  auto count = logical::aggregate_function("count", {i64(1)});
  auto st = create_physical_expr(*count, schema()).status();
  EXPECT_TRUE(st.IsUnknownError()) << st.ToString();
}

TEST(ExprPlannerTest, ConstantsPlanWithoutColumns) {
  auto e = logical::binary(i64(6), BinaryOp::kMultiply, i64(7));
  auto p = create_physical_expr(*e, logical::PlanSchema());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto one_row =
      arrow::RecordBatch::Make(arrow::schema({}), 1, std::vector<std::shared_ptr<arrow::Array>>{});
  auto value = (*p)->evaluate(*one_row);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->scalar()->ToString(), "42");
}

}  // namespace
}  // namespace quiver::planner
