#pragma once

#include <arrow/status.h>

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "quiver/catalog/session_context.h"
#include "quiver/shell/result_printer.h"
#include "quiver/shell/statement_splitter.h"

namespace quiver::cli {

/// How the shell runs statements and shows their results.
struct ShellOptions {
  /// Output format and row limit; the table width is taken from the terminal per statement.
  shell::PrintOptions print;
  /// Prints `N rows in X.XXX s` to the error stream after each statement.
  bool timing = false;
  /// Keeps running a script after a statement failed (the exit status still reports it).
  bool continue_on_error = false;
  /// Prints each query's distributed plan (stage boxes, or the single-node plan when nothing is
  /// distributed) instead of running it.
  bool show_distributed_plan = false;
};

/// The quiver shell: runs SQL statements and backslash meta-commands (`\q`, `\d`, `\timing`,
/// `\format`, `\maxrows`, `\?`) against one session and prints the results. It drives the
/// interactive loop, scripts (`-f`), command strings (`-c`) and statements piped into stdin.
///
/// Thread-safety: none; one shell runs on one thread.
class Repl {
 public:
  /// Creates a shell over `session`, printing results to `out` and errors and timings to `err`.
  Repl(std::shared_ptr<catalog::SessionContext> session, ShellOptions options, std::ostream& out,
       std::ostream& err);

  /// Runs the interactive loop (prompts, line editing, history in `history_path`, "" for none)
  /// until `\q` or end of input. Returns whether every statement succeeded.
  bool run_interactive(const std::string& history_path);

  /// Runs every statement and meta-command read from `input`. Errors name `source` and the
  /// statement's line when `source` is not empty. Stops at the first failure unless
  /// continue_on_error is set. Returns whether every statement succeeded.
  bool run_stream(std::istream& input, const std::string& source);

  /// Runs one SQL statement and prints its result (and its timing when enabled).
  arrow::Status run_statement(std::string_view sql);

  /// Runs one meta-command line, such as `\format csv`.
  arrow::Status run_meta_command(std::string_view line);

  /// Returns whether `\q` was entered.
  bool quit_requested() const { return quit_; }

  /// Returns the current options (meta-commands change them).
  const ShellOptions& options() const { return options_; }

 private:
  // Feeds one input line, running a meta-command or the statements it completes; returns false
  // when the input should stop (quit, or a failure that ends a script).
  bool process_line(std::string_view line, shell::StatementSplitter& splitter,
                    const std::string& source, bool interactive);
  bool run_and_report(const shell::Statement& statement, const std::string& source);
  void report_error(const arrow::Status& status, const std::string& source, int line);
  arrow::Status describe(std::string_view table_name);
  arrow::Status print_result(const arrow::Table& table);

  std::shared_ptr<catalog::SessionContext> session_;
  ShellOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  bool quit_ = false;
  bool failed_ = false;
};

}  // namespace quiver::cli
