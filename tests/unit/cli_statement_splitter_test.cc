#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "quiver/shell/statement_splitter.h"

namespace quiver::shell {
namespace {

std::vector<std::string> texts(const std::vector<Statement>& statements) {
  std::vector<std::string> out;
  for (const auto& s : statements) out.push_back(s.text);
  return out;
}

std::vector<int> lines(const std::vector<Statement>& statements) {
  std::vector<int> out;
  for (const auto& s : statements) out.push_back(s.line);
  return out;
}

using Texts = std::vector<std::string>;

TEST(StatementSplitterTest, SplitsOnSemicolons) {
  EXPECT_EQ(texts(StatementSplitter::split("SELECT 1; SELECT 2;")),
            (Texts{"SELECT 1", "SELECT 2"}));
  EXPECT_EQ(texts(StatementSplitter::split("SELECT 1;\nSELECT 2")),
            (Texts{"SELECT 1", "SELECT 2"}));
}

TEST(StatementSplitterTest, KeepsSemicolonsInsideStrings) {
  EXPECT_EQ(texts(StatementSplitter::split("SELECT 'a;b'; SELECT 'it''s;';")),
            (Texts{"SELECT 'a;b'", "SELECT 'it''s;'"}));
  EXPECT_EQ(texts(StatementSplitter::split(R"(SELECT 1 AS "x;""y"; SELECT 2)")),
            (Texts{R"(SELECT 1 AS "x;""y")", "SELECT 2"}));
}

TEST(StatementSplitterTest, HonoursBackslashOnlyInEscapeStrings) {
  // E'...' strings escape the quote with a backslash; plain strings do not.
  EXPECT_EQ(texts(StatementSplitter::split(R"(SELECT E'a\';b'; SELECT 2;)")),
            (Texts{R"(SELECT E'a\';b')", "SELECT 2"}));
  EXPECT_EQ(texts(StatementSplitter::split(R"(SELECT 'a\'; SELECT 2;)")),
            (Texts{R"(SELECT 'a\')", "SELECT 2"}));
  // A column named `e` followed by a string is not an escape string.
  EXPECT_EQ(texts(StatementSplitter::split(R"(SELECT name'a\'; SELECT 2;)")),
            (Texts{R"(SELECT name'a\')", "SELECT 2"}));
}

TEST(StatementSplitterTest, IgnoresSemicolonsInComments) {
  EXPECT_EQ(texts(StatementSplitter::split("SELECT 1 -- not the end; really\n; SELECT 2;")),
            (Texts{"SELECT 1 -- not the end; really", "SELECT 2"}));
  EXPECT_EQ(texts(StatementSplitter::split(
                "SELECT /* ; */ 1; /* outer /* nested ; */ still ; */ SELECT 2;")),
            (Texts{"SELECT /* ; */ 1", "SELECT 2"}));
}

TEST(StatementSplitterTest, IgnoresSemicolonsInDollarQuotes) {
  EXPECT_EQ(texts(StatementSplitter::split(
                "SELECT $$a;b$$; SELECT $tag$ $$ ; $tag$; SELECT a$b FROM t;")),
            (Texts{"SELECT $$a;b$$", "SELECT $tag$ $$ ; $tag$", "SELECT a$b FROM t"}));
  // $1 is a parameter, not a dollar quote.
  EXPECT_EQ(texts(StatementSplitter::split("SELECT $1; SELECT 2")),
            (Texts{"SELECT $1", "SELECT 2"}));
}

TEST(StatementSplitterTest, DropsEmptyStatements) {
  EXPECT_EQ(texts(StatementSplitter::split(";;  ; -- only a comment\n; /* c */ ; SELECT 1;;")),
            (Texts{"SELECT 1"}));
  EXPECT_TRUE(StatementSplitter::split("   \n -- nothing here\n").empty());
  EXPECT_TRUE(StatementSplitter::split("").empty());
}

TEST(StatementSplitterTest, ReportsTheLineOfEachStatement) {
  const auto statements = StatementSplitter::split(
      "SELECT 1;\n"
      "\n"
      "  SELECT\n"
      "  2;\n"
      "-- c\n"
      "/* x\n"
      " */ SELECT 3");
  EXPECT_EQ(texts(statements), (Texts{"SELECT 1", "SELECT\n  2", "SELECT 3"}));
  EXPECT_EQ(lines(statements), (std::vector<int>{1, 3, 7}));
}

TEST(StatementSplitterTest, CompletesStatementsFedLineByLine) {
  StatementSplitter splitter;
  splitter.feed("SELECT 'a;\n");
  EXPECT_TRUE(splitter.take_complete().empty());
  EXPECT_TRUE(splitter.has_pending());
  splitter.feed("b'; SELECT\n");
  auto done = splitter.take_complete();
  EXPECT_EQ(texts(done), (Texts{"SELECT 'a;\nb'"}));
  EXPECT_EQ(lines(done), (std::vector<int>{1}));
  EXPECT_TRUE(splitter.has_pending());
  splitter.feed("2;\n");
  done = splitter.take_complete();
  EXPECT_EQ(texts(done), (Texts{"SELECT\n2"}));
  EXPECT_EQ(lines(done), (std::vector<int>{2}));
  EXPECT_FALSE(splitter.has_pending());

  splitter.feed("-- just a comment\n");
  EXPECT_FALSE(splitter.has_pending());
  splitter.feed("/* an open comment\n");
  EXPECT_TRUE(splitter.has_pending());
  splitter.feed("closed */\n");
  EXPECT_FALSE(splitter.has_pending());
  EXPECT_EQ(splitter.next_line(), 7);
}

TEST(StatementSplitterTest, RecognisesADollarTagSplitAcrossPieces) {
  StatementSplitter splitter;
  splitter.feed("SELECT $a");
  splitter.feed("b$ ; $ab$;");
  EXPECT_EQ(texts(splitter.take_complete()), (Texts{"SELECT $ab$ ; $ab$"}));
}

TEST(StatementSplitterTest, FinishReturnsTheUnterminatedTail) {
  StatementSplitter splitter;
  splitter.feed("SELECT 1; SELECT\n  2  \n");
  EXPECT_EQ(texts(splitter.take_complete()), (Texts{"SELECT 1"}));
  auto tail = splitter.finish();
  ASSERT_TRUE(tail.has_value());
  EXPECT_EQ(tail->text, "SELECT\n  2");
  EXPECT_EQ(tail->line, 1);
  EXPECT_FALSE(splitter.finish().has_value());
}

TEST(StatementSplitterTest, DiscardKeepsCountingLines) {
  StatementSplitter splitter;
  splitter.feed("SELECT (\n");
  splitter.discard_pending();
  EXPECT_FALSE(splitter.has_pending());
  EXPECT_EQ(splitter.next_line(), 2);
  splitter.feed("SELECT 5;");
  const auto done = splitter.take_complete();
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].line, 2);
}

}  // namespace
}  // namespace quiver::shell
