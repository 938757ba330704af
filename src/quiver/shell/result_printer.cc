#include "quiver/shell/result_printer.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "quiver/shell/column_formatter.h"
#include "quiver/shell/terminal.h"

namespace quiver::shell {

namespace {

constexpr int kMinColumnWidth = 3;  // narrowest a column is squeezed to ("a…" plus one)
constexpr int kBatchRows = 4096;    // rows formatted at a time for the streaming formats

// A table cell: its text split into lines.
using Cell = std::vector<std::string>;

// Splits a value into the lines of a table cell (`\r\n` counts as one break; trailing line
// breaks are dropped). Tabs show as `\t` and other control characters as '?'.
Cell cell_lines(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  Cell lines(1);
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      lines.emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\t') {
      lines.back() += "\\t";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      lines.back() += '?';
    } else {
      lines.back() += c;
    }
  }
  return lines;
}

int cell_width(const Cell& cell) {
  int width = 0;
  for (const auto& line : cell) width = std::max(width, display_width(line));
  return width;
}

int table_width(const std::vector<int>& widths) {
  int total = 1;
  for (const int w : widths) total += w + 3;
  return total;
}

// Returns the widths of `natural` capped so that the table fits in `budget` columns (the cap as
// large as possible, leftover space handed to the capped columns), or nullopt when even
// kMinColumnWidth does not fit.
std::optional<std::vector<int>> fit_widths(const std::vector<int>& natural, int budget) {
  auto capped = [&](int cap) {
    std::vector<int> out;
    for (const int w : natural) out.push_back(std::min(w, cap));
    return out;
  };
  if (table_width(natural) <= budget) return natural;
  if (table_width(capped(kMinColumnWidth)) > budget) return std::nullopt;
  int lo = kMinColumnWidth;                                    // fits
  int hi = *std::max_element(natural.begin(), natural.end());  // does not fit
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    (table_width(capped(mid)) <= budget ? lo : hi) = mid;
  }
  std::vector<int> widths = capped(lo);
  int spare = budget - table_width(widths);
  for (size_t c = 0; c < widths.size() && spare > 0; ++c) {
    if (widths[c] < natural[c]) {
      ++widths[c];
      --spare;
    }
  }
  return widths;
}

void append_border(const std::vector<int>& widths, std::string& out) {
  out += '+';
  for (const int w : widths) {
    out.append(static_cast<size_t>(w) + 2, '-');
    out += '+';
  }
  out += '\n';
}

// Appends one table row; a cell of several lines makes the row as many lines high.
void append_row(const std::vector<Cell>& cells, const std::vector<int>& widths, std::string& out) {
  size_t height = 1;
  for (const auto& cell : cells) height = std::max(height, cell.size());
  for (size_t line = 0; line < height; ++line) {
    out += '|';
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string text =
          line < cells[c].size() ? truncate_to_width(cells[c][line], widths[c]) : std::string();
      out += ' ';
      out += text;
      out.append(static_cast<size_t>(widths[c] - display_width(text)) + 1, ' ');
      out += '|';
    }
    out += '\n';
  }
}

void append_csv_field(std::string_view text, std::string& out) {
  const bool quote = text.empty() || text.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// Formats each column of a batch.
arrow::Result<std::vector<ColumnFormatter>> formatters_for(const arrow::RecordBatch& batch) {
  std::vector<ColumnFormatter> out;
  out.reserve(batch.num_columns());
  for (int c = 0; c < batch.num_columns(); ++c) {
    ARROW_ASSIGN_OR_RAISE(auto formatter, ColumnFormatter::Make(batch.column(c)));
    out.push_back(std::move(formatter));
  }
  return out;
}

}  // namespace

arrow::Result<OutputFormat> parse_output_format(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "table") return OutputFormat::kTable;
  if (lower == "csv") return OutputFormat::kCsv;
  if (lower == "json") return OutputFormat::kJson;
  if (lower == "ndjson") return OutputFormat::kNdjson;
  return arrow::Status::Invalid("unknown output format '", name,
                                "': expected table, csv, json or ndjson");
}

std::string_view output_format_name(OutputFormat format) {
  switch (format) {
    case OutputFormat::kTable:
      return "table";
    case OutputFormat::kCsv:
      return "csv";
    case OutputFormat::kJson:
      return "json";
    case OutputFormat::kNdjson:
      return "ndjson";
  }
  return "table";
}

arrow::Status ResultPrinter::print(const arrow::Table& table, std::ostream& out) const {
  switch (options_.format) {
    case OutputFormat::kTable:
      return print_table(table, out);
    case OutputFormat::kCsv:
      return print_csv(table, out);
    case OutputFormat::kJson:
      return print_json(table, out, /*lines=*/false);
    case OutputFormat::kNdjson:
      return print_json(table, out, /*lines=*/true);
  }
  return arrow::Status::UnknownError("unhandled output format");
}

arrow::Status ResultPrinter::print_table(const arrow::Table& table, std::ostream& out) const {
  const int64_t total = table.num_rows();
  const int64_t shown = options_.max_rows > 0 ? std::min(total, options_.max_rows) : total;
  const int num_columns = table.num_columns();

  // Cells by row; the header is row 0.
  std::vector<std::vector<Cell>> rows(1);
  for (const auto& field : table.schema()->fields()) rows[0].push_back(cell_lines(field->name()));
  arrow::TableBatchReader reader(table.Slice(0, shown));
  std::shared_ptr<arrow::RecordBatch> batch;
  while (true) {
    ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_ASSIGN_OR_RAISE(auto formatters, formatters_for(*batch));
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      std::vector<Cell> row;
      row.reserve(num_columns);
      for (const auto& formatter : formatters) row.push_back(cell_lines(formatter.text(r)));
      rows.push_back(std::move(row));
    }
  }

  std::vector<int> natural(num_columns, 0);
  for (const auto& row : rows) {
    for (int c = 0; c < num_columns; ++c) natural[c] = std::max(natural[c], cell_width(row[c]));
  }
  std::vector<int> widths = natural;
  bool elided = false;  // trailing columns replaced by one `…` column
  if (options_.max_width > 0 && num_columns > 0) {
    auto fitted = fit_widths(natural, options_.max_width);
    for (int keep = num_columns - 1; !fitted && keep >= 0; --keep) {
      const std::vector<int> head(natural.begin(), natural.begin() + keep);
      fitted = keep == 0 ? std::optional<std::vector<int>>(head)
                         : fit_widths(head, options_.max_width - 4);
      elided = true;
    }
    widths = std::move(*fitted);
    if (elided) {
      widths.push_back(1);
      for (auto& row : rows) {
        row.resize(widths.size() - 1);
        row.push_back({"…"});
      }
    }
  }

  std::string text;
  append_border(widths, text);
  append_row(rows[0], widths, text);
  append_border(widths, text);
  for (size_t r = 1; r < rows.size(); ++r) append_row(rows[r], widths, text);
  if (rows.size() > 1) append_border(widths, text);
  if (shown < total) {
    text += "(showing " + std::to_string(shown) + " of " + std::to_string(total) + " rows)\n";
  }
  out << text;
  return arrow::Status::OK();
}

arrow::Status ResultPrinter::print_csv(const arrow::Table& table, std::ostream& out) const {
  std::string text;
  const auto& fields = table.schema()->fields();
  for (size_t c = 0; c < fields.size(); ++c) {
    if (c > 0) text += ',';
    append_csv_field(fields[c]->name(), text);
  }
  text += '\n';
  arrow::TableBatchReader reader(table);
  reader.set_chunksize(kBatchRows);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (true) {
    ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_ASSIGN_OR_RAISE(auto formatters, formatters_for(*batch));
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      for (size_t c = 0; c < formatters.size(); ++c) {
        if (c > 0) text += ',';
        // NULL is an empty field; an empty string is quoted ("") so the two stay apart.
        if (!formatters[c].is_null(r)) append_csv_field(formatters[c].text(r), text);
      }
      text += '\n';
    }
    out << text;
    text.clear();
  }
  out << text;
  return arrow::Status::OK();
}

arrow::Status ResultPrinter::print_json(const arrow::Table& table, std::ostream& out,
                                        bool lines) const {
  std::vector<std::string> keys;
  for (const auto& field : table.schema()->fields()) {
    std::string key;
    append_json_string(field->name(), key);
    keys.push_back(std::move(key) + ":");
  }
  std::string text;
  if (!lines) text += '[';
  bool first = true;
  arrow::TableBatchReader reader(table);
  reader.set_chunksize(kBatchRows);
  std::shared_ptr<arrow::RecordBatch> batch;
  while (true) {
    ARROW_RETURN_NOT_OK(reader.ReadNext(&batch));
    if (batch == nullptr) break;
    ARROW_ASSIGN_OR_RAISE(auto formatters, formatters_for(*batch));
    for (int64_t r = 0; r < batch->num_rows(); ++r) {
      if (!lines) text += first ? "\n" : ",\n";
      first = false;
      text += '{';
      for (size_t c = 0; c < formatters.size(); ++c) {
        if (c > 0) text += ',';
        text += keys[c];
        formatters[c].append_json(r, text);
      }
      text += '}';
      if (lines) text += '\n';
    }
    out << text;
    text.clear();
  }
  if (!lines) text += first ? "]\n" : "\n]\n";
  out << text;
  return arrow::Status::OK();
}

}  // namespace quiver::shell
