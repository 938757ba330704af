#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include "optimizer_test_tables.h"
#include "quiver/optimizer/constant_folding.h"

namespace quiver::optimizer {
namespace {

using logical::BinaryOp;
using logical::col;
using namespace test_tables;  // NOLINT

TEST(ConstantFoldingTest, FoldsArithmeticAndKeepsTheOutputName) {
  auto plan = ok(logical::make_projection(
      scan("t", abcd_table()),
      {bin(i64(1), BinaryOp::kPlus, i64(2)),
       bin(col("t.a"), BinaryOp::kPlus, bin(i64(2), BinaryOp::kMultiply, i64(3)))}));
  auto out = run(ConstantFolding(), plan);
  EXPECT_EQ(
      out->display_indent(),
      "Projection: Int64(3) AS Int64(1) + Int64(2), t.a + Int64(6) AS t.a + Int64(2) * Int64(3)\n"
      "  TableScan: t");
}

TEST(ConstantFoldingTest, FoldsFunctionsAndCasts) {
  auto plan = ok(logical::make_filter(
      scan("t", abcd_table()),
      bin(bin(col("t.b"), BinaryOp::kEq, logical::scalar_function("upper", {str("a")})),
          BinaryOp::kOr,
          bin(logical::cast(str("2020-01-01"), arrow::date32()), BinaryOp::kEq,
              logical::cast(str("2020-01-01"), arrow::date32())))));
  auto out = run(ConstantFolding(), plan);
  // Two equal constant dates compare true, and `x OR true` is true, so the
  // whole Filter disappears.
  EXPECT_EQ(out->display_indent(), "TableScan: t");

  auto cast_only = ok(logical::make_projection(
      scan("t", abcd_table()),
      {logical::alias(logical::cast(str("2020-01-01"), arrow::date32()), "d")}));
  EXPECT_EQ(run(ConstantFolding(), cast_only)->display_indent(),
            "Projection: Date32(\"2020-01-01\") AS d\n"
            "  TableScan: t");

  auto upper = ok(logical::make_filter(
      scan("t", abcd_table()),
      bin(col("t.b"), BinaryOp::kEq, logical::scalar_function("upper", {str("a")}))));
  EXPECT_EQ(run(ConstantFolding(), upper)->display_indent(),
            "Filter: t.b = Utf8(\"A\")\n"
            "  TableScan: t");
}

TEST(ConstantFoldingTest, DivisionByZeroStaysForExecution) {
  auto plan = ok(
      logical::make_filter(scan("t", abcd_table()),
                           bin(col("t.a"), BinaryOp::kGt, bin(i64(1), BinaryOp::kDivide, i64(0)))));
  auto out = run(ConstantFolding(), plan);
  EXPECT_EQ(out->display_indent(),
            "Filter: t.a > Int64(1) / Int64(0)\n"
            "  TableScan: t");
}

TEST(ConstantFoldingTest, SimplifiesBooleanIdentities) {
  auto a_gt = bin(col("t.a"), BinaryOp::kGt, i64(0));
  auto fold = [&](logical::ExprPtr predicate) {
    auto plan = ok(logical::make_filter(scan("t", abcd_table()), std::move(predicate)));
    return run(ConstantFolding(), plan)->display_indent();
  };
  EXPECT_EQ(fold(bin(a_gt, BinaryOp::kAnd, boolean(true))),
            "Filter: t.a > Int64(0)\n  TableScan: t");
  EXPECT_EQ(fold(bin(boolean(false), BinaryOp::kOr, a_gt)),
            "Filter: t.a > Int64(0)\n  TableScan: t");
  EXPECT_EQ(fold(bin(a_gt, BinaryOp::kAnd, boolean(false))),
            "Filter: Boolean(false)\n  TableScan: t");
  auto not_not = std::make_shared<logical::Expr>();
  not_not->kind = logical::ExprKind::kNot;
  auto inner_not = std::make_shared<logical::Expr>();
  inner_not->kind = logical::ExprKind::kNot;
  inner_not->args = {a_gt};
  not_not->args = {inner_not};
  EXPECT_EQ(fold(not_not), "Filter: t.a > Int64(0)\n  TableScan: t");
  // Nothing constant: unchanged.
  EXPECT_EQ(fold(bin(a_gt, BinaryOp::kOr, bin(col("t.c"), BinaryOp::kEq, i32(1)))),
            "Filter: t.a > Int64(0) OR t.c = Int32(1)\n  TableScan: t");
}

TEST(ConstantFoldingTest, LeavesVolatileFunctionsAlone) {
  auto random = logical::scalar_function("random", {});
  EXPECT_EQ(fold_constants(random), random);
  auto sum = bin(random, BinaryOp::kPlus, logical::lit(std::make_shared<arrow::DoubleScalar>(1)));
  EXPECT_EQ(fold_constants(sum)->to_string(), sum->to_string());
}

TEST(ConstantFoldingTest, FoldsExpressionsDirectly) {
  auto folded = fold_constants(bin(bin(i64(7), BinaryOp::kMinus, i64(2)), BinaryOp::kGt, i64(4)));
  ASSERT_EQ(folded->kind, logical::ExprKind::kLiteral);
  EXPECT_EQ(folded->to_string(), "Boolean(true)");
}

TEST(ConstantFoldingTest, DisabledByOption) {
  common::ConfigOptions options;
  ASSERT_TRUE(options.set("optimizer.constant_folding", "false").ok());
  auto plan =
      ok(logical::make_projection(scan("t", abcd_table()), {bin(i64(1), BinaryOp::kPlus, i64(2))}));
  EXPECT_EQ(run(ConstantFolding(), plan, options), plan);
}

}  // namespace
}  // namespace quiver::optimizer

namespace quiver::optimizer {
namespace {

TEST(ConstantFoldingTest, DateMinusIntervalFoldsToADateLiteral) {
  auto date = logical::lit(std::make_shared<arrow::Date32Scalar>(10561));  // 1998-12-01
  auto ninety_days = logical::lit(std::make_shared<arrow::MonthDayNanoIntervalScalar>(
      arrow::MonthDayNanoIntervalType::MonthDayNanos{0, 90, 0}));
  auto plan = ok(logical::make_projection(
      scan("t", test_tables::abcd_table()),
      {logical::alias(bin(date, BinaryOp::kMinus, ninety_days), "bound")}));
  EXPECT_EQ(run(ConstantFolding(), plan)->display_indent(),
            "Projection: Date32(\"1998-09-02\") AS bound\n"
            "  TableScan: t");
}

}  // namespace
}  // namespace quiver::optimizer
