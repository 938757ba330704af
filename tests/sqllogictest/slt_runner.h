// Runs parsed .slt records against a SQL engine and reports mismatches.
#pragma once

#include <arrow/result.h>
#include <arrow/table.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sqllogictest/slt_parser.h"

namespace quiver::slt {

/// The engine name that `skipif` / `onlyif` lines are matched against.
inline constexpr std::string_view kEngineName = "quiver";

/// Runs one SQL statement and returns its full result (an empty table for statements without rows).
class SqlExecutor {
 public:
  virtual ~SqlExecutor() = default;
  /// Executes `sql` and returns all of its rows.
  virtual arrow::Result<std::shared_ptr<arrow::Table>> run(std::string_view sql) = 0;
};

/// Creates a fresh executor (one per file, so files cannot see each other's tables).
using ExecutorFactory = std::function<arrow::Result<std::unique_ptr<SqlExecutor>>()>;

/// Counts records by outcome, for one file or a whole run.
struct RunCounts {
  int64_t passed = 0;
  int64_t failed = 0;
  int64_t skipped = 0;

  /// Adds another count to this one.
  RunCounts& operator+=(const RunCounts& other);
};

/// Formats the closing line `N passed, M failed` (plus `, K skipped` when K > 0).
std::string summary_line(const RunCounts& counts);

/// Sorts and normalizes rendered rows for comparison according to `mode`: rowsort sorts whole
/// lines, valuesort turns every cell into its own line and sorts those.
std::vector<std::string> arrange_rows(const std::vector<std::vector<std::string>>& rows,
                                      SortMode mode);

/// Renders a compact line diff of `expected` (`-`) against `actual` (`+`), long runs of equal
/// lines collapsed.
std::string render_diff(const std::vector<std::string>& expected,
                        const std::vector<std::string>& actual);

/// Runs .slt files, printing each failing record as `path:line: <what>` plus details.
class SltRunner {
 public:
  /// Creates a runner that builds executors with `factory` and prints failures to `out`.
  SltRunner(ExecutorFactory factory, std::ostream& out);

  /// Runs the file at `path` with a fresh executor. An unreadable or malformed file counts as
  /// one failed record.
  RunCounts run_file(const std::string& path);

  /// Runs .slt `text` with a fresh executor; `path` names it in messages.
  RunCounts run_text(std::string_view text, std::string_view path);

 private:
  /// Why a record failed: a one-line summary and optional details printed after the SQL.
  struct Failure {
    std::string what;
    std::string details;
  };

  RunCounts run_records(const std::vector<Record>& records, std::string_view path);
  /// Returns an empty `what` if the record passed.
  Failure check_record(SqlExecutor& executor, const Record& record);
  Failure check_error(const Record& record, const arrow::Status& status);
  Failure check_query(const Record& record, const arrow::Table& table);

  ExecutorFactory factory_;
  std::ostream& out_;
};

}  // namespace quiver::slt
