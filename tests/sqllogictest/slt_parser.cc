#include "sqllogictest/slt_parser.h"

#include <arrow/status.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace quiver::slt {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";
constexpr std::string_view kResultSeparator = "----";

std::string_view trim(std::string_view s) {
  const auto begin = s.find_first_not_of(kWhitespace);
  if (begin == std::string_view::npos) return {};
  const auto end = s.find_last_not_of(kWhitespace);
  return s.substr(begin, end - begin + 1);
}

std::string_view trim_right(std::string_view s) {
  const auto end = s.find_last_not_of(kWhitespace);
  return end == std::string_view::npos ? std::string_view{} : s.substr(0, end + 1);
}

/// Splits a header line into words, dropping a trailing `# comment`.
std::vector<std::string_view> header_words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (true) {
    pos = line.find_first_not_of(kWhitespace, pos);
    if (pos == std::string_view::npos) break;
    auto end = line.find_first_of(kWhitespace, pos);
    if (end == std::string_view::npos) end = line.size();
    std::string_view word = line.substr(pos, end - pos);
    if (word.front() == '#') break;
    words.push_back(word);
    pos = end;
  }
  return words;
}

/// Returns the text after the first occurrence of `word` in `line`, trimmed.
std::string rest_after(std::string_view line, std::string_view word) {
  const auto pos = line.find(word);
  return std::string(trim(line.substr(pos + word.size())));
}

bool parse_sort_mode(std::string_view word, SortMode* mode) {
  if (word == "nosort") {
    *mode = SortMode::kNoSort;
  } else if (word == "rowsort") {
    *mode = SortMode::kRowSort;
  } else if (word == "valuesort") {
    *mode = SortMode::kValueSort;
  } else {
    return false;
  }
  return true;
}

bool valid_type_letters(std::string_view types) {
  if (types.empty()) return false;
  for (char c : types) {
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '?') return false;
  }
  return true;
}

/// Walks the lines of one file and builds records.
class Parser {
 public:
  Parser(std::string_view text, std::string_view path) : path_(path) {
    size_t start = 0;
    while (start <= text.size()) {
      auto end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back(line);
      start = end + 1;
    }
  }

  arrow::Result<std::vector<Record>> parse() {
    while (pos_ < lines_.size()) {
      const std::string_view line = trim(lines_[pos_]);
      if (line.empty() || line.front() == '#') {
        ++pos_;
        continue;
      }
      const auto words = header_words(line);
      const std::string_view keyword = words.front();
      const int line_no = static_cast<int>(pos_) + 1;
      if (keyword == "skipif" || keyword == "onlyif") {
        if (words.size() < 2)
          return error(line_no, "missing engine name after " + std::string(keyword));
        conditions_.push_back(Condition{keyword == "onlyif", std::string(words[1])});
        ++pos_;
      } else if (keyword == "halt") {
        Record record = start_record(RecordKind::kHalt, line_no);
        const bool unconditional = record.conditions.empty();
        records_.push_back(std::move(record));
        if (unconditional) break;
        ++pos_;
      } else if (keyword == "hash-threshold") {
        ++pos_;
      } else if (keyword == "control") {
        if (words.size() >= 3 && words[1] == "sortmode" &&
            !parse_sort_mode(words[2], &default_sort_mode_)) {
          return error(line_no, "unknown sort mode '" + std::string(words[2]) + "'");
        }
        ++pos_;
      } else if (keyword == "statement") {
        ARROW_RETURN_NOT_OK(parse_statement(line, words, line_no));
      } else if (keyword == "query") {
        ARROW_RETURN_NOT_OK(parse_query(line, words, line_no));
      } else {
        return error(line_no, "unknown record type '" + std::string(keyword) + "'");
      }
    }
    return std::move(records_);
  }

 private:
  arrow::Status error(int line_no, const std::string& what) const {
    std::ostringstream out;
    out << path_ << ":" << line_no << ": " << what;
    return arrow::Status::Invalid(out.str());
  }

  Record start_record(RecordKind kind, int line_no) {
    Record record;
    record.kind = kind;
    record.line = line_no;
    record.conditions = std::move(conditions_);
    conditions_.clear();
    return record;
  }

  bool at_separator() const {
    return pos_ < lines_.size() && trim(lines_[pos_]) == kResultSeparator;
  }

  bool at_block_end() const { return pos_ >= lines_.size() || trim(lines_[pos_]).empty(); }

  /// Reads SQL lines after the header until a blank line, `----` or EOF.
  arrow::Status read_sql(Record* record) {
    ++pos_;
    std::string sql;
    while (!at_block_end() && !at_separator()) {
      const std::string_view line = trim_right(lines_[pos_]);
      if (trim(line).front() != '#') {
        if (!sql.empty()) sql += '\n';
        sql += line;
      }
      ++pos_;
    }
    if (trim(sql).empty()) return error(record->line, "record has no SQL");
    record->sql = std::move(sql);
    return arrow::Status::OK();
  }

  /// Reads lines after `----` until a blank line or EOF.
  std::vector<std::string> read_results() {
    ++pos_;
    std::vector<std::string> lines;
    while (!at_block_end()) {
      lines.emplace_back(trim_right(lines_[pos_]));
      ++pos_;
    }
    return lines;
  }

  /// Reads an optional `----` block holding the expected text of an error record.
  void read_expected_error(Record* record) {
    if (!at_separator()) return;
    std::string text;
    for (const auto& line : read_results()) {
      if (!text.empty()) text += '\n';
      text += line;
    }
    record->expected_error = std::move(text);
  }

  arrow::Status parse_statement(std::string_view line, const std::vector<std::string_view>& words,
                                int line_no) {
    Record record = start_record(RecordKind::kStatement, line_no);
    if (words.size() < 2) return error(line_no, "expected 'statement ok|error|count'");
    if (words[1] == "error") {
      record.expect_error = true;
      record.error_regex = rest_after(line, "error");
    } else if (words[1] == "count") {
      if (words.size() < 3) return error(line_no, "missing row count after 'statement count'");
    } else if (words[1] != "ok") {
      return error(line_no, "unknown statement mode '" + std::string(words[1]) + "'");
    }
    ARROW_RETURN_NOT_OK(read_sql(&record));
    if (at_separator()) {
      if (!record.expect_error)
        return error(line_no, "'----' after a statement that expects success");
      read_expected_error(&record);
    }
    records_.push_back(std::move(record));
    return arrow::Status::OK();
  }

  arrow::Status parse_query(std::string_view line, const std::vector<std::string_view>& words,
                            int line_no) {
    Record record = start_record(RecordKind::kQuery, line_no);
    record.sort_mode = default_sort_mode_;
    if (words.size() < 2) return error(line_no, "missing column types after 'query'");
    if (words[1] == "error") {
      record.expect_error = true;
      record.error_regex = rest_after(line, "error");
    } else {
      if (!valid_type_letters(words[1])) {
        return error(line_no, "invalid column types '" + std::string(words[1]) + "'");
      }
      record.types = std::string(words[1]);
      for (size_t i = 2; i < words.size(); ++i) {
        if (!parse_sort_mode(words[i], &record.sort_mode) && record.label.empty()) {
          record.label = std::string(words[i]);
        }
      }
    }
    ARROW_RETURN_NOT_OK(read_sql(&record));
    if (record.expect_error) {
      read_expected_error(&record);
    } else if (at_separator()) {
      record.expected = read_results();
    }
    records_.push_back(std::move(record));
    return arrow::Status::OK();
  }

  std::string path_;
  std::vector<std::string_view> lines_;
  size_t pos_ = 0;
  std::vector<Condition> conditions_;
  SortMode default_sort_mode_ = SortMode::kNoSort;
  std::vector<Record> records_;
};

}  // namespace

arrow::Result<std::vector<Record>> parse_slt(std::string_view text, std::string_view path) {
  return Parser(text, path).parse();
}

arrow::Result<std::vector<Record>> parse_slt_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return arrow::Status::IOError(path, ": cannot read file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return arrow::Status::IOError(path, ": cannot read file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return arrow::Status::IOError(path, ": cannot read file");
  return parse_slt(buffer.str(), path);
}

bool should_run(const Record& record, std::string_view engine) {
  for (const auto& condition : record.conditions) {
    const bool matches = condition.engine == engine;
    if (condition.only_if != matches) return false;
  }
  return true;
}

}  // namespace quiver::slt
