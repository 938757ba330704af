#include "sqllogictest/slt_runner.h"

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace quiver::slt {
namespace {

/// Builds a one-chunk table from (name, type, JSON values) columns.
std::shared_ptr<arrow::Table> make_table(
    const std::vector<std::tuple<std::string, std::shared_ptr<arrow::DataType>, std::string>>&
        columns) {
  arrow::FieldVector fields;
  arrow::ArrayVector arrays;
  for (const auto& [name, type, json] : columns) {
    fields.push_back(arrow::field(name, type));
    arrays.push_back(arrow::json::ArrayFromJSONString(type, json).ValueOrDie());
  }
  return arrow::Table::Make(arrow::schema(fields), arrays);
}

/// Answers SQL with canned tables or errors and records what it was asked.
class FakeExecutor : public SqlExecutor {
 public:
  explicit FakeExecutor(std::vector<std::string>* log) : log_(log) {}

  arrow::Result<std::shared_ptr<arrow::Table>> run(std::string_view sql) override {
    log_->emplace_back(sql);
    if (sql == "SELECT 1") return make_table({{"a", arrow::int64(), "[1]"}});
    if (sql == "SELECT x, y\nFROM t") {
      return make_table(
          {{"x", arrow::int64(), "[3, 1, 2]"}, {"y", arrow::utf8(), R"(["c", "a", ""])"}});
    }
    if (sql == "SELECT f")
      return make_table({{"f", arrow::float64(), "[0.30000000000000004, 1.0]"}});
    if (sql == "CREATE TABLE t") return arrow::Table::MakeEmpty(arrow::schema({})).ValueOrDie();
    if (sql == "SELECT 1 / 0") return arrow::Status::Invalid("Arrow error: Divide by zero error");
    if (sql == "THROW") throw std::runtime_error("boom");
    return arrow::Status::NotImplemented("unsupported SQL: ", sql);
  }

 private:
  std::vector<std::string>* log_;
};

class SltRunnerTest : public testing::Test {
 protected:
  RunCounts run(std::string_view text) {
    SltRunner runner(
        [this]() -> arrow::Result<std::unique_ptr<SqlExecutor>> {
          ++executors_created_;
          return std::make_unique<FakeExecutor>(&log_);
        },
        out_);
    return runner.run_text(text, "case.slt");
  }

  std::string output() const { return out_.str(); }

  std::ostringstream out_;
  std::vector<std::string> log_;
  int executors_created_ = 0;
};

TEST_F(SltRunnerTest, PassesMatchingStatementsAndQueries) {
  const auto counts =
      run("statement ok\n"
          "CREATE TABLE t\n"
          "\n"
          "query I\n"
          "SELECT 1\n"
          "----\n"
          "1\n"
          "\n"
          "query IT\n"
          "SELECT x, y\n"
          "FROM t\n"
          "----\n"
          "3 c\n"
          "1 a\n"
          "2 (empty)\n"
          "\n"
          "query R\n"
          "SELECT f\n"
          "----\n"
          "0.3\n"
          "1\n");
  EXPECT_EQ(counts.passed, 4);
  EXPECT_EQ(counts.failed, 0);
  EXPECT_EQ(output(), "");
  EXPECT_EQ(executors_created_, 1);
}

TEST_F(SltRunnerTest, ReportsResultMismatchesWithLocationSqlAndDiff) {
  const auto counts =
      run("query IT\n"
          "SELECT x, y\n"
          "FROM t\n"
          "----\n"
          "3 c\n"
          "1 b\n"
          "2 (empty)\n");
  EXPECT_EQ(counts.passed, 0);
  EXPECT_EQ(counts.failed, 1);
  const std::string text = output();
  EXPECT_NE(text.find("case.slt:1: query result mismatch"), std::string::npos) << text;
  EXPECT_NE(text.find("    SELECT x, y\n    FROM t\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  - 1 b\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  + 1 a\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    3 c\n"), std::string::npos) << text;
}

TEST_F(SltRunnerTest, SortsRowsForRowSortAndValuesForValueSort) {
  const auto counts =
      run("query IT rowsort\n"
          "SELECT x, y\n"
          "FROM t\n"
          "----\n"
          "1 a\n"
          "2 (empty)\n"
          "3 c\n"
          "\n"
          "query IT valuesort\n"
          "SELECT x, y\n"
          "FROM t\n"
          "----\n"
          "(empty)\n"
          "1\n"
          "2\n"
          "3\n"
          "a\n"
          "c\n"
          "\n"
          "query IT nosort\n"
          "SELECT x, y\n"
          "FROM t\n"
          "----\n"
          "1 a\n"
          "2 (empty)\n"
          "3 c\n");
  EXPECT_EQ(counts.passed, 2);
  EXPECT_EQ(counts.failed, 1);
  EXPECT_NE(output().find("case.slt:20: query result mismatch"), std::string::npos) << output();
}

TEST_F(SltRunnerTest, ArrangesRows) {
  const std::vector<std::vector<std::string>> rows = {{"b", "2"}, {"a", "10"}, {"a", "1"}};
  EXPECT_EQ(arrange_rows(rows, SortMode::kNoSort),
            (std::vector<std::string>{"b 2", "a 10", "a 1"}));
  EXPECT_EQ(arrange_rows(rows, SortMode::kRowSort),
            (std::vector<std::string>{"a 1", "a 10", "b 2"}));
  EXPECT_EQ(arrange_rows(rows, SortMode::kValueSort),
            (std::vector<std::string>{"1", "10", "2", "a", "a", "b"}));
}

TEST_F(SltRunnerTest, FailsWhenColumnCountDiffersFromTypes) {
  const auto counts =
      run("query II\n"
          "SELECT 1\n"
          "----\n"
          "1\n");
  EXPECT_EQ(counts.failed, 1);
  EXPECT_NE(output().find("case.slt:1: query declares 2 column(s) ('II') but the result has 1"),
            std::string::npos)
      << output();
}

TEST_F(SltRunnerTest, ChecksExpectedErrors) {
  const auto counts =
      run("statement error Divide by zero\n"
          "SELECT 1 / 0\n"
          "\n"
          "query error ^Arrow error: Divide\n"
          "SELECT 1 / 0\n"
          "\n"
          "statement error\n"
          "SELECT 1 / 0\n"
          "\n"
          "statement error\n"
          "SELECT 1 / 0\n"
          "----\n"
          "Divide by zero error\n"
          "\n"
          "statement error overflow\n"
          "SELECT 1 / 0\n"
          "\n"
          "statement error\n"
          "SELECT 1\n"
          "\n"
          "query error\n"
          "SELECT 1\n"
          "\n"
          "statement error [unclosed\n"
          "SELECT 1 / 0\n"
          "\n"
          "statement error\n"
          "SELECT 1 / 0\n"
          "----\n"
          "Some other message\n");
  EXPECT_EQ(counts.passed, 4);
  EXPECT_EQ(counts.failed, 5);
  const std::string text = output();
  EXPECT_NE(text.find("case.slt:15: error does not match /overflow/"), std::string::npos) << text;
  EXPECT_NE(text.find("actual error: Invalid: Arrow error: Divide by zero error"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("case.slt:18: statement succeeded but an error was expected"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("case.slt:21: query succeeded but an error was expected"), std::string::npos)
      << text;
  EXPECT_NE(text.find("case.slt:24: invalid error regex /[unclosed/"), std::string::npos) << text;
  EXPECT_NE(text.find("case.slt:27: error does not contain the expected text"), std::string::npos)
      << text;
}

TEST_F(SltRunnerTest, ReportsUnexpectedErrorsAndExceptions) {
  const auto counts =
      run("statement ok\n"
          "DROP EVERYTHING\n"
          "\n"
          "query I\n"
          "THROW\n"
          "----\n"
          "1\n");
  EXPECT_EQ(counts.failed, 2);
  const std::string text = output();
  EXPECT_NE(text.find("case.slt:1: statement failed: NotImplemented: unsupported SQL: DROP"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("case.slt:4: query failed: Unknown error: exception thrown by the engine: "
                      "boom"),
            std::string::npos)
      << text;
}

TEST_F(SltRunnerTest, SkipsGuardedRecordsAndStopsAtHalt) {
  const auto counts =
      run("skipif quiver\n"
          "statement ok\n"
          "NOT RUN 1\n"
          "\n"
          "onlyif duckdb\n"
          "statement ok\n"
          "NOT RUN 2\n"
          "\n"
          "onlyif quiver\n"
          "statement ok\n"
          "SELECT 1\n"
          "\n"
          "skipif quiver\n"
          "halt\n"
          "\n"
          "skipif postgres\n"
          "halt\n"
          "\n"
          "statement ok\n"
          "NOT RUN 3\n");
  EXPECT_EQ(counts.passed, 1);
  EXPECT_EQ(counts.failed, 0);
  EXPECT_EQ(counts.skipped, 3);
  EXPECT_EQ(log_, std::vector<std::string>{"SELECT 1"});
}

TEST_F(SltRunnerTest, CountsParseErrorsAsOneFailure) {
  const auto counts = run("statement ok\nSELECT 1\n\nnonsense here\n");
  EXPECT_EQ(counts.failed, 1);
  EXPECT_EQ(counts.passed, 0);
  EXPECT_TRUE(log_.empty());
  EXPECT_NE(output().find("case.slt:4: unknown record type 'nonsense'"), std::string::npos);
}

TEST_F(SltRunnerTest, RunsFilesWithAFreshExecutorEachAndReportsUnreadableOnes) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("slt_runner_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "ok.slt").string();
  std::ofstream(path) << "query I\nSELECT 1\n----\n1\n";
  SltRunner runner(
      [this]() -> arrow::Result<std::unique_ptr<SqlExecutor>> {
        ++executors_created_;
        return std::make_unique<FakeExecutor>(&log_);
      },
      out_);
  RunCounts total;
  total += runner.run_file(path);
  total += runner.run_file(path);
  total += runner.run_file((dir / "missing.slt").string());
  std::filesystem::remove_all(dir);
  EXPECT_EQ(total.passed, 2);
  EXPECT_EQ(total.failed, 1);
  EXPECT_EQ(executors_created_, 2);
  EXPECT_NE(output().find("missing.slt"), std::string::npos) << output();
}

TEST_F(SltRunnerTest, ReportsExecutorCreationFailures) {
  SltRunner runner(
      []() -> arrow::Result<std::unique_ptr<SqlExecutor>> {
        return arrow::Status::IOError("no engine");
      },
      out_);
  const auto counts = runner.run_text("statement ok\nSELECT 1\n", "x.slt");
  EXPECT_EQ(counts.failed, 1);
  EXPECT_NE(output().find("x.slt: cannot create an executor: IOError: no engine"),
            std::string::npos);
}

TEST(SltSummaryTest, FormatsTheClosingLine) {
  EXPECT_EQ(summary_line(RunCounts{3, 0, 0}), "3 passed, 0 failed");
  EXPECT_EQ(summary_line(RunCounts{3, 1, 2}), "3 passed, 1 failed, 2 skipped");
  RunCounts total{1, 2, 3};
  total += RunCounts{10, 20, 30};
  EXPECT_EQ(summary_line(total), "11 passed, 22 failed, 33 skipped");
}

TEST(SltDiffTest, KeepsContextAroundChangesAndCollapsesTheRest) {
  std::vector<std::string> expected;
  for (int i = 0; i < 20; ++i) expected.push_back("row " + std::to_string(i));
  std::vector<std::string> actual = expected;
  actual[10] = "row ten";
  const std::string diff = render_diff(expected, actual);
  EXPECT_EQ(diff,
            "    ... (8 matching lines)\n"
            "    row 8\n"
            "    row 9\n"
            "  - row 10\n"
            "  + row ten\n"
            "    row 11\n"
            "    row 12\n"
            "    ... (7 matching lines)\n");
  EXPECT_EQ(render_diff({"a"}, {}), "  - a\n");
  EXPECT_EQ(render_diff({}, {"b"}), "  + b\n");
}

}  // namespace
}  // namespace quiver::slt
