#pragma once

#include <arrow/status.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::shell {

/// The lines entered before, oldest first, bounded in number and kept in a file between
/// sessions (one entry per line).
class History {
 public:
  /// Creates an empty history that keeps at most `max_entries` entries.
  explicit History(size_t max_entries = 1000) : max_entries_(max_entries) {}

  /// Reads entries from `path`, keeping the newest max_entries(); a missing file is no error.
  arrow::Status load(const std::string& path);
  /// Writes every entry to `path`, replacing the file.
  arrow::Status save(const std::string& path) const;
  /// Adds an entry (line breaks become spaces); blank lines and a repeat of the newest entry
  /// are skipped. Returns whether the entry was added.
  bool add(std::string_view line);

  /// Returns the entries, oldest first.
  const std::vector<std::string>& entries() const { return entries_; }
  /// Returns the largest number of entries kept.
  size_t max_entries() const { return max_entries_; }

 private:
  size_t max_entries_;
  std::vector<std::string> entries_;
};

/// The line being edited: UTF-8 text and a cursor (a byte offset on a code point boundary),
/// changed by the editing keys. Holds no terminal state, so it can be tested alone.
class EditBuffer {
 public:
  /// Returns the text.
  const std::string& text() const { return text_; }
  /// Returns the cursor's byte offset.
  size_t cursor() const { return cursor_; }

  /// Replaces the text and puts the cursor at its end.
  void set(std::string text);
  /// Inserts text at the cursor and moves the cursor past it.
  void insert(std::string_view text);
  /// Deletes the code point before the cursor (Backspace).
  void delete_backward();
  /// Deletes the code point under the cursor (Delete, Ctrl-D).
  void delete_forward();
  /// Deletes the word before the cursor and the spaces after it (Ctrl-W).
  void delete_word_backward();
  /// Deletes from the cursor to the end (Ctrl-K).
  void kill_to_end();
  /// Deletes from the start to the cursor (Ctrl-U).
  void kill_to_start();
  /// Moves the cursor one code point left.
  void move_left();
  /// Moves the cursor one code point right.
  void move_right();
  /// Moves the cursor to the start (Home, Ctrl-A).
  void move_home() { cursor_ = 0; }
  /// Moves the cursor to the end (End, Ctrl-E).
  void move_end() { cursor_ = text_.size(); }

 private:
  std::string text_;
  size_t cursor_ = 0;
};

/// Reads lines typed at a terminal, with editing (arrows, Home/End, Backspace/Delete, Ctrl-A,
/// -E, -K, -U, -W, -L) and history (Up/Down, Ctrl-P/-N) saved to a file. When stdin or stdout is
/// not a terminal, or TERM is "dumb", it prints the prompt and reads plain lines.
///
/// Thread-safety: none; one editor per terminal.
class LineEditor {
 public:
  /// How a read ended.
  enum class Outcome {
    kLine,         ///< A line was entered (Enter).
    kInterrupted,  ///< Ctrl-C: the caller should drop what it collected.
    kEnd,          ///< End of input (Ctrl-D on an empty line, or end of file).
  };
  /// The result of read_line().
  struct Input {
    Outcome outcome = Outcome::kEnd;
    std::string line;
  };

  /// Creates an editor whose history lives in `history_path` ("" = not saved).
  explicit LineEditor(std::string history_path);

  /// Shows `prompt` and reads one line.
  Input read_line(std::string_view prompt);
  /// Adds a line to the history and appends it to the history file.
  void add_history(std::string_view line);
  /// Returns the history.
  const History& history() const { return history_; }

 private:
  Input read_plain(std::string_view prompt);
  Input read_raw(std::string_view prompt);
  void refresh(std::string_view prompt, const EditBuffer& buffer) const;

  std::string history_path_;
  History history_;
  bool raw_capable_ = false;
};

}  // namespace quiver::shell
