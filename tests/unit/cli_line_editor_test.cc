#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "quiver/shell/line_editor.h"

namespace quiver::shell {
namespace {

using Entries = std::vector<std::string>;

TEST(HistoryTest, SkipsBlankLinesAndRepeats) {
  History history;
  EXPECT_TRUE(history.add("SELECT 1;"));
  EXPECT_FALSE(history.add("SELECT 1;"));
  EXPECT_FALSE(history.add("   "));
  EXPECT_TRUE(history.add("SELECT\n2;"));
  EXPECT_TRUE(history.add("SELECT 1;"));
  EXPECT_EQ(history.entries(), (Entries{"SELECT 1;", "SELECT 2;", "SELECT 1;"}));
}

TEST(HistoryTest, KeepsTheNewestEntries) {
  History history(2);
  history.add("a");
  history.add("b");
  history.add("c");
  EXPECT_EQ(history.entries(), (Entries{"b", "c"}));
}

TEST(HistoryTest, SavesAndLoads) {
  const std::string path = testing::TempDir() + "quiver_history_test_" + std::to_string(getpid());
  History history;
  history.add("SELECT 1;");
  history.add("\\d");
  ASSERT_TRUE(history.save(path).ok());
  History loaded(1);
  ASSERT_TRUE(loaded.load(path).ok());
  EXPECT_EQ(loaded.entries(), (Entries{"\\d"}));
  std::remove(path.c_str());
  History missing;
  EXPECT_TRUE(missing.load(path).ok());
  EXPECT_TRUE(missing.entries().empty());
}

TEST(LineEditorTest, AppendsEachEntryToTheHistoryFile) {
  const std::string path = testing::TempDir() + "quiver_editor_test_" + std::to_string(getpid());
  std::remove(path.c_str());
  {
    LineEditor editor(path);
    editor.add_history("SELECT 1;");
    editor.add_history("SELECT 1;");
    editor.add_history("SELECT 2;");
  }
  LineEditor reopened(path);
  EXPECT_EQ(reopened.history().entries(), (Entries{"SELECT 1;", "SELECT 2;"}));
  std::remove(path.c_str());
}

TEST(EditBufferTest, EditsAtTheCursor) {
  EditBuffer buffer;
  buffer.insert("SELCT");
  buffer.move_left();
  buffer.move_left();
  buffer.insert("E");
  EXPECT_EQ(buffer.text(), "SELECT");
  EXPECT_EQ(buffer.cursor(), 4u);
  buffer.delete_forward();
  EXPECT_EQ(buffer.text(), "SELET");
  buffer.delete_backward();
  EXPECT_EQ(buffer.text(), "SELT");
  buffer.move_home();
  buffer.delete_backward();  // nothing before the start
  EXPECT_EQ(buffer.text(), "SELT");
  buffer.move_end();
  buffer.delete_forward();  // nothing after the end
  EXPECT_EQ(buffer.text(), "SELT");
}

TEST(EditBufferTest, MovesOverWholeCodePoints) {
  EditBuffer buffer;
  buffer.set("aé日");
  EXPECT_EQ(buffer.cursor(), 6u);
  buffer.move_left();
  EXPECT_EQ(buffer.cursor(), 3u);
  buffer.delete_backward();
  EXPECT_EQ(buffer.text(), "a日");
  EXPECT_EQ(buffer.cursor(), 1u);
  buffer.move_right();
  EXPECT_EQ(buffer.cursor(), 4u);
}

TEST(EditBufferTest, KillsWordsAndLineParts) {
  EditBuffer buffer;
  buffer.set("SELECT a FROM  t  ");
  buffer.delete_word_backward();
  EXPECT_EQ(buffer.text(), "SELECT a FROM  ");
  buffer.delete_word_backward();
  EXPECT_EQ(buffer.text(), "SELECT a ");
  buffer.move_home();
  buffer.move_right();
  buffer.kill_to_end();
  EXPECT_EQ(buffer.text(), "S");
  buffer.set("abc");
  buffer.move_left();
  buffer.kill_to_start();
  EXPECT_EQ(buffer.text(), "c");
  EXPECT_EQ(buffer.cursor(), 0u);
}

}  // namespace
}  // namespace quiver::shell
