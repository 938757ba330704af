// Physical expressions: values, NULLs, scalars versus arrays, empty batches, errors, display.

#include <arrow/array.h>
#include <arrow/json/from_string.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/case_expr.h"
#include "quiver/physical/expr/cast_expr.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/physical/expr/decimal_arithmetic.h"
#include "quiver/physical/expr/decimal_comparison.h"
#include "quiver/physical/expr/in_list_expr.h"
#include "quiver/physical/expr/is_not_null_expr.h"
#include "quiver/physical/expr/is_null_expr.h"
#include "quiver/physical/expr/like_expr.h"
#include "quiver/physical/expr/literal_expr.h"
#include "quiver/physical/expr/negative_expr.h"
#include "quiver/physical/expr/not_expr.h"
#include "quiver/physical/expr/scalar_function_expr.h"
#include "quiver/physical/expr/truth_test_expr.h"

namespace quiver::physical {
namespace {

using logical::BinaryOp;

std::shared_ptr<arrow::Array> arr(const std::shared_ptr<arrow::DataType>& type,
                                  const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

// A batch with a: Int64, b: Int64, s: Utf8, f: Boolean, d: Date32.
std::shared_ptr<arrow::RecordBatch> sample_batch() {
  auto schema =
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::int64()),
                     arrow::field("s", arrow::utf8()), arrow::field("f", arrow::boolean()),
                     arrow::field("d", arrow::date32())});
  return arrow::RecordBatch::Make(
      schema, 4,
      {arr(arrow::int64(), "[1, 2, null, 4]"), arr(arrow::int64(), "[10, 0, 5, 2]"),
       arr(arrow::utf8(), R"(["apple", "Banana", null, "cherry"])"),
       arr(arrow::boolean(), "[true, false, null, true]"),
       arr(arrow::date32(), "[19723, 19753, null, 0]")});
}

std::shared_ptr<arrow::RecordBatch> empty_batch() {
  auto full = sample_batch();
  return full->Slice(0, 0);
}

PhysicalExprPtr a() { return make_column("a", 0); }
PhysicalExprPtr b() { return make_column("b", 1); }
PhysicalExprPtr s() { return make_column("s", 2); }
PhysicalExprPtr f() { return make_column("f", 3); }
PhysicalExprPtr d() { return make_column("d", 4); }
PhysicalExprPtr i64(int64_t v) { return make_literal(std::make_shared<arrow::Int64Scalar>(v)); }
PhysicalExprPtr str(const std::string& v) {
  return make_literal(std::make_shared<arrow::StringScalar>(v));
}
PhysicalExprPtr null_lit() { return make_literal(arrow::MakeNullScalar(arrow::null())); }

// Evaluates over the sample batch and checks the result (as an array) against `json`.
void expect_eval(const PhysicalExprPtr& expr, const std::shared_ptr<arrow::DataType>& type,
                 const std::string& json,
                 const std::shared_ptr<arrow::RecordBatch>& batch = sample_batch()) {
  auto result = evaluate_to_array(*expr, *batch);
  ASSERT_TRUE(result.ok()) << expr->to_string() << ": " << result.status().ToString();
  auto expected = arr(type, json);
  EXPECT_TRUE((*result)->Equals(*expected))
      << expr->to_string() << "\n got:      " << (*result)->ToString()
      << "\n expected: " << expected->ToString();
  auto declared = expr->data_type(*batch->schema());
  ASSERT_TRUE(declared.ok()) << declared.status().ToString();
  EXPECT_TRUE((*declared)->Equals(*(*result)->type()))
      << expr->to_string() << " declares " << (*declared)->ToString() << " but gives "
      << (*result)->type()->ToString();
}

arrow::Status eval_status(const PhysicalExprPtr& expr) {
  return expr->evaluate(*sample_batch()).status();
}

TEST(ColumnExprTest, ReturnsTheBatchColumnAndDisplaysNameAtIndex) {
  auto batch = sample_batch();
  auto value = b()->evaluate(*batch);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->array().get(), batch->column_data(1).get());  // no copy
  EXPECT_EQ(b()->to_string(), "b@1");
  EXPECT_TRUE(b()->data_type(*batch->schema()).ValueOrDie()->Equals(*arrow::int64()));
  EXPECT_FALSE(make_column("x", 9)->evaluate(*batch).ok());
}

TEST(LiteralExprTest, EvaluatesToAScalarAndDisplaysItsType) {
  EXPECT_EQ(i64(1)->to_string(), "Int64(1)");
  EXPECT_EQ(str("x")->to_string(), "Utf8(\"x\")");
  EXPECT_EQ(null_lit()->to_string(), "NULL");
  auto value = i64(7)->evaluate(*sample_batch());
  ASSERT_TRUE(value.ok());
  ASSERT_TRUE(value->is_scalar());
  expect_eval(i64(7), arrow::int64(), "[7, 7, 7, 7]");
  expect_eval(i64(7), arrow::int64(), "[]", empty_batch());
}

TEST(BinaryExprTest, ArithmeticPropagatesNulls) {
  expect_eval(make_binary(a(), BinaryOp::kPlus, i64(1)), arrow::int64(), "[2, 3, null, 5]");
  expect_eval(make_binary(a(), BinaryOp::kMinus, b()), arrow::int64(), "[-9, 2, null, 2]");
  expect_eval(make_binary(a(), BinaryOp::kMultiply, b()), arrow::int64(), "[10, 0, null, 8]");
  expect_eval(make_binary(b(), BinaryOp::kDivide, make_binary(a(), BinaryOp::kPlus, i64(1))),
              arrow::int64(), "[5, 0, null, 0]");
  expect_eval(make_binary(a(), BinaryOp::kPlus, null_lit()), arrow::int64(),
              "[null, null, null, null]");
}

TEST(BinaryExprTest, ScalarsGiveAScalar) {
  auto value = make_binary(i64(2), BinaryOp::kMultiply, i64(21))->evaluate(*sample_batch());
  ASSERT_TRUE(value.ok());
  ASSERT_TRUE(value->is_scalar());
  EXPECT_EQ(value->scalar()->ToString(), "42");
}

TEST(BinaryExprTest, DivisionByZeroIsAUserError) {
  auto st = eval_status(make_binary(a(), BinaryOp::kDivide, b()));
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_EQ(st.message(), "division by zero");
  auto mod = eval_status(make_binary(a(), BinaryOp::kModulo, b()));
  EXPECT_TRUE(mod.IsInvalid()) << mod.ToString();
  EXPECT_EQ(mod.message(), "division by zero");
}

TEST(BinaryExprTest, IntegerOverflowIsAUserError) {
  auto big = i64(INT64_MAX);
  auto st = eval_status(make_binary(a(), BinaryOp::kPlus, big));
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_NE(st.message().find("overflow"), std::string::npos) << st.message();
  auto neg = eval_status(make_negative(i64(INT64_MIN)));
  EXPECT_TRUE(neg.IsInvalid()) << neg.ToString();
}

TEST(BinaryExprTest, ModuloFollowsTheDividendSign) {
  auto batch = arrow::RecordBatch::Make(
      arrow::schema({arrow::field("x", arrow::int32()), arrow::field("y", arrow::int32())}), 4,
      {arr(arrow::int32(), "[7, -7, 7, null]"), arr(arrow::int32(), "[3, 3, -3, 2]")});
  auto x = make_column("x", 0);
  auto y = make_column("y", 1);
  expect_eval(make_binary(x, BinaryOp::kModulo, y), arrow::int32(), "[1, -1, 1, null]", batch);
  auto fx = make_literal(std::make_shared<arrow::DoubleScalar>(5.5));
  auto value = make_binary(fx, BinaryOp::kModulo, i64(2))->evaluate(*batch);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->scalar()->ToString(), "1.5");
}

TEST(BinaryExprTest, ComparisonsAndThreeValuedLogic) {
  expect_eval(make_binary(a(), BinaryOp::kGt, i64(1)), arrow::boolean(),
              "[false, true, null, true]");
  expect_eval(make_binary(a(), BinaryOp::kEq, b()), arrow::boolean(),
              "[false, false, null, false]");
  expect_eval(make_binary(s(), BinaryOp::kLt, str("b")), arrow::boolean(),
              "[true, true, null, false]");
  auto null_bool = make_literal(arrow::MakeNullScalar(arrow::boolean()));
  // NULL AND false = false; NULL OR true = true.
  expect_eval(make_binary(f(), BinaryOp::kAnd, null_bool), arrow::boolean(),
              "[null, false, null, null]");
  expect_eval(make_binary(f(), BinaryOp::kOr, null_bool), arrow::boolean(),
              "[true, null, null, true]");
  expect_eval(make_binary(null_lit(), BinaryOp::kOr, f()), arrow::boolean(),
              "[true, null, null, true]");
}

TEST(BinaryExprTest, StringConcatPropagatesNullAndCastsNumbers) {
  expect_eval(make_binary(s(), BinaryOp::kStringConcat, str("!")), arrow::utf8(),
              R"(["apple!", "Banana!", null, "cherry!"])");
  expect_eval(make_binary(s(), BinaryOp::kStringConcat, a()), arrow::utf8(),
              R"(["apple1", "Banana2", null, "cherry4"])");
}

TEST(BinaryExprTest, IsDistinctFromTreatsNullsAsValues) {
  expect_eval(make_binary(a(), BinaryOp::kIsDistinctFrom, i64(2)), arrow::boolean(),
              "[true, false, true, true]");
  expect_eval(make_binary(a(), BinaryOp::kIsNotDistinctFrom, null_lit()), arrow::boolean(),
              "[false, false, true, false]");
}

TEST(BinaryExprTest, DateAndInterval) {
  auto month = make_literal(std::make_shared<arrow::MonthDayNanoIntervalScalar>(
      arrow::MonthDayNanoIntervalType::MonthDayNanos{1, 0, 0}));
  auto ninety_days = make_literal(std::make_shared<arrow::MonthDayNanoIntervalScalar>(
      arrow::MonthDayNanoIntervalType::MonthDayNanos{0, 90, 0}));
  // 19723 = 2024-01-01, 19753 = 2024-01-31 (+1 month clamps to 2024-02-29 = 19782).
  expect_eval(make_binary(d(), BinaryOp::kPlus, month), arrow::date32(),
              "[19754, 19782, null, 31]");
  expect_eval(make_binary(d(), BinaryOp::kMinus, ninety_days), arrow::date32(),
              "[19633, 19663, null, -90]");
}

TEST(BinaryExprTest, DisplaysWithMinimalParentheses) {
  auto sum = make_binary(a(), BinaryOp::kPlus, b());
  EXPECT_EQ(make_binary(sum, BinaryOp::kMultiply, i64(2))->to_string(), "(a@0 + b@1) * Int64(2)");
  EXPECT_EQ(make_binary(i64(2), BinaryOp::kMultiply, a())->to_string(), "Int64(2) * a@0");
  auto cmp1 = make_binary(a(), BinaryOp::kGt, i64(1));
  auto cmp2 = make_binary(b(), BinaryOp::kLtEq, i64(5));
  EXPECT_EQ(make_binary(cmp1, BinaryOp::kAnd, cmp2)->to_string(),
            "a@0 > Int64(1) AND b@1 <= Int64(5)");
  auto either = make_binary(cmp1, BinaryOp::kOr, cmp2);
  EXPECT_EQ(make_binary(either, BinaryOp::kAnd, f())->to_string(),
            "(a@0 > Int64(1) OR b@1 <= Int64(5)) AND f@3");
  EXPECT_EQ(make_binary(a(), BinaryOp::kMinus, sum)->to_string(), "a@0 - (a@0 + b@1)");
}

TEST(BinaryExprTest, EmptyBatch) {
  expect_eval(make_binary(a(), BinaryOp::kPlus, i64(1)), arrow::int64(), "[]", empty_batch());
  expect_eval(make_binary(a(), BinaryOp::kModulo, i64(0)), arrow::int64(), "[]", empty_batch());
}

TEST(UnaryExprTest, NotNegativeAndNullTests) {
  expect_eval(make_not(f()), arrow::boolean(), "[false, true, null, false]");
  EXPECT_EQ(make_not(f())->to_string(), "NOT f@3");
  expect_eval(make_negative(a()), arrow::int64(), "[-1, -2, null, -4]");
  EXPECT_EQ(make_negative(a())->to_string(), "(- a@0)");
  expect_eval(make_is_null(a()), arrow::boolean(), "[false, false, true, false]");
  expect_eval(make_is_not_null(s()), arrow::boolean(), "[true, true, false, true]");
  EXPECT_EQ(make_is_not_null(s())->to_string(), "s@2 IS NOT NULL");
  EXPECT_FALSE(make_is_null(a())->nullable(*sample_batch()->schema()).ValueOrDie());
}

TEST(UnaryExprTest, TruthTests) {
  expect_eval(make_is_true(f()), arrow::boolean(), "[true, false, false, true]");
  expect_eval(make_is_true(f(), true), arrow::boolean(), "[false, true, true, false]");
  expect_eval(make_is_false(f()), arrow::boolean(), "[false, true, false, false]");
  expect_eval(make_is_false(f(), true), arrow::boolean(), "[true, false, true, true]");
  EXPECT_EQ(make_is_false(f(), true)->to_string(), "f@3 IS NOT FALSE");
}

TEST(CastExprTest, ConvertsAndDisplays) {
  auto to_text = make_cast(a(), arrow::utf8());
  EXPECT_EQ(to_text->to_string(), "CAST(a@0 AS Utf8)");
  expect_eval(to_text, arrow::utf8(), R"(["1", "2", null, "4"])");
  auto float_lit = make_literal(std::make_shared<arrow::DoubleScalar>(2.7));
  auto value = make_cast(float_lit, arrow::int32())->evaluate(*sample_batch());
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(value->scalar()->ToString(), "3");  // rounds, as PostgreSQL does
  auto half = make_literal(std::make_shared<arrow::DoubleScalar>(-2.5));
  EXPECT_EQ(make_cast(half, arrow::int64())->evaluate(*sample_batch())->scalar()->ToString(), "-3");
}

TEST(CastExprTest, FailureNamesTheValueAndTryCastGivesNull) {
  auto st = eval_status(make_cast(s(), arrow::int32()));
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  // Arrow names the offending value ('apple' or 'cherry').
  EXPECT_TRUE(st.message().find("'apple'") != std::string::npos ||
              st.message().find("'cherry'") != std::string::npos)
      << st.message();
  auto batch = arrow::RecordBatch::Make(arrow::schema({arrow::field("t", arrow::utf8())}), 3,
                                        {arr(arrow::utf8(), R"(["12", "x", null])")});
  auto t = make_column("t", 0);
  auto try_cast = make_try_cast(t, arrow::int32());
  EXPECT_EQ(try_cast->to_string(), "TRY_CAST(t@0 AS Int32)");
  expect_eval(try_cast, arrow::int32(), "[12, null, null]", batch);
  auto huge = make_literal(std::make_shared<arrow::DoubleScalar>(1e20));
  EXPECT_TRUE(eval_status(make_cast(huge, arrow::int32())).IsInvalid());
  auto overflow = eval_status(make_cast(i64(300), arrow::int8()));
  EXPECT_TRUE(overflow.IsInvalid()) << overflow.ToString();
}

TEST(CaseExprTest, SearchedCaseWithElse) {
  auto schema = sample_batch()->schema();
  auto expr = make_case(nullptr,
                        {{make_binary(a(), BinaryOp::kGt, i64(2)), str("big")},
                         {make_binary(a(), BinaryOp::kGt, i64(1)), str("mid")}},
                        str("small"), *schema)
                  .ValueOrDie();
  EXPECT_EQ(expr->to_string(),
            "CASE WHEN a@0 > Int64(2) THEN Utf8(\"big\") WHEN a@0 > Int64(1) THEN "
            "Utf8(\"mid\") ELSE Utf8(\"small\") END");
  // NULL a takes no WHEN and falls to ELSE.
  expect_eval(expr, arrow::utf8(), R"(["small", "mid", "small", "big"])");
  expect_eval(expr, arrow::utf8(), "[]", empty_batch());
}

TEST(CaseExprTest, OperandFormAndMissingElse) {
  auto schema = sample_batch()->schema();
  auto expr = make_case(a(), {{i64(1), s()}, {i64(4), str("four")}}, nullptr, *schema).ValueOrDie();
  EXPECT_EQ(expr->to_string(),
            "CASE a@0 WHEN Int64(1) THEN s@2 WHEN Int64(4) THEN "
            "Utf8(\"four\") END");
  expect_eval(expr, arrow::utf8(), R"(["apple", null, null, "four"])");
}

TEST(CaseExprTest, UntakenBranchErrorsDoNotFail) {
  auto schema = sample_batch()->schema();
  // b is 0 in row 1: a / b would fail there, but that row takes the first branch.
  auto expr = make_case(nullptr, {{make_binary(b(), BinaryOp::kEq, i64(0)), i64(-1)}},
                        make_binary(a(), BinaryOp::kDivide, b()), *schema)
                  .ValueOrDie();
  expect_eval(expr, arrow::int64(), "[0, -1, null, 2]");
}

TEST(InListExprTest, SqlNullSemantics) {
  auto schema = sample_batch()->schema();
  auto in = make_in_list(a(), {i64(1), i64(4)}, false, *schema).ValueOrDie();
  EXPECT_EQ(in->to_string(), "a@0 IN ([Int64(1), Int64(4)])");
  expect_eval(in, arrow::boolean(), "[true, false, null, true]");
  // Not found with a NULL in the list is NULL, not false.
  auto with_null = make_in_list(a(), {i64(1), null_lit()}, false, *schema).ValueOrDie();
  expect_eval(with_null, arrow::boolean(), "[true, null, null, null]");
  auto not_in = make_in_list(a(), {i64(1), null_lit()}, true, *schema).ValueOrDie();
  EXPECT_EQ(not_in->to_string(), "a@0 NOT IN ([Int64(1), NULL])");
  expect_eval(not_in, arrow::boolean(), "[false, null, null, null]");
  auto plain_not_in = make_in_list(a(), {i64(1), i64(2)}, true, *schema).ValueOrDie();
  expect_eval(plain_not_in, arrow::boolean(), "[false, false, null, true]");
}

TEST(InListExprTest, NonLiteralItems) {
  auto schema = sample_batch()->schema();
  auto in = make_in_list(b(), {a(), i64(5)}, false, *schema).ValueOrDie();
  // Row 2: b = 5 matches the literal although a is NULL.
  expect_eval(in, arrow::boolean(), "[false, false, true, false]");
}

TEST(LikeExprTest, WildcardsCaseAndNegation) {
  expect_eval(make_like(s(), str("%an%")), arrow::boolean(), "[false, true, null, false]");
  expect_eval(make_like(s(), str("_pple")), arrow::boolean(), "[true, false, null, false]");
  expect_eval(make_like(s(), str("b%"), false, true), arrow::boolean(),
              "[false, true, null, false]");
  expect_eval(make_like(s(), str("b%"), true, false), arrow::boolean(), "[true, true, null, true]");
  EXPECT_EQ(make_like(s(), str("b%"), true, true)->to_string(), "s@2 NOT ILIKE Utf8(\"b%\")");
  auto null_pattern = make_literal(arrow::MakeNullScalar(arrow::utf8()));
  expect_eval(make_like(s(), null_pattern), arrow::boolean(), "[null, null, null, null]");
  EXPECT_TRUE(eval_status(make_like(s(), s())).IsNotImplemented());
}

TEST(ScalarFunctionExprTest, CallsTheRegisteredFunction) {
  auto schema = sample_batch()->schema();
  auto upper = make_scalar_function("upper", {s()}, *schema).ValueOrDie();
  EXPECT_EQ(upper->to_string(), "upper(s@2)");
  expect_eval(upper, arrow::utf8(), R"(["APPLE", "BANANA", null, "CHERRY"])");
  auto unknown = make_scalar_function("uper", {s()}, *schema);
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsInvalid());
  EXPECT_NE(unknown.status().message().find("upper"), std::string::npos)
      << unknown.status().message();
  auto bad_args = make_scalar_function("upper", {a()}, *schema);
  ASSERT_FALSE(bad_args.ok());
  EXPECT_EQ(bad_args.status().message(), "upper(Int64) is not supported: upper expects a string");
}

TEST(PhysicalExprTest, WithNewChildrenRebuildsTheNode) {
  auto expr = make_binary(a(), BinaryOp::kPlus, i64(1));
  auto rebuilt = expr->with_new_children({b(), i64(2)}).ValueOrDie();
  EXPECT_EQ(rebuilt->to_string(), "b@1 + Int64(2)");
  EXPECT_FALSE(expr->with_new_children({b()}).ok());
  auto schema = sample_batch()->schema();
  auto c = make_case(a(), {{i64(1), s()}}, str("x"), *schema).ValueOrDie();
  auto c2 = c->with_new_children(c->children()).ValueOrDie();
  EXPECT_EQ(c2->to_string(), c->to_string());
}

}  // namespace
}  // namespace quiver::physical

namespace quiver::physical {
namespace {

std::shared_ptr<arrow::Array> decimals(int32_t precision, int32_t scale, const std::string& json) {
  return arrow::json::ArrayFromJSONString(arrow::decimal128(precision, scale), json).ValueOrDie();
}

arrow::Result<arrow::Datum> eval_binary(const std::shared_ptr<arrow::Array>& l, BinaryOp op,
                                        const std::shared_ptr<arrow::Array>& r) {
  auto schema = arrow::schema({arrow::field("l", l->type()), arrow::field("r", r->type())});
  auto batch = arrow::RecordBatch::Make(schema, l->length(), {l, r});
  auto expr = make_binary(make_column("l", 0), op, make_column("r", 1));
  ARROW_ASSIGN_OR_RAISE(auto type, expr->data_type(*schema));
  ARROW_ASSIGN_OR_RAISE(auto out, expr->evaluate(*batch));
  if (!out.type()->Equals(*type)) return arrow::Status::Invalid("type mismatch ", type->ToString());
  return out;
}

TEST(DecimalArithmeticTest, ResultPrecisionAndScaleFollowTheSqlRules) {
  auto price = decimals(15, 2, R"(["100.50", "-3.25", null])");
  auto disc = decimals(16, 2, R"(["0.95", "1.00", "2.00"])");
  auto product = eval_binary(price, BinaryOp::kMultiply, disc).ValueOrDie().make_array();
  EXPECT_TRUE(product->Equals(*decimals(32, 4, R"(["95.4750", "-3.2500", null])")))
      << product->ToString();
  auto rate = decimals(5, 3, R"(["0.125", "0.001", "1.000"])");
  auto sum = eval_binary(price, BinaryOp::kPlus, rate).ValueOrDie().make_array();
  EXPECT_TRUE(sum->Equals(*decimals(17, 3, R"(["100.625", "-3.249", null])"))) << sum->ToString();
  auto diff = eval_binary(rate, BinaryOp::kMinus, price).ValueOrDie().make_array();
  EXPECT_TRUE(diff->Equals(*decimals(17, 3, R"(["-100.375", "3.251", null])"))) << diff->ToString();
  auto rem = eval_binary(decimals(5, 1, R"(["-7.5", "7.5"])"), BinaryOp::kModulo,
                         decimals(3, 0, R"(["2", "-2"])"))
                 .ValueOrDie()
                 .make_array();
  EXPECT_TRUE(rem->Equals(*decimals(4, 1, R"(["-1.5", "1.5"])"))) << rem->ToString();
}

TEST(DecimalArithmeticTest, OverflowAndZeroDivisorNameTheExpression) {
  auto big = decimals(38, 0, R"(["99999999999999999999999999999999999999"])");
  auto two = decimals(1, 0, R"(["2"])");
  auto st = eval_binary(big, BinaryOp::kMultiply, two).status();
  EXPECT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("decimal overflow"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("l@0 * r@1"), std::string::npos) << st.message();
  st = eval_binary(big, BinaryOp::kPlus, big).status();
  EXPECT_NE(st.message().find("decimal overflow"), std::string::npos) << st.message();
  st = eval_binary(two, BinaryOp::kModulo, decimals(1, 0, R"(["0"])")).status();
  EXPECT_NE(st.message().find("division by zero"), std::string::npos) << st.message();
}

TEST(DecimalArithmeticTest, SlicesScalarsNullsAndValuesBeyondInt64) {
  // [null, 3.00, 123456789012345678.90 (beyond an int64 unscaled), 5.00]
  auto l = decimals(20, 2, R"(["1.00", null, "3.00", "123456789012345678.90", "5.00"])")->Slice(1);
  // [1.00, null, 2.00, 0.50]
  auto r = decimals(20, 2, R"(["9.00", "1.00", null, "2.00", "0.50"])")->Slice(1);
  auto sum = decimal_arithmetic(BinaryOp::kPlus, l, r, arrow::decimal128(21, 2), 4)
                 .ValueOrDie()
                 .make_array();
  EXPECT_TRUE(sum->Equals(*decimals(21, 2, R"([null, null, "123456789012345680.90", "5.50"])")))
      << sum->ToString();
  auto two =
      std::make_shared<arrow::Decimal128Scalar>(arrow::Decimal128(20), arrow::decimal128(2, 1));
  auto product = decimal_arithmetic(BinaryOp::kMultiply, two, l, arrow::decimal128(23, 3), 4)
                     .ValueOrDie()
                     .make_array();
  EXPECT_TRUE(
      product->Equals(*decimals(23, 3, R"([null, "6.000", "246913578024691357.800", "10.000"])")))
      << product->ToString();
  auto null = arrow::MakeNullScalar(arrow::decimal128(2, 1));
  auto none = decimal_arithmetic(BinaryOp::kMinus, l, null, arrow::decimal128(21, 2), 4)
                  .ValueOrDie()
                  .make_array();
  EXPECT_EQ(none->null_count(), 4);
  auto scalar =
      decimal_arithmetic(BinaryOp::kMultiply, two, two, arrow::decimal128(5, 2), 1).ValueOrDie();
  ASSERT_TRUE(scalar.is_scalar());
  EXPECT_EQ(scalar.scalar()->ToString(), "4.00");
  // A NULL slot's unscaled value is not looked at: 10^37 * 100 would overflow.
  auto values = arrow::AllocateBuffer(32).ValueOrDie();
  auto* raw = reinterpret_cast<arrow::Decimal128*>(values->mutable_data());
  raw[0] = arrow::Decimal128::GetScaleMultiplier(37);
  raw[1] = arrow::Decimal128(7);
  auto bits = arrow::AllocateBitmap(2).ValueOrDie();
  bits->mutable_data()[0] = 0b10;
  auto hidden = arrow::MakeArray(
      arrow::ArrayData::Make(arrow::decimal128(38, 0), 2, {std::move(bits), std::move(values)}, 1));
  auto hundred =
      std::make_shared<arrow::Decimal128Scalar>(arrow::Decimal128(100), arrow::decimal128(3, 0));
  auto scaled =
      decimal_arithmetic(BinaryOp::kMultiply, hidden, hundred, arrow::decimal128(38, 0), 2);
  ASSERT_TRUE(scaled.ok()) << scaled.status().ToString();
  EXPECT_TRUE(scaled->make_array()->Equals(*decimals(38, 0, R"([null, "700"])")));
}

TEST(DecimalComparisonTest, SameScaleAnyPrecisionWithNullsSlicesAndScalars) {
  // [null, 3.00, 123456789012345678.90, -5.00, 0.50, 2.00, 7.00, 8.00, 9.00]: 9 rows, past a byte.
  auto l = decimals(20, 2,
                    R"(["1.00", null, "3.00", "123456789012345678.90", "-5.00", "0.50", "2.00",
                        "7.00", "8.00", "9.00"])")
               ->Slice(1);
  auto r = decimals(5, 2,
                    R"(["1.00", "4.00", "3.00", null, "-5.00", "0.40", "2.00", "7.50", "8.00",
                        "0.00"])")
               ->Slice(1);
  auto check = [&](BinaryOp op, const std::string& expected) {
    auto out = compare_decimals(op, l, r, 9).ValueOrDie();
    ASSERT_TRUE(out.has_value());
    auto want = arrow::json::ArrayFromJSONString(arrow::boolean(), expected).ValueOrDie();
    EXPECT_TRUE(out->make_array()->Equals(*want))
        << logical::binary_op_symbol(op) << ": " << out->make_array()->ToString();
  };
  check(BinaryOp::kEq, "[null, true, null, true, false, true, false, true, false]");
  check(BinaryOp::kNotEq, "[null, false, null, false, true, false, true, false, true]");
  check(BinaryOp::kLt, "[null, false, null, false, false, false, true, false, false]");
  check(BinaryOp::kLtEq, "[null, true, null, true, false, true, true, true, false]");
  check(BinaryOp::kGt, "[null, false, null, false, true, false, false, false, true]");
  check(BinaryOp::kGtEq, "[null, true, null, true, true, true, false, true, true]");
  auto two =
      std::make_shared<arrow::Decimal128Scalar>(arrow::Decimal128(200), arrow::decimal128(3, 2));
  auto out = compare_decimals(BinaryOp::kGtEq, l, two, 9).ValueOrDie();
  ASSERT_TRUE(out.has_value());
  EXPECT_TRUE(out->make_array()->Equals(
      *arrow::json::ArrayFromJSONString(arrow::boolean(),
                                        "[null, true, true, false, false, true, true, true, true]")
           .ValueOrDie()));
  auto none = compare_decimals(BinaryOp::kLt, arrow::MakeNullScalar(arrow::decimal128(3, 2)), l, 9)
                  .ValueOrDie();
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->make_array()->null_count(), 9);
  // Other scales, two scalars and non-decimals are left to Arrow.
  EXPECT_FALSE(compare_decimals(BinaryOp::kEq, l, decimals(20, 3, "[]"), 0).ValueOrDie());
  EXPECT_FALSE(compare_decimals(BinaryOp::kEq, two, two, 1).ValueOrDie());
  EXPECT_FALSE(compare_decimals(BinaryOp::kPlus, l, r, 9).ValueOrDie());
}

TEST(DecimalCastTest, WideningThePrecisionAtTheSameScaleKeepsTheValues) {
  auto value = decimals(15, 2, R"(["1.25", null, "-99999.99"])")->Slice(1);
  auto out = sql_cast(arrow::Datum(value), arrow::decimal128(22, 2)).ValueOrDie().make_array();
  EXPECT_TRUE(out->Equals(*decimals(22, 2, R"([null, "-99999.99"])"))) << out->ToString();
  auto scalar = sql_cast(arrow::Datum(std::make_shared<arrow::Decimal128Scalar>(
                             arrow::Decimal128(125), arrow::decimal128(15, 2))),
                         arrow::decimal128(22, 2))
                    .ValueOrDie();
  EXPECT_TRUE(scalar.scalar()->Equals(
      arrow::Decimal128Scalar(arrow::Decimal128(125), arrow::decimal128(22, 2))));
}

TEST(DecimalCastTest, RoundsHalfAwayFromZeroAndChecksPrecision) {
  auto value =
      arrow::json::ArrayFromJSONString(arrow::utf8(), R"(["1.255", "-1.255", "2"])").ValueOrDie();
  auto out = sql_cast(arrow::Datum(value), arrow::decimal128(10, 2)).ValueOrDie().make_array();
  EXPECT_TRUE(out->Equals(*decimals(10, 2, R"(["1.26", "-1.26", "2.00"])"))) << out->ToString();
  out = sql_cast(arrow::Datum(decimals(6, 3, R"(["1.005", "-0.004"])")), arrow::decimal128(4, 2))
            .ValueOrDie()
            .make_array();
  EXPECT_TRUE(out->Equals(*decimals(4, 2, R"(["1.01", "0.00"])"))) << out->ToString();
  auto ints = arrow::json::ArrayFromJSONString(arrow::int64(), "[123, -7]").ValueOrDie();
  out = sql_cast(arrow::Datum(ints), arrow::decimal128(5, 2)).ValueOrDie().make_array();
  EXPECT_TRUE(out->Equals(*decimals(5, 2, R"(["123.00", "-7.00"])"))) << out->ToString();
  EXPECT_FALSE(sql_cast(arrow::Datum(ints), arrow::decimal128(4, 2)).ok());
}

}  // namespace
}  // namespace quiver::physical
