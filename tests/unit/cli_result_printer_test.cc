#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "quiver/shell/column_formatter.h"
#include "quiver/shell/result_printer.h"
#include "quiver/shell/terminal.h"

namespace quiver::shell {
namespace {

std::shared_ptr<arrow::Array> array_of(const std::shared_ptr<arrow::DataType>& type,
                                       const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

std::shared_ptr<arrow::Table> table_of(
    const std::vector<std::pair<std::string, std::shared_ptr<arrow::Array>>>& columns) {
  arrow::FieldVector fields;
  arrow::ArrayVector arrays;
  for (const auto& [name, array] : columns) {
    fields.push_back(arrow::field(name, array->type()));
    arrays.push_back(array);
  }
  return arrow::Table::Make(arrow::schema(fields), arrays);
}

// Five columns with nulls, text needing escapes, numbers, booleans and dates.
std::shared_ptr<arrow::Table> mixed_table() {
  return table_of({
      {"id", array_of(arrow::int64(), "[1, 2, null]")},
      {"name", array_of(arrow::utf8(), R"(["plain", "say \"hi\", ok", "two\nlines"])")},
      {"price", array_of(arrow::float64(), "[1.5, null, -0.25]")},
      {"ok", array_of(arrow::boolean(), "[true, null, false]")},
      {"day", array_of(arrow::date32(), "[19737, null, 0]")},
  });
}

std::string print(const arrow::Table& table, PrintOptions options) {
  std::ostringstream out;
  const arrow::Status st = ResultPrinter(options).print(table, out);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out.str();
}

PrintOptions with_format(OutputFormat format) {
  PrintOptions options;
  options.format = format;
  return options;
}

TEST(ResultPrinterTest, DrawsATableSizedToItsContent) {
  EXPECT_EQ(print(*mixed_table(), with_format(OutputFormat::kTable)),
            "+------+--------------+-------+-------+------------+\n"
            "| id   | name         | price | ok    | day        |\n"
            "+------+--------------+-------+-------+------------+\n"
            "| 1    | plain        | 1.5   | true  | 2024-01-15 |\n"
            "| 2    | say \"hi\", ok | NULL  | NULL  | NULL       |\n"
            "| NULL | two          | -0.25 | false | 1970-01-01 |\n"
            "|      | lines        |       |       |            |\n"
            "+------+--------------+-------+-------+------------+\n");
}

TEST(ResultPrinterTest, ShowsMultiLineValuesOnSeveralLines) {
  // EXPLAIN returns plans as multi-line text; a trailing line break adds no empty line.
  auto table = table_of({
      {"plan_type", array_of(arrow::utf8(), R"(["logical_plan", "physical_plan"])")},
      {"plan", array_of(arrow::utf8(),
                        R"(["Projection: a\n  TableScan: t", "ProjectionExec\r\n\tScan\n"])")},
  });
  EXPECT_EQ(print(*table, with_format(OutputFormat::kTable)),
            "+---------------+----------------+\n"
            "| plan_type     | plan           |\n"
            "+---------------+----------------+\n"
            "| logical_plan  | Projection: a  |\n"
            "|               |   TableScan: t |\n"
            "| physical_plan | ProjectionExec |\n"
            "|               | \\tScan         |\n"
            "+---------------+----------------+\n");
}

TEST(ResultPrinterTest, WritesCsvWithRfc4180Quoting) {
  EXPECT_EQ(print(*mixed_table(), with_format(OutputFormat::kCsv)),
            "id,name,price,ok,day\n"
            "1,plain,1.5,true,2024-01-15\n"
            "2,\"say \"\"hi\"\", ok\",,,\n"
            ",\"two\nlines\",-0.25,false,1970-01-01\n");
}

TEST(ResultPrinterTest, CsvTellsEmptyStringsFromNulls) {
  auto table = table_of({{"s", array_of(arrow::utf8(), R"(["", null, "x"])")}});
  EXPECT_EQ(print(*table, with_format(OutputFormat::kCsv)), "s\n\"\"\n\nx\n");
}

TEST(ResultPrinterTest, WritesJsonAsOneArrayOfObjects) {
  EXPECT_EQ(print(*mixed_table(), with_format(OutputFormat::kJson)),
            "[\n"
            R"({"id":1,"name":"plain","price":1.5,"ok":true,"day":"2024-01-15"},)"
            "\n"
            R"({"id":2,"name":"say \"hi\", ok","price":null,"ok":null,"day":null},)"
            "\n"
            R"({"id":null,"name":"two\nlines","price":-0.25,"ok":false,"day":"1970-01-01"})"
            "\n"
            "]\n");
}

TEST(ResultPrinterTest, WritesNdjsonOneObjectPerLine) {
  EXPECT_EQ(print(*mixed_table(), with_format(OutputFormat::kNdjson)),
            R"({"id":1,"name":"plain","price":1.5,"ok":true,"day":"2024-01-15"})"
            "\n"
            R"({"id":2,"name":"say \"hi\", ok","price":null,"ok":null,"day":null})"
            "\n"
            R"({"id":null,"name":"two\nlines","price":-0.25,"ok":false,"day":"1970-01-01"})"
            "\n");
}

TEST(ResultPrinterTest, PrintsEmptyResults) {
  auto empty = mixed_table()->Slice(0, 0);
  EXPECT_EQ(print(*empty, with_format(OutputFormat::kTable)),
            "+----+------+-------+----+-----+\n"
            "| id | name | price | ok | day |\n"
            "+----+------+-------+----+-----+\n");
  EXPECT_EQ(print(*empty, with_format(OutputFormat::kCsv)), "id,name,price,ok,day\n");
  EXPECT_EQ(print(*empty, with_format(OutputFormat::kJson)), "[]\n");
  EXPECT_EQ(print(*empty, with_format(OutputFormat::kNdjson)), "");
}

TEST(ResultPrinterTest, EscapesControlCharactersAndSpecialNumbersInJson) {
  auto table = table_of({
      {"s", array_of(arrow::utf8(), R"(["tab\there \\ \u0001"])")},
      {"f", array_of(arrow::float64(), "[NaN]")},
      {"u", array_of(arrow::uint8(), "[255]")},
  });
  EXPECT_EQ(print(*table, with_format(OutputFormat::kNdjson)),
            R"({"s":"tab\there \\ \u0001","f":null,"u":255})"
            "\n");
}

TEST(ResultPrinterTest, FormatsNestedAndBinaryValues) {
  auto list = array_of(arrow::list(arrow::int64()), "[[1, null, 3], null, []]");
  auto record = array_of(
      arrow::struct_({arrow::field("a", arrow::int32()), arrow::field("b", arrow::utf8())}),
      R"([{"a": 1, "b": "x"}, null, {"a": null, "b": "y"}])");
  auto bytes = array_of(arrow::binary(), R"(["AB", null, ""])");
  auto table = table_of({{"l", list}, {"r", record}, {"b", bytes}});
  EXPECT_EQ(print(*table, with_format(OutputFormat::kNdjson)),
            R"({"l":[1,null,3],"r":{"a":1,"b":"x"},"b":"4142"})"
            "\n"
            R"({"l":null,"r":null,"b":null})"
            "\n"
            R"({"l":[],"r":{"a":null,"b":"y"},"b":""})"
            "\n");
  EXPECT_EQ(print(*table, with_format(OutputFormat::kCsv)),
            "l,r,b\n"
            "\"[1, NULL, 3]\",\"{a: 1, b: x}\",4142\n"
            ",,\n"
            "[],\"{a: NULL, b: y}\",\"\"\n");
}

TEST(ResultPrinterTest, DecodesDictionaries) {
  auto dict = arrow::json::DictArrayFromJSONString(arrow::dictionary(arrow::int8(), arrow::utf8()),
                                                   "[1, null, 0]", R"(["red", "blue"])")
                  .ValueOrDie();
  auto table = table_of({{"color", dict}});
  EXPECT_EQ(print(*table, with_format(OutputFormat::kCsv)), "color\nblue\n\nred\n");
}

TEST(ResultPrinterTest, LimitsTheRowsOfATable) {
  auto table = table_of({{"n", array_of(arrow::int32(), "[1, 2, 3, 4, 5]")}});
  PrintOptions options;
  options.max_rows = 2;
  EXPECT_EQ(print(*table, options),
            "+---+\n"
            "| n |\n"
            "+---+\n"
            "| 1 |\n"
            "| 2 |\n"
            "+---+\n"
            "(showing 2 of 5 rows)\n");
  options.max_rows = 5;
  EXPECT_EQ(print(*table, options).find("showing"), std::string::npos);
}

TEST(ResultPrinterTest, NarrowsWideColumnsToTheWidth) {
  auto table = table_of({{"key", array_of(arrow::utf8(), R"(["x"])")},
                         {"v", array_of(arrow::utf8(), R"(["abcdefghijklmnopqrstuvwxyz"])")}});
  PrintOptions options;
  options.max_width = 20;
  EXPECT_EQ(print(*table, options),
            "+-----+------------+\n"
            "| key | v          |\n"
            "+-----+------------+\n"
            "| x   | abcdefghi… |\n"
            "+-----+------------+\n");
  options.max_width = 0;  // no limit: nothing is cut
  EXPECT_NE(print(*table, options).find("abcdefghijklmnopqrstuvwxyz"), std::string::npos);
}

TEST(ResultPrinterTest, ReplacesColumnsThatDoNotFitByAnEllipsis) {
  std::vector<std::pair<std::string, std::shared_ptr<arrow::Array>>> columns;
  for (int c = 1; c <= 5; ++c) {
    columns.push_back({"c" + std::to_string(c), array_of(arrow::utf8(), R"(["0123456789"])")});
  }
  PrintOptions options;
  options.max_width = 25;
  const std::string text = print(*table_of(columns), options);
  EXPECT_EQ(text,
            "+------+------+-----+---+\n"
            "| c1   | c2   | c3  | … |\n"
            "+------+------+-----+---+\n"
            "| 012… | 012… | 01… | … |\n"
            "+------+------+-----+---+\n");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(display_width(line), 25) << line;
}

TEST(ResultPrinterTest, AlignsWideCharacters) {
  auto table = table_of({{"w", array_of(arrow::utf8(), R"(["日本語", "ab"])")}});
  EXPECT_EQ(print(*table, {}),
            "+--------+\n"
            "| w      |\n"
            "+--------+\n"
            "| 日本語 |\n"
            "| ab     |\n"
            "+--------+\n");
}

TEST(ResultPrinterTest, ParsesFormatNames) {
  EXPECT_EQ(*parse_output_format("CSV"), OutputFormat::kCsv);
  EXPECT_EQ(*parse_output_format("ndjson"), OutputFormat::kNdjson);
  EXPECT_EQ(output_format_name(OutputFormat::kJson), "json");
  const auto bad = parse_output_format("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsInvalid());
  EXPECT_NE(bad.status().message().find("xml"), std::string::npos);
}

TEST(DisplayWidthTest, CountsColumnsNotBytes) {
  EXPECT_EQ(display_width("abc"), 3);
  EXPECT_EQ(display_width("é"), 1);
  EXPECT_EQ(display_width("日本語"), 6);
  EXPECT_EQ(truncate_to_width("日本語", 4), "日…");
  EXPECT_EQ(truncate_to_width("abcdef", 6), "abcdef");
  EXPECT_EQ(truncate_to_width("abcdef", 4), "abc…");
}

}  // namespace
}  // namespace quiver::shell
