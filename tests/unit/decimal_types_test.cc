#include "quiver/logical/decimal_types.h"

#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include "quiver/logical/expr_type.h"

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
