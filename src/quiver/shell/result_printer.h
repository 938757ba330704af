#pragma once

#include <arrow/result.h>
#include <arrow/status.h>
#include <arrow/table.h>

#include <cstdint>
#include <ostream>
#include <string_view>

namespace quiver::shell {

/// How query results are written.
enum class OutputFormat {
  kTable,   ///< A box drawn with `+---+` and `| a |`, sized to the content; values with line
            ///< breaks (EXPLAIN plans) span several lines.
  kCsv,     ///< RFC 4180 CSV with a header line; NULL is an empty field.
  kJson,    ///< One JSON array of objects, one object per row.
  kNdjson,  ///< One JSON object per line.
};

/// Parses `table`, `csv`, `json` or `ndjson` (case-insensitive); other text is a user error.
arrow::Result<OutputFormat> parse_output_format(std::string_view name);

/// Returns the name of a format as parse_output_format() accepts it.
std::string_view output_format_name(OutputFormat format);

/// Options of a ResultPrinter.
struct PrintOptions {
  OutputFormat format = OutputFormat::kTable;
  /// Table format: rows shown at most (a note under the table tells how many were left out);
  /// 0 shows every row.
  int64_t max_rows = 0;
  /// Table format: the terminal width the table must fit in; wide columns are narrowed and
  /// their text cut with `…`, and columns that still do not fit are replaced by one `…`
  /// column. 0 means no limit.
  int max_width = 0;
};

/// Writes query results (Arrow tables) in one of the output formats.
///
/// Thread-safety: immutable; print() may be called concurrently on different streams.
class ResultPrinter {
 public:
  /// Creates a printer with the given options.
  explicit ResultPrinter(PrintOptions options = {}) : options_(options) {}

  /// Writes `table` to `out` in the configured format.
  arrow::Status print(const arrow::Table& table, std::ostream& out) const;

  /// Returns the printer's options.
  const PrintOptions& options() const { return options_; }

 private:
  arrow::Status print_table(const arrow::Table& table, std::ostream& out) const;
  arrow::Status print_csv(const arrow::Table& table, std::ostream& out) const;
  arrow::Status print_json(const arrow::Table& table, std::ostream& out, bool lines) const;

  PrintOptions options_;
};

}  // namespace quiver::shell
