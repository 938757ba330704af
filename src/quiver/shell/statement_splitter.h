#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::shell {

/// One complete SQL statement cut out of a script or of interactive input.
struct Statement {
  /// The statement's text from its first token up to (not including) the terminating `;`,
  /// with trailing white space removed. Comments inside the statement are kept.
  std::string text;
  /// The 1-based line on which the statement's first token stands.
  int line = 1;
};

/// Splits SQL text into complete statements. A statement ends at a `;` that stands outside
/// single-quoted strings (`'it''s'`, `E'it\'s'`), double-quoted identifiers, `--` line comments,
/// `/* */` block comments (nested, as in PostgreSQL) and dollar-quoted strings (`$$..$$`,
/// `$tag$..$tag$`). Statements that hold only white space and comments are dropped.
///
/// Input may arrive in pieces (one line at a time in the REPL): feed() buffers it, and
/// take_complete() hands out each statement once its `;` has been seen.
///
/// Thread-safety: none; one splitter serves one input.
class StatementSplitter {
 public:
  /// Appends a piece of input; a piece may end anywhere, even inside a string or comment.
  void feed(std::string_view text);

  /// Removes and returns the statements completed so far, in input order.
  std::vector<Statement> take_complete();

  /// Returns whether the buffer holds the start of a statement that is not yet terminated
  /// (a token, or an open string, quoted identifier, block comment or dollar quote).
  bool has_pending() const;

  /// Ends the input: returns the unterminated last statement, if it holds a token, and empties
  /// the buffer. Call take_complete() first; finish() returns only what follows the last `;`.
  std::optional<Statement> finish();

  /// Drops any buffered input (e.g. after Ctrl-C in the REPL); line counting continues.
  void discard_pending();

  /// Returns the 1-based line number at which the next fed text starts.
  int next_line() const { return buffer_line_ + count_lines(buffer_); }

  /// Splits a whole script, including an unterminated last statement.
  static std::vector<Statement> split(std::string_view text);

 private:
  static int count_lines(std::string_view text);

  std::string buffer_;
  int buffer_line_ = 1;  // line number of buffer_[0]
};

}  // namespace quiver::shell
