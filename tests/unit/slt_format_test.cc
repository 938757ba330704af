#include "sqllogictest/slt_format.h"

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace quiver::slt {
namespace {

std::shared_ptr<arrow::Array> make_array(const std::shared_ptr<arrow::DataType>& type,
                                         std::string_view json) {
  auto array = arrow::json::ArrayFromJSONString(type, json);
  EXPECT_TRUE(array.ok()) << array.status().ToString();
  return array.ValueOrDie();
}

/// Renders every element of a JSON-built array.
std::vector<std::string> render(const std::shared_ptr<arrow::DataType>& type,
                                std::string_view json) {
  auto array = make_array(type, json);
  std::vector<std::string> cells;
  for (int64_t i = 0; i < array->length(); ++i) {
    auto cell = format_value(*array, i);
    EXPECT_TRUE(cell.ok()) << cell.status().ToString();
    cells.push_back(cell.ok() ? *cell : "<error>");
  }
  return cells;
}

using Cells = std::vector<std::string>;

TEST(SltFormatTest, RendersDoublesLikeDataFusion) {
  EXPECT_EQ(format_double(1.0), "1");
  EXPECT_EQ(format_double(0.1 + 0.2), "0.3");
  EXPECT_EQ(format_double(2.5), "2.5");
  EXPECT_EQ(format_double(-2.5), "-2.5");
  EXPECT_EQ(format_double(-0.0), "0");
  EXPECT_EQ(format_double(0.0), "0");
  EXPECT_EQ(format_double(100.0), "100");
  EXPECT_EQ(format_double(1.0 / 3.0), "0.333333333333");
  EXPECT_EQ(format_double(2.0 / 3.0), "0.666666666667");
  EXPECT_EQ(format_double(-2.0 / 3.0), "-0.666666666667");
  EXPECT_EQ(format_double(1e-12), "0.000000000001");
  EXPECT_EQ(format_double(1e-13), "0");
  EXPECT_EQ(format_double(-1e-13), "0");
  EXPECT_EQ(format_double(1e20), "100000000000000000000");
  EXPECT_EQ(format_double(123456789.123456789), "123456789.12345679");
  EXPECT_EQ(format_double(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_double(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(format_double(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(SltFormatTest, RendersFloatsFromTheirShortestForm) {
  EXPECT_EQ(format_float(0.1f), "0.1");
  EXPECT_EQ(format_float(1.5f), "1.5");
  EXPECT_EQ(format_float(-3.0f), "-3");
  EXPECT_EQ(format_float(std::numeric_limits<float>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_float(-std::numeric_limits<float>::infinity()), "-Infinity");
}

TEST(SltFormatTest, NormalizesDecimalText) {
  EXPECT_EQ(format_decimal_text("12.3400"), "12.34");
  EXPECT_EQ(format_decimal_text("12.000"), "12");
  EXPECT_EQ(format_decimal_text("-0.00"), "0");
  EXPECT_EQ(format_decimal_text("100"), "100");
  EXPECT_EQ(format_decimal_text("0012.5"), "12.5");
  EXPECT_EQ(format_decimal_text("1.5E+3"), "1500");
  EXPECT_EQ(format_decimal_text("1.5E-3"), "0.0015");
  EXPECT_EQ(format_decimal_text("-123E-5"), "-0.00123");
  // Rounds to 12 places, half to even, carrying into the integer part.
  EXPECT_EQ(format_decimal_text("0.1234567890125"), "0.123456789012");
  EXPECT_EQ(format_decimal_text("0.1234567890135"), "0.123456789014");
  EXPECT_EQ(format_decimal_text("0.12345678901251"), "0.123456789013");
  EXPECT_EQ(format_decimal_text("9.9999999999995"), "10");
  EXPECT_EQ(format_decimal_text("-0.0000000000004"), "0");
  EXPECT_EQ(format_decimal_text("not a number"), "not a number");
}

TEST(SltFormatTest, RendersScalarsNullsAndEmptyStrings) {
  EXPECT_EQ(render(arrow::int64(), "[1, -2, null, 9223372036854775807]"),
            (Cells{"1", "-2", "NULL", "9223372036854775807"}));
  EXPECT_EQ(render(arrow::uint64(), "[18446744073709551615]"), Cells{"18446744073709551615"});
  EXPECT_EQ(render(arrow::int8(), "[-128]"), Cells{"-128"});
  EXPECT_EQ(render(arrow::boolean(), "[true, false, null]"), (Cells{"true", "false", "NULL"}));
  EXPECT_EQ(render(arrow::utf8(), R"(["a b", "", null])"), (Cells{"a b", "(empty)", "NULL"}));
  EXPECT_EQ(render(arrow::large_utf8(), R"([""])"), Cells{"(empty)"});
  EXPECT_EQ(render(arrow::utf8_view(), R"(["view", ""])"), (Cells{"view", "(empty)"}));
  EXPECT_EQ(render(arrow::float64(), "[1.0, 0.25, null]"), (Cells{"1", "0.25", "NULL"}));
  EXPECT_EQ(render(arrow::float32(), "[0.1]"), Cells{"0.1"});
  EXPECT_EQ(render(arrow::null(), "[null]"), Cells{"NULL"});
  EXPECT_EQ(render(arrow::binary(), R"(["AB"])"), Cells{"4142"});
}

TEST(SltFormatTest, RendersDecimals) {
  EXPECT_EQ(render(arrow::decimal128(10, 4), R"(["12.3400", "-0.5000", "0.0000", null])"),
            (Cells{"12.34", "-0.5", "0", "NULL"}));
  EXPECT_EQ(render(arrow::decimal256(40, 2), R"(["100.00"])"), Cells{"100"});
  // A negative scale: the unscaled value 123 means 12300.
  arrow::Decimal128Builder builder(arrow::decimal128(5, -2));
  ASSERT_TRUE(builder.Append(arrow::Decimal128(123)).ok());
  auto scaled = builder.Finish().ValueOrDie();
  EXPECT_EQ(*format_value(*scaled, 0), "12300");
}

TEST(SltFormatTest, RendersDatesTimesAndTimestamps) {
  EXPECT_EQ(render(arrow::date32(), "[0, 19753, -1, null]"),
            (Cells{"1970-01-01", "2024-01-31", "1969-12-31", "NULL"}));
  EXPECT_EQ(render(arrow::date64(), "[86400000]"), Cells{"1970-01-02"});
  EXPECT_EQ(render(arrow::timestamp(arrow::TimeUnit::SECOND), "[0, 1706745600]"),
            (Cells{"1970-01-01T00:00:00", "2024-02-01T00:00:00"}));
  EXPECT_EQ(render(arrow::timestamp(arrow::TimeUnit::MILLI), "[1500, -1]"),
            (Cells{"1970-01-01T00:00:01.500", "1969-12-31T23:59:59.999"}));
  EXPECT_EQ(render(arrow::timestamp(arrow::TimeUnit::MICRO), "[1000001]"),
            Cells{"1970-01-01T00:00:01.000001"});
  EXPECT_EQ(render(arrow::timestamp(arrow::TimeUnit::NANO), "[1, 1000]"),
            (Cells{"1970-01-01T00:00:00.000000001", "1970-01-01T00:00:00.000001"}));
  EXPECT_EQ(render(arrow::time64(arrow::TimeUnit::MICRO), "[3723000000, 3723500000]"),
            (Cells{"01:02:03", "01:02:03.500"}));
  EXPECT_EQ(render(arrow::time32(arrow::TimeUnit::SECOND), "[86399]"), Cells{"23:59:59"});
}

TEST(SltFormatTest, RendersTimestampsWithTimeZones) {
  EXPECT_EQ(render(arrow::timestamp(arrow::TimeUnit::SECOND, "UTC"), "[0]"),
            Cells{"1970-01-01T00:00:00Z"});
  EXPECT_EQ(render(arrow::timestamp(arrow::TimeUnit::SECOND, "+05:30"), "[0]"),
            Cells{"1970-01-01T05:30:00+05:30"});
  EXPECT_EQ(render(arrow::timestamp(arrow::TimeUnit::MILLI, "-02:00"), "[1500]"),
            Cells{"1969-12-31T22:00:01.500-02:00"});
}

TEST(SltFormatTest, RendersNestedValues) {
  EXPECT_EQ(render(arrow::list(arrow::int32()), "[[1, null, 3], [], null]"),
            (Cells{"[1, NULL, 3]", "[]", "NULL"}));
  EXPECT_EQ(render(arrow::list(arrow::utf8()), R"([["a", ""]])"), Cells{"[a, ]"});
  auto point =
      arrow::struct_({arrow::field("x", arrow::int64()), arrow::field("y", arrow::utf8())});
  EXPECT_EQ(render(point, R"([{"x": 1, "y": "a"}, null])"), (Cells{"{x: 1, y: a}", "NULL"}));
  EXPECT_EQ(render(arrow::map(arrow::utf8(), arrow::int32()), R"([[["k", 1], ["v", 2]]])"),
            Cells{"{k: 1, v: 2}"});
}

TEST(SltFormatTest, RendersDictionaryValues) {
  auto array = arrow::json::DictArrayFromJSONString(arrow::dictionary(arrow::int8(), arrow::utf8()),
                                                    "[1, 0, null]", R"(["a", "b"])");
  ASSERT_TRUE(array.ok()) << array.status().ToString();
  EXPECT_EQ(*format_value(**array, 0), "b");
  EXPECT_EQ(*format_value(**array, 1), "a");
  EXPECT_EQ(*format_value(**array, 2), "NULL");
}

TEST(SltFormatTest, RejectsOutOfRangeIndexes) {
  auto array = make_array(arrow::int32(), "[1]");
  EXPECT_FALSE(format_value(*array, 1).ok());
}

TEST(SltFormatTest, FormatsTablesAcrossChunksAndJoinsRows) {
  auto schema =
      arrow::schema({arrow::field("a", arrow::int32()), arrow::field("b", arrow::utf8())});
  auto a = std::make_shared<arrow::ChunkedArray>(
      arrow::ArrayVector{make_array(arrow::int32(), "[1]"), make_array(arrow::int32(), "[2, 3]")});
  auto b = std::make_shared<arrow::ChunkedArray>(
      arrow::ArrayVector{make_array(arrow::utf8(), R"(["x", null, ""])")});
  auto table = arrow::Table::Make(schema, {a, b});
  auto rows = format_table(*table);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0], (Row{"1", "x"}));
  EXPECT_EQ((*rows)[1], (Row{"2", "NULL"}));
  EXPECT_EQ((*rows)[2], (Row{"3", "(empty)"}));
  EXPECT_EQ(join_row((*rows)[0]), "1 x");
  EXPECT_EQ(join_row(Row{"a ", "b  "}), "a  b");
  EXPECT_EQ(join_row(Row{}), "");
}

}  // namespace
}  // namespace quiver::slt
