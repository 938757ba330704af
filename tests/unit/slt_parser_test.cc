#include "sqllogictest/slt_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace quiver::slt {
namespace {

std::vector<Record> parse_ok(std::string_view text) {
  auto records = parse_slt(text, "t.slt");
  EXPECT_TRUE(records.ok()) << records.status().ToString();
  return records.ok() ? *records : std::vector<Record>{};
}

std::string parse_error(std::string_view text) {
  auto records = parse_slt(text, "t.slt");
  EXPECT_FALSE(records.ok());
  return records.ok() ? "" : records.status().message();
}

TEST(SltParserTest, ParsesMultiLineStatementsAndSkipsComments) {
  const auto records = parse_ok(
      "# leading comment\n"
      "\n"
      "statement ok\n"
      "CREATE TABLE t AS\n"
      "# a comment inside the SQL is dropped\n"
      "  SELECT 1 AS a   \n"
      "\n"
      "\n"
      "statement count 3\n"
      "INSERT INTO t VALUES (1), (2), (3)\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, RecordKind::kStatement);
  EXPECT_EQ(records[0].line, 3);
  EXPECT_FALSE(records[0].expect_error);
  EXPECT_EQ(records[0].sql, "CREATE TABLE t AS\n  SELECT 1 AS a");
  EXPECT_EQ(records[1].kind, RecordKind::kStatement);
  EXPECT_EQ(records[1].line, 9);
  EXPECT_EQ(records[1].sql, "INSERT INTO t VALUES (1), (2), (3)");
}

TEST(SltParserTest, ParsesStatementErrorsWithAndWithoutRegex) {
  const auto records = parse_ok(
      "statement error Table '.*' not found\n"
      "SELECT * FROM missing\n"
      "\n"
      "statement error\n"
      "SELEC 1\n"
      "\n"
      "statement error\n"
      "SELECT x\n"
      "----\n"
      "Schema error: No field named x\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_TRUE(records[0].expect_error);
  EXPECT_EQ(records[0].error_regex, "Table '.*' not found");
  EXPECT_EQ(records[0].sql, "SELECT * FROM missing");
  EXPECT_TRUE(records[1].expect_error);
  EXPECT_EQ(records[1].error_regex, "");
  EXPECT_EQ(records[2].expected_error, "Schema error: No field named x");
}

TEST(SltParserTest, ParsesQueriesWithSortModesAndLabels) {
  const auto records = parse_ok(
      "query IT rowsort\n"
      "SELECT a, b\n"
      "FROM t\n"
      "----\n"
      "1 x  \n"
      "2 (empty)\n"
      "\n"
      "query R valuesort my-label\n"
      "SELECT 1.5\n"
      "----\n"
      "1.5\n"
      "\n"
      "query T nosort\n"
      "SELECT 'a'\n"
      "----\n"
      "a\n"
      "\n"
      "query I\n"
      "SELECT 1 WHERE false\n"
      "\n"
      "query B label-only\n"
      "SELECT true\n"
      "----\n"
      "true");
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].kind, RecordKind::kQuery);
  EXPECT_EQ(records[0].types, "IT");
  EXPECT_EQ(records[0].sort_mode, SortMode::kRowSort);
  EXPECT_EQ(records[0].sql, "SELECT a, b\nFROM t");
  EXPECT_EQ(records[0].expected, (std::vector<std::string>{"1 x", "2 (empty)"}));
  EXPECT_EQ(records[1].sort_mode, SortMode::kValueSort);
  EXPECT_EQ(records[1].label, "my-label");
  EXPECT_EQ(records[2].sort_mode, SortMode::kNoSort);
  EXPECT_EQ(records[2].expected, std::vector<std::string>{"a"});
  EXPECT_TRUE(records[3].expected.empty());
  EXPECT_EQ(records[4].sort_mode, SortMode::kNoSort);
  EXPECT_EQ(records[4].label, "label-only");
  EXPECT_EQ(records[4].expected, std::vector<std::string>{"true"});
}

TEST(SltParserTest, ParsesQueryErrors) {
  const auto records = parse_ok(
      "query error Division by zero\n"
      "SELECT 1 / 0\n"
      "\n"
      "query error\n"
      "SELECT nope\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].kind, RecordKind::kQuery);
  EXPECT_TRUE(records[0].expect_error);
  EXPECT_EQ(records[0].error_regex, "Division by zero");
  EXPECT_TRUE(records[0].types.empty());
  EXPECT_TRUE(records[1].expect_error);
  EXPECT_EQ(records[1].error_regex, "");
}

TEST(SltParserTest, AttachesConditionsToTheNextRecordOnly) {
  const auto records = parse_ok(
      "skipif quiver\n"
      "statement ok\n"
      "SELECT 1\n"
      "\n"
      "onlyif postgres\n"
      "statement ok\n"
      "SELECT 2\n"
      "\n"
      "onlyif quiver\n"
      "skipif duckdb\n"
      "statement ok\n"
      "SELECT 3\n"
      "\n"
      "statement ok\n"
      "SELECT 4\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_FALSE(should_run(records[0], "quiver"));
  EXPECT_TRUE(should_run(records[0], "other"));
  EXPECT_FALSE(should_run(records[1], "quiver"));
  EXPECT_TRUE(should_run(records[1], "postgres"));
  EXPECT_EQ(records[2].conditions.size(), 2u);
  EXPECT_TRUE(should_run(records[2], "quiver"));
  EXPECT_TRUE(records[3].conditions.empty());
  EXPECT_TRUE(should_run(records[3], "quiver"));
}

TEST(SltParserTest, HaltStopsParsingUnlessConditional) {
  const auto records = parse_ok(
      "skipif quiver\n"
      "halt\n"
      "\n"
      "statement ok\n"
      "SELECT 1\n"
      "\n"
      "halt\n"
      "\n"
      "this is not a valid record\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].kind, RecordKind::kHalt);
  EXPECT_FALSE(should_run(records[0], "quiver"));
  EXPECT_EQ(records[1].kind, RecordKind::kStatement);
  EXPECT_EQ(records[2].kind, RecordKind::kHalt);
  EXPECT_EQ(records[2].line, 7);
}

TEST(SltParserTest, ControlSortModeSetsTheDefault) {
  const auto records = parse_ok(
      "hash-threshold 8\n"
      "\n"
      "control sortmode rowsort\n"
      "\n"
      "query I\n"
      "SELECT 1\n"
      "----\n"
      "1\n"
      "\n"
      "query I nosort\n"
      "SELECT 1\n"
      "----\n"
      "1\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].sort_mode, SortMode::kRowSort);
  EXPECT_EQ(records[1].sort_mode, SortMode::kNoSort);
}

TEST(SltParserTest, HandlesCrLfAndTrailingCommentsInHeaders) {
  const auto records = parse_ok("query II rowsort # two ints\r\nSELECT 1, 2\r\n----\r\n1 2\r\n");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].types, "II");
  EXPECT_EQ(records[0].sort_mode, SortMode::kRowSort);
  EXPECT_TRUE(records[0].label.empty());
  EXPECT_EQ(records[0].sql, "SELECT 1, 2");
  EXPECT_EQ(records[0].expected, std::vector<std::string>{"1 2"});
}

TEST(SltParserTest, ReportsMalformedRecordsWithTheirLocation) {
  EXPECT_EQ(parse_error("statement ok\nSELECT 1\n\nbogus record\n"),
            "t.slt:4: unknown record type 'bogus'");
  EXPECT_EQ(parse_error("statement ok\n\nSELECT 1\n"), "t.slt:1: record has no SQL");
  EXPECT_EQ(parse_error("statement maybe\nSELECT 1\n"), "t.slt:1: unknown statement mode 'maybe'");
  EXPECT_EQ(parse_error("query\nSELECT 1\n"), "t.slt:1: missing column types after 'query'");
  EXPECT_EQ(parse_error("query I-I\nSELECT 1\n"), "t.slt:1: invalid column types 'I-I'");
  EXPECT_EQ(parse_error("statement ok\nSELECT 1\n----\n1\n"),
            "t.slt:1: '----' after a statement that expects success");
  EXPECT_EQ(parse_error("skipif\nstatement ok\nSELECT 1\n"),
            "t.slt:1: missing engine name after skipif");
}

TEST(SltParserTest, ReportsUnreadableFiles) {
  auto records = parse_slt_file("/nonexistent/dir/missing.slt");
  ASSERT_FALSE(records.ok());
  EXPECT_TRUE(records.status().IsIOError());
  EXPECT_NE(records.status().message().find("/nonexistent/dir/missing.slt"), std::string::npos);
}

}  // namespace
}  // namespace quiver::slt
