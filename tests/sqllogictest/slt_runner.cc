#include "sqllogictest/slt_runner.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <random>
#include <regex>
#include <sstream>

#include "sqllogictest/slt_format.h"

namespace quiver::slt {
namespace {

/// Above this many expected x actual lines the diff skips alignment and lists both sides.
constexpr size_t kMaxDiffCells = 4'000'000;
/// Equal lines kept around each change in a diff.
constexpr size_t kDiffContext = 2;
/// Diff lines printed before the rest is summarized.
constexpr size_t kMaxDiffLines = 200;

/// Stands for the file's own temporary directory in SQL text.
constexpr std::string_view kTestDirPlaceholder = "__TEST_DIR__";

/// A fresh directory under the system's temporary directory, removed with the object.
class TempDir {
 public:
  TempDir() {
    namespace fs = std::filesystem;
    std::random_device seed;
    std::error_code ec;
    for (int attempt = 0; attempt < 16 && path_.empty(); ++attempt) {
      auto candidate = fs::temp_directory_path(ec) /
                       ("quiver_slt_" + std::to_string(seed()) + "_" + std::to_string(seed()));
      if (fs::create_directory(candidate, ec)) path_ = candidate.string();
    }
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string replace_all(std::string text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string indent(std::string_view text, std::string_view prefix) {
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out += prefix;
    out += text.substr(start, end - start);
    out += '\n';
    start = end + 1;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

/// Runs the executor, turning stray exceptions into errors.
arrow::Result<std::shared_ptr<arrow::Table>> run_guarded(SqlExecutor& executor,
                                                         std::string_view sql) {
  try {
    return executor.run(sql);
  } catch (const std::exception& e) {
    return arrow::Status::UnknownError("exception thrown by the engine: ", e.what());
  } catch (...) {
    return arrow::Status::UnknownError("unknown exception thrown by the engine");
  }
}

struct DiffLine {
  char marker;  // ' ', '-' or '+'.
  std::string_view text;
};

/// Aligns the two sides on a longest common subsequence of lines.
std::vector<DiffLine> diff_lines(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b) {
  std::vector<DiffLine> out;
  const size_t n = a.size();
  const size_t m = b.size();
  if (n * m > kMaxDiffCells) {
    for (const auto& line : a) out.push_back({'-', line});
    for (const auto& line : b) out.push_back({'+', line});
    return out;
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..].
  std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [m](size_t i, size_t j) { return i * (m + 1) + j; };
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[at(i, j)] =
          a[i] == b[j] ? lcs[at(i + 1, j + 1)] + 1 : std::max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    }
  }
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back({' ', a[i++]});
      ++j;
    } else if (i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)])) {
      out.push_back({'-', a[i++]});
    } else {
      out.push_back({'+', b[j++]});
    }
  }
  return out;
}

}  // namespace

RunCounts& RunCounts::operator+=(const RunCounts& other) {
  passed += other.passed;
  failed += other.failed;
  skipped += other.skipped;
  return *this;
}

std::string summary_line(const RunCounts& counts) {
  std::string out =
      std::to_string(counts.passed) + " passed, " + std::to_string(counts.failed) + " failed";
  if (counts.skipped > 0) out += ", " + std::to_string(counts.skipped) + " skipped";
  return out;
}

std::vector<std::string> arrange_rows(const std::vector<std::vector<std::string>>& rows,
                                      SortMode mode) {
  std::vector<std::string> lines;
  if (mode == SortMode::kValueSort) {
    for (const auto& row : rows) {
      for (const auto& cell : row) lines.push_back(join_row({cell}));
    }
  } else {
    for (const auto& row : rows) lines.push_back(join_row(row));
  }
  if (mode != SortMode::kNoSort) std::sort(lines.begin(), lines.end());
  return lines;
}

std::string render_diff(const std::vector<std::string>& expected,
                        const std::vector<std::string>& actual) {
  const auto lines = diff_lines(expected, actual);
  // Keep changed lines and up to kDiffContext equal lines on either side of them.
  std::vector<bool> keep(lines.size(), false);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].marker == ' ') continue;
    const size_t from = i >= kDiffContext ? i - kDiffContext : 0;
    const size_t to = std::min(lines.size(), i + kDiffContext + 1);
    for (size_t k = from; k < to; ++k) keep[k] = true;
  }
  std::string out;
  size_t printed = 0;
  for (size_t i = 0; i < lines.size();) {
    if (!keep[i]) {
      size_t end = i;
      while (end < lines.size() && !keep[end]) ++end;
      out += "    ... (" + std::to_string(end - i) + " matching lines)\n";
      i = end;
      continue;
    }
    if (printed == kMaxDiffLines) {
      out += "    ... (diff truncated)\n";
      break;
    }
    out += "  ";
    out += lines[i].marker;
    out += ' ';
    out += lines[i].text;
    out += '\n';
    ++printed;
    ++i;
  }
  return out;
}

SltRunner::SltRunner(ExecutorFactory factory, std::ostream& out)
    : factory_(std::move(factory)), out_(out) {}

RunCounts SltRunner::run_file(const std::string& path) {
  auto records = parse_slt_file(path);
  if (!records.ok()) {
    // Parse errors name `path:line`, read errors `path`.
    out_ << records.status().message() << "\n";
    return RunCounts{0, 1, 0};
  }
  return run_records(*records, path);
}

RunCounts SltRunner::run_text(std::string_view text, std::string_view path) {
  auto records = parse_slt(text, path);
  if (!records.ok()) {
    out_ << records.status().message() << "\n";
    return RunCounts{0, 1, 0};
  }
  return run_records(*records, path);
}

RunCounts SltRunner::run_records(const std::vector<Record>& records, std::string_view path) {
  RunCounts counts;
  auto executor = factory_();
  if (!executor.ok()) {
    out_ << path << ": cannot create an executor: " << executor.status().ToString() << "\n";
    counts.failed = 1;
    return counts;
  }
  // A file that writes files names its own directory as __TEST_DIR__, made on first use.
  std::unique_ptr<TempDir> test_dir;
  for (const auto& original : records) {
    if (!should_run(original, kEngineName)) {
      ++counts.skipped;
      continue;
    }
    if (original.kind == RecordKind::kHalt) break;
    Record record = original;
    if (record.sql.find(kTestDirPlaceholder) != std::string::npos) {
      if (test_dir == nullptr) test_dir = std::make_unique<TempDir>();
      if (test_dir->path().empty()) {
        ++counts.failed;
        out_ << path << ":" << record.line << ": cannot create a temporary directory\n";
        continue;
      }
      record.sql = replace_all(record.sql, kTestDirPlaceholder, test_dir->path());
    }
    const Failure failure = check_record(**executor, record);
    if (failure.what.empty()) {
      ++counts.passed;
      continue;
    }
    ++counts.failed;
    out_ << path << ":" << record.line << ": " << failure.what << "\n"
         << indent(record.sql, "    ") << failure.details;
  }
  return counts;
}

SltRunner::Failure SltRunner::check_record(SqlExecutor& executor, const Record& record) {
  const std::string noun = record.kind == RecordKind::kQuery ? "query" : "statement";
  auto result = run_guarded(executor, record.sql);
  if (record.expect_error) {
    if (result.ok()) {
      std::string what = noun + " succeeded but an error was expected";
      if (!record.error_regex.empty()) what += " matching /" + record.error_regex + "/";
      return {what, ""};
    }
    return check_error(record, result.status());
  }
  if (!result.ok()) return {noun + " failed: " + result.status().ToString(), ""};
  if (record.kind == RecordKind::kStatement) return {};
  return check_query(record, **result);
}

SltRunner::Failure SltRunner::check_error(const Record& record, const arrow::Status& status) {
  const std::string message = status.message();
  const std::string full = status.ToString();
  const std::string got = "  actual error: " + full + "\n";
  if (!record.error_regex.empty()) {
    bool matched = false;
    try {
      const std::regex pattern(record.error_regex, std::regex::ECMAScript);
      matched = std::regex_search(message, pattern) || std::regex_search(full, pattern);
    } catch (const std::regex_error& e) {
      return {"invalid error regex /" + record.error_regex + "/: " + e.what(), ""};
    }
    if (!matched) return {"error does not match /" + record.error_regex + "/", got};
  }
  const std::string_view expected = trim(record.expected_error);
  if (!expected.empty() && full.find(expected) == std::string::npos) {
    return {"error does not contain the expected text",
            "  expected error: " + std::string(expected) + "\n" + got};
  }
  return {};
}

SltRunner::Failure SltRunner::check_query(const Record& record, const arrow::Table& table) {
  auto rows = format_table(table);
  if (!rows.ok()) return {"cannot render the result: " + rows.status().ToString(), ""};
  const auto actual = arrange_rows(*rows, record.sort_mode);
  if (static_cast<size_t>(table.num_columns()) != record.types.size()) {
    std::string details = "  actual result:\n";
    for (const auto& line : actual) details += "    " + line + "\n";
    return {"query declares " + std::to_string(record.types.size()) + " column(s) ('" +
                record.types + "') but the result has " + std::to_string(table.num_columns()),
            details};
  }
  auto expected = record.expected;
  if (record.sort_mode != SortMode::kNoSort) std::sort(expected.begin(), expected.end());
  if (expected == actual) return {};
  return {"query result mismatch (" + std::to_string(expected.size()) + " expected, " +
              std::to_string(actual.size()) + " actual lines)",
          "  diff (-expected +actual):\n" + render_diff(expected, actual)};
}

}  // namespace quiver::slt
