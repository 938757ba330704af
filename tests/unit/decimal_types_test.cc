#include "quiver/logical/decimal_types.h"

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include "quiver/logical/expr_type.h"
#include "quiver/physical/expr/cast_expr.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/physical/expr/decimal_rounding.h"

namespace quiver::logical {
namespace {

std::shared_ptr<arrow::DataType> result(BinaryOp op, const std::shared_ptr<arrow::DataType>& l,
                                        const std::shared_ptr<arrow::DataType>& r) {
  return decimal_arithmetic_type(op, *l, *r).ValueOrDie();
}

TEST(DecimalTypesTest, ArithmeticPrecisionAndScale) {
  auto d15_2 = arrow::decimal128(15, 2);
  auto d16_2 = arrow::decimal128(16, 2);
  EXPECT_TRUE(result(BinaryOp::kMinus, arrow::decimal128(1, 0), d15_2)->Equals(*d16_2));
  EXPECT_TRUE(
      result(BinaryOp::kPlus, d15_2, arrow::decimal128(5, 3))->Equals(*arrow::decimal128(17, 3)));
  EXPECT_TRUE(result(BinaryOp::kMultiply, d15_2, d16_2)->Equals(*arrow::decimal128(32, 4)));
  // Q1's charge: (15,2) * (16,2) * (16,2) caps the precision at 38.
  EXPECT_TRUE(result(BinaryOp::kMultiply, arrow::decimal128(32, 4), d16_2)
                  ->Equals(*arrow::decimal128(38, 6)));
  EXPECT_TRUE(result(BinaryOp::kModulo, arrow::decimal128(5, 1), arrow::decimal128(3, 0))
                  ->Equals(*arrow::decimal128(4, 1)));
  EXPECT_TRUE(result(BinaryOp::kDivide, d15_2, d15_2)->Equals(*arrow::float64()));
  EXPECT_FALSE(decimal_arithmetic_type(BinaryOp::kMultiply, *arrow::decimal128(38, 20),
                                       *arrow::decimal128(38, 20))
                   .ok());
}

TEST(DecimalTypesTest, IntegersAndLiteralsAsDecimals) {
  EXPECT_TRUE(integer_as_decimal(arrow::int32())->Equals(*arrow::decimal128(10, 0)));
  EXPECT_TRUE(integer_as_decimal(arrow::int64())->Equals(*arrow::decimal128(20, 0)));
  EXPECT_TRUE(integer_as_decimal(arrow::decimal64(12, 2))->Equals(*arrow::decimal128(12, 2)));
  EXPECT_EQ(integer_as_decimal(arrow::decimal256(40, 2)), nullptr);
  EXPECT_EQ(integer_as_decimal(arrow::float64()), nullptr);
  EXPECT_TRUE(
      integer_literal_as_decimal(arrow::Int64Scalar(-123))->Equals(*arrow::decimal128(3, 0)));
  auto folded = integer_scalar_to_decimal(arrow::Int64Scalar(24), *arrow::decimal128(15, 2));
  ASSERT_NE(folded, nullptr);
  EXPECT_EQ(folded->ToString(), "24.00");
  EXPECT_EQ(integer_scalar_to_decimal(arrow::Int64Scalar(1000), *arrow::decimal128(4, 2)), nullptr);
  EXPECT_TRUE(common_decimal(*arrow::decimal128(15, 2), *arrow::decimal128(10, 4))
                  ->Equals(*arrow::decimal128(17, 4)));
}

TEST(DecimalTypesTest, OperandTypesOfMixedArithmetic) {
  auto one = lit(std::make_shared<arrow::Int64Scalar>(1));
  auto types = arithmetic_operand_types(BinaryOp::kMinus, one.get(), arrow::int64(), nullptr,
                                        arrow::decimal128(15, 2))
                   .ValueOrDie();
  EXPECT_TRUE(types.first->Equals(*arrow::decimal128(1, 0)));
  EXPECT_TRUE(types.second->Equals(*arrow::decimal128(15, 2)));
  types = arithmetic_operand_types(BinaryOp::kPlus, nullptr, arrow::decimal64(12, 2), nullptr,
                                   arrow::int32())
              .ValueOrDie();
  EXPECT_TRUE(types.first->Equals(*arrow::decimal128(12, 2)));
  EXPECT_TRUE(types.second->Equals(*arrow::decimal128(10, 0)));
  types = arithmetic_operand_types(BinaryOp::kPlus, nullptr, arrow::decimal128(15, 2), nullptr,
                                   arrow::float32())
              .ValueOrDie();
  EXPECT_TRUE(types.first->Equals(*arrow::float64()));
  EXPECT_TRUE(types.second->Equals(*arrow::float64()));
  EXPECT_TRUE(arithmetic_result_type(BinaryOp::kMinus, arrow::date32(), arrow::date32())
                  .ValueOrDie()
                  ->Equals(*arrow::int64()));
  EXPECT_TRUE(
      arithmetic_result_type(BinaryOp::kPlus, arrow::date32(), arrow::month_day_nano_interval())
          .ValueOrDie()
          ->Equals(*arrow::date32()));
  EXPECT_FALSE(arithmetic_operand_types(BinaryOp::kMultiply, nullptr, arrow::date32(), nullptr,
                                        arrow::month_day_nano_interval())
                   .ok());
}

}  // namespace
}  // namespace quiver::logical

namespace quiver::physical {
namespace {

// A Decimal128 array of `type` from decimal strings ("" is NULL).
std::shared_ptr<arrow::Array> decimals(const std::shared_ptr<arrow::DataType>& type,
                                       const std::vector<std::string>& values) {
  const int32_t scale = static_cast<const arrow::DecimalType&>(*type).scale();
  arrow::Decimal128Builder builder(type);
  for (const auto& v : values) {
    if (v.empty()) {
      EXPECT_TRUE(builder.AppendNull().ok());
      continue;
    }
    arrow::Decimal128 d;
    int32_t parsed_scale = 0;
    int32_t parsed_precision = 0;
    EXPECT_TRUE(arrow::Decimal128::FromString(v, &d, &parsed_precision, &parsed_scale).ok());
    EXPECT_TRUE(builder.Append(d.Rescale(parsed_scale, scale).ValueOrDie()).ok());
  }
  return builder.Finish().ValueOrDie();
}

arrow::Datum decimal_scalar(const std::string& v, int32_t precision, int32_t scale) {
  return arrow::Datum(
      decimals(arrow::decimal128(precision, scale), {v})->GetScalar(0).ValueOrDie());
}

std::string render(const arrow::Datum& d) {
  return d.is_scalar() ? d.scalar()->ToString() : d.make_array()->ToString();
}

TEST(DecimalRoundingTest, CastOfArraysKeepsTheCarriedDigit) {
  // Several rows: a carry on one row must not turn it into 0 (Arrow's round kept the input
  // precision and silently gave 0 on arrays).
  auto v = decimals(arrow::decimal128(3, 2), {"9.96", "1.25", "", "-9.96", "0.04"});
  auto to_5_1 = sql_cast(v, arrow::decimal128(5, 1)).ValueOrDie();
  EXPECT_EQ(render(to_5_1),
            render(decimals(arrow::decimal128(5, 1), {"10.0", "1.3", "", "-10.0", "0.0"})));
  auto to_3_1 = sql_cast(v, arrow::decimal128(3, 1)).ValueOrDie();
  EXPECT_EQ(render(to_3_1),
            render(decimals(arrow::decimal128(3, 1), {"10.0", "1.3", "", "-10.0", "0.0"})));
  auto to_int = sql_cast(v, arrow::int32()).ValueOrDie();
  EXPECT_EQ(render(to_int), "[\n  10,\n  1,\n  null,\n  -10,\n  0\n]");
  auto w = decimals(arrow::decimal128(2, 1), {"9.5", "-9.5", "0.4", "-0.5"});
  auto w_int = sql_cast(w, arrow::int64()).ValueOrDie();
  EXPECT_EQ(render(w_int), "[\n  10,\n  -10,\n  0,\n  -1\n]");
  // Widening the scale is exact.
  auto to_6_4 = sql_cast(v, arrow::decimal128(6, 4)).ValueOrDie();
  EXPECT_EQ(render(to_6_4), render(decimals(arrow::decimal128(6, 4),
                                            {"9.9600", "1.2500", "", "-9.9600", "0.0400"})));
}

TEST(DecimalRoundingTest, CastOfScalars) {
  auto r = sql_cast(decimal_scalar("9.96", 3, 2), arrow::decimal128(4, 1)).ValueOrDie();
  EXPECT_EQ(r.scalar()->ToString(), "10.0");
  r = sql_cast(decimal_scalar("99999999.99", 10, 2), arrow::int32()).ValueOrDie();
  EXPECT_EQ(r.scalar()->ToString(), "100000000");
  r = sql_cast(decimal_scalar("-9.5", 2, 1), arrow::int64()).ValueOrDie();
  EXPECT_EQ(r.scalar()->ToString(), "-10");
  r = sql_cast(arrow::Datum(arrow::MakeNullScalar(arrow::decimal128(3, 2))),
               arrow::decimal128(2, 1))
          .ValueOrDie();
  EXPECT_FALSE(r.scalar()->is_valid);
}

TEST(DecimalRoundingTest, ValuesThatDoNotFitAreErrors) {
  auto v = decimals(arrow::decimal128(3, 2), {"1.25", "9.96"});
  auto array_status = sql_cast(v, arrow::decimal128(2, 1)).status();
  EXPECT_TRUE(array_status.IsInvalid());
  EXPECT_NE(array_status.message().find("9.96"), std::string::npos) << array_status.message();
  EXPECT_TRUE(sql_cast(decimal_scalar("9.96", 3, 2), arrow::decimal128(2, 1)).status().IsInvalid());
  EXPECT_TRUE(
      sql_cast(decimal_scalar("99999999999.5", 12, 1), arrow::int32()).status().IsInvalid());
  EXPECT_TRUE(sql_cast(decimals(arrow::decimal128(12, 1), {"1", "99999999999.5"}), arrow::int32())
                  .status()
                  .IsInvalid());
  // Through CastExpr the error names the expression; TRY_CAST gives NULL on that row only.
  auto schema = arrow::schema({arrow::field("v", arrow::decimal128(3, 2))});
  auto batch = arrow::RecordBatch::Make(schema, 2, {v});
  auto cast = make_cast(make_column("v", 0), arrow::decimal128(2, 1));
  auto status = cast->evaluate(*batch).status();
  EXPECT_NE(status.message().find("CAST(v"), std::string::npos) << status.message();
  auto try_cast = make_try_cast(make_column("v", 0), arrow::decimal128(2, 1));
  auto tried = try_cast->evaluate(*batch).ValueOrDie();
  EXPECT_EQ(render(tried), render(decimals(arrow::decimal128(2, 1), {"1.3", ""})));
}

TEST(DecimalRoundingTest, RoundFloorCeilModes) {
  auto v = decimals(arrow::decimal128(3, 2), {"9.96", "-9.96", "1.25", "-1.25", "0.05", ""});
  auto out = arrow::decimal128(4, 2);
  auto half = decimal_round(v, 1, DecimalRounding::kHalfAwayFromZero, out).ValueOrDie();
  EXPECT_EQ(render(half), render(decimals(out, {"10", "-10", "1.3", "-1.3", "0.1", ""})));
  auto floor = decimal_round(v, 0, DecimalRounding::kFloor, out).ValueOrDie();
  EXPECT_EQ(render(floor), render(decimals(out, {"9", "-10", "1", "-2", "0", ""})));
  auto ceil = decimal_round(v, 0, DecimalRounding::kCeil, out).ValueOrDie();
  EXPECT_EQ(render(ceil), render(decimals(out, {"10", "-9", "2", "-1", "1", ""})));
  auto tens = decimal_round(v, -1, DecimalRounding::kHalfAwayFromZero, out).ValueOrDie();
  EXPECT_EQ(render(tens), render(decimals(out, {"10", "-10", "0", "0", "0", ""})));
  auto far = decimal_round(v, -60, DecimalRounding::kHalfAwayFromZero, out).ValueOrDie();
  EXPECT_EQ(render(far), render(decimals(out, {"0", "0", "0", "0", "0", ""})));
  // Precision 38 has no room to widen: the carry is an error, not a wrong value.
  auto big = decimals(arrow::decimal128(38, 0), {"99999999999999999999999999999999999999"});
  EXPECT_TRUE(decimal_round(big, -1, DecimalRounding::kHalfAwayFromZero, arrow::decimal128(38, 0))
                  .status()
                  .IsInvalid());
  auto min = decimals(arrow::decimal128(38, 0), {"-99999999999999999999999999999999999999"});
  EXPECT_TRUE(decimal_round(min, 0, DecimalRounding::kFloor, arrow::decimal128(38, 0)).ok());
}

}  // namespace
}  // namespace quiver::physical
