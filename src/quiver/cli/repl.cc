#include "quiver/cli/repl.h"

#include <arrow/api.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <iomanip>
#include <iostream>

#include "quiver/distributed/display.h"
#include "quiver/shell/line_editor.h"
#include "quiver/shell/terminal.h"

namespace quiver::cli {

namespace {

constexpr std::string_view kPrompt = "quiver> ";
constexpr std::string_view kContinuationPrompt = "     -> ";
constexpr int kFallbackTerminalWidth = 120;

constexpr std::string_view kHelp =
    "Statements end with ';' and may span lines. Meta-commands:\n"
    "  \\q                       quit\n"
    "  \\d                       list tables and views\n"
    "  \\d NAME                  describe a table's columns\n"
    "  \\timing [on|off]         show (or toggle) 'N rows in X.XXX s' after each statement\n"
    "  \\format table|csv|json|ndjson\n"
    "                           set the output format (no argument: show it)\n"
    "  \\maxrows N               show at most N rows in table format (0 = all)\n"
    "  \\?                       this help\n";

std::string_view trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

bool is_meta_command(std::string_view line) {
  const std::string_view trimmed = trim(line);
  return !trimmed.empty() && trimmed.front() == '\\';
}

// User errors read as their message; other kinds keep their name ("NotImplemented: ...").
std::string error_text(const arrow::Status& status) {
  return status.IsInvalid() ? status.message() : status.ToString();
}

arrow::Result<std::shared_ptr<arrow::Table>> string_table(
    const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& columns) {
  arrow::FieldVector fields;
  arrow::ArrayVector arrays;
  for (size_t c = 0; c < names.size(); ++c) {
    arrow::StringBuilder builder;
    ARROW_RETURN_NOT_OK(builder.AppendValues(columns[c]));
    ARROW_ASSIGN_OR_RAISE(auto array, builder.Finish());
    fields.push_back(arrow::field(names[c], arrow::utf8(), /*nullable=*/false));
    arrays.push_back(std::move(array));
  }
  return arrow::Table::Make(arrow::schema(std::move(fields)), std::move(arrays));
}

}  // namespace

Repl::Repl(std::shared_ptr<catalog::SessionContext> session, ShellOptions options,
           std::ostream& out, std::ostream& err)
    : session_(std::move(session)), options_(options), out_(out), err_(err) {}

arrow::Status Repl::print_result(const arrow::Table& table) {
  if (table.num_columns() == 0) return arrow::Status::OK();  // DDL and SET return nothing
  shell::PrintOptions print = options_.print;
  if (&out_ == &std::cout && shell::is_terminal(STDOUT_FILENO)) {
    const int columns = shell::terminal_columns(STDOUT_FILENO);
    print.max_width = columns > 0 ? columns : kFallbackTerminalWidth;
  } else {
    print.max_width = 0;  // a file or pipe gets every character
  }
  ARROW_RETURN_NOT_OK(shell::ResultPrinter(print).print(table, out_));
  out_.flush();
  return arrow::Status::OK();
}

arrow::Status Repl::run_statement(std::string_view sql) {
  const auto start = std::chrono::steady_clock::now();
  ARROW_ASSIGN_OR_RAISE(auto frame, session_->sql(sql));
  // Statements run when planned (SET, SHOW, EXPLAIN) have no plan to show: print their result.
  if (options_.show_distributed_plan && frame->logical_plan() != nullptr) {
    ARROW_ASSIGN_OR_RAISE(auto plan, frame->physical_plan());
    out_ << distributed::display_distributed_plan(*plan) << std::flush;
    return arrow::Status::OK();
  }
  ARROW_ASSIGN_OR_RAISE(auto table, frame->collect());
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  ARROW_RETURN_NOT_OK(print_result(*table));
  if (options_.timing) {
    const int64_t rows = table->num_rows();
    err_ << rows << (rows == 1 ? " row" : " rows") << " in " << std::fixed << std::setprecision(3)
         << elapsed.count() << " s" << std::endl;
  }
  return arrow::Status::OK();
}

arrow::Status Repl::describe(std::string_view table_name) {
  ARROW_ASSIGN_OR_RAISE(auto provider, session_->get_table(std::string(table_name)));
  std::vector<std::vector<std::string>> columns(3);
  const std::shared_ptr<arrow::Schema> schema = provider->schema();
  for (const auto& field : schema->fields()) {
    columns[0].push_back(field->name());
    columns[1].push_back(field->type()->ToString());
    columns[2].push_back(field->nullable() ? "YES" : "NO");
  }
  ARROW_ASSIGN_OR_RAISE(auto table,
                        string_table({"column_name", "data_type", "is_nullable"}, columns));
  return print_result(*table);
}

arrow::Status Repl::run_meta_command(std::string_view line) {
  line = trim(line);
  const size_t space = line.find_first_of(" \t");
  const std::string_view command = line.substr(0, space);
  const std::string_view arg =
      space == std::string_view::npos ? std::string_view() : trim(line.substr(space));
  if (command == "\\q" || command == "\\quit") {
    quit_ = true;
  } else if (command == "\\?" || command == "\\help") {
    out_ << kHelp << std::flush;
  } else if (command == "\\d") {
    if (!arg.empty()) return describe(arg);
    ARROW_ASSIGN_OR_RAISE(auto table, string_table({"table_name"}, {session_->table_names()}));
    return print_result(*table);
  } else if (command == "\\timing") {
    if (arg.empty()) {
      options_.timing = !options_.timing;
    } else if (arg == "on" || arg == "off") {
      options_.timing = arg == "on";
    } else {
      return arrow::Status::Invalid("\\timing expects on or off, got '", arg, "'");
    }
    err_ << "Timing is " << (options_.timing ? "on" : "off") << "." << std::endl;
  } else if (command == "\\format") {
    if (!arg.empty()) {
      ARROW_ASSIGN_OR_RAISE(options_.print.format, shell::parse_output_format(arg));
    }
    err_ << "Output format is " << shell::output_format_name(options_.print.format) << "."
         << std::endl;
  } else if (command == "\\maxrows") {
    int64_t rows = -1;
    const auto [ptr, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), rows);
    if (arg.empty() || ec != std::errc() || ptr != arg.data() + arg.size() || rows < 0) {
      return arrow::Status::Invalid("\\maxrows expects a row count (0 = all), got '", arg, "'");
    }
    options_.print.max_rows = rows;
  } else {
    return arrow::Status::Invalid("unknown meta-command '", command, "'; \\? lists them");
  }
  return arrow::Status::OK();
}

void Repl::report_error(const arrow::Status& status, const std::string& source, int line) {
  err_ << "Error: ";
  if (!source.empty()) err_ << source << ":" << line << ": ";
  err_ << error_text(status) << std::endl;
}

bool Repl::run_and_report(const shell::Statement& statement, const std::string& source) {
  const arrow::Status status = run_statement(statement.text);
  if (status.ok()) return true;
  report_error(status, source, statement.line);
  failed_ = true;
  return false;
}

bool Repl::process_line(std::string_view line, shell::StatementSplitter& splitter,
                        const std::string& source, bool interactive) {
  const bool keep_going_on_error = interactive || options_.continue_on_error;
  // A meta-command is a line of its own, outside any statement.
  if (is_meta_command(line) && !splitter.has_pending()) {
    const int line_number = splitter.next_line();
    splitter.feed("\n");  // keeps the line count
    const arrow::Status status = run_meta_command(line);
    if (!status.ok()) {
      report_error(status, source, line_number);
      failed_ = true;
      return keep_going_on_error;
    }
    return !quit_;
  }
  splitter.feed(line);
  splitter.feed("\n");
  for (const auto& statement : splitter.take_complete()) {
    if (!run_and_report(statement, source) && !keep_going_on_error) return false;
  }
  return true;
}

bool Repl::run_stream(std::istream& input, const std::string& source) {
  shell::StatementSplitter splitter;
  std::string line;
  while (std::getline(input, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!process_line(line, splitter, source, /*interactive=*/false)) return !failed_;
  }
  if (auto tail = splitter.finish()) run_and_report(*tail, source);
  return !failed_;
}

bool Repl::run_interactive(const std::string& history_path) {
  shell::LineEditor editor(history_path);
  shell::StatementSplitter splitter;
  std::vector<std::string> entry;  // the lines of the current input, for the history
  auto remember = [&] {
    // One history entry per statement, unless a `--` comment would swallow the joined lines.
    bool has_line_comment = false;
    std::string joined;
    for (const auto& part : entry) {
      has_line_comment = has_line_comment || part.find("--") != std::string::npos;
      if (!trim(part).empty()) joined += (joined.empty() ? "" : " ") + std::string(trim(part));
    }
    if (has_line_comment) {
      for (const auto& part : entry) editor.add_history(part);
    } else {
      editor.add_history(joined);
    }
    entry.clear();
  };
  while (!quit_) {
    const bool pending = splitter.has_pending();
    auto input = editor.read_line(pending ? kContinuationPrompt : kPrompt);
    if (input.outcome == shell::LineEditor::Outcome::kInterrupted) {
      splitter.discard_pending();
      entry.clear();
      continue;
    }
    if (input.outcome == shell::LineEditor::Outcome::kEnd) break;
    entry.push_back(input.line);
    process_line(input.line, splitter, /*source=*/"", /*interactive=*/true);
    if (!splitter.has_pending()) remember();
  }
  return !failed_;
}

}  // namespace quiver::cli
