#include "quiver/shell/statement_splitter.h"

#include <algorithm>
#include <cstddef>

namespace quiver::shell {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Characters that may continue an identifier (PostgreSQL allows `$` after the first one).
bool is_ident_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || u >= 0x80;
}

bool is_tag_start(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Where the statements in a buffer start and end, and how far the buffer was consumed.
struct Span {
  size_t begin;  // first token
  size_t end;    // the terminating ';' (or the end of the buffer for the tail)
};

struct ScanResult {
  std::vector<Span> complete;
  size_t consumed = 0;               // just past the last terminating ';'
  std::optional<size_t> tail_begin;  // first token of the unterminated tail
  bool open = false;                 // the buffer ends inside a string, identifier or comment
};

// Returns the index just past a quoted run that starts at `i` (the opening quote), or
// text.size() when it does not close; sets `open` then.
size_t skip_quoted(std::string_view text, size_t i, char quote, bool backslash_escapes,
                   bool& open) {
  size_t j = i + 1;
  while (j < text.size()) {
    const char c = text[j];
    if (backslash_escapes && c == '\\') {
      j += 2;
      continue;
    }
    if (c == quote) {
      if (j + 1 < text.size() && text[j + 1] == quote) {
        j += 2;  // a doubled quote stands for itself
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  open = true;
  return text.size();
}

// Returns the index just past a (possibly nested) block comment starting at `i`.
size_t skip_block_comment(std::string_view text, size_t i, bool& open) {
  int depth = 0;
  size_t j = i;
  while (j < text.size()) {
    if (text[j] == '/' && j + 1 < text.size() && text[j + 1] == '*') {
      ++depth;
      j += 2;
    } else if (text[j] == '*' && j + 1 < text.size() && text[j + 1] == '/') {
      --depth;
      j += 2;
      if (depth == 0) return j;
    } else {
      ++j;
    }
  }
  open = true;
  return text.size();
}

// Returns the dollar-quote tag (`$$` or `$name$`) starting at `i`, or an empty view.
std::string_view dollar_tag_at(std::string_view text, size_t i) {
  if (i > 0 && is_ident_char(text[i - 1])) return {};  // `a$b` is an identifier
  size_t j = i + 1;
  if (j < text.size() && is_tag_start(text[j])) {
    while (j < text.size() && is_ident_char(text[j]) && text[j] != '$') ++j;
  }
  if (j < text.size() && text[j] == '$') return text.substr(i, j - i + 1);
  return {};
}

// Returns whether the quote at `i` opens an escape string (`E'...'`, backslash escapes).
bool is_escape_string(std::string_view text, size_t i) {
  if (i == 0 || (text[i - 1] != 'E' && text[i - 1] != 'e')) return false;
  return i == 1 || !is_ident_char(text[i - 2]);
}

ScanResult scan(std::string_view text) {
  ScanResult result;
  std::optional<size_t> begin;
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const char c = text[i];
    if (c == '-' && i + 1 < n && text[i + 1] == '-') {
      const size_t newline = text.find('\n', i + 2);
      i = newline == std::string_view::npos ? n : newline + 1;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      i = skip_block_comment(text, i, result.open);
      continue;
    }
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == ';') {
      if (begin) result.complete.push_back({*begin, i});
      begin.reset();
      ++i;
      result.consumed = i;
      continue;
    }
    if (!begin) begin = i;
    if (c == '\'') {
      i = skip_quoted(text, i, '\'', is_escape_string(text, i), result.open);
    } else if (c == '"') {
      i = skip_quoted(text, i, '"', false, result.open);
    } else if (c == '$') {
      const std::string_view tag = dollar_tag_at(text, i);
      if (tag.empty()) {
        ++i;
        continue;
      }
      const size_t close = text.find(tag, i + tag.size());
      if (close == std::string_view::npos) {
        result.open = true;
        i = n;
      } else {
        i = close + tag.size();
      }
    } else {
      ++i;
    }
  }
  result.tail_begin = begin;
  return result;
}

}  // namespace

int StatementSplitter::count_lines(std::string_view text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

void StatementSplitter::feed(std::string_view text) { buffer_.append(text); }

std::vector<Statement> StatementSplitter::take_complete() {
  std::vector<Statement> out;
  if (buffer_.find(';') == std::string::npos) return out;
  const ScanResult scanned = scan(buffer_);
  const std::string_view view(buffer_);
  int line = buffer_line_;
  size_t counted = 0;  // newlines before `counted` are included in `line`
  for (const Span& span : scanned.complete) {
    line += count_lines(view.substr(counted, span.begin - counted));
    counted = span.begin;
    out.push_back({std::string(trim_right(view.substr(span.begin, span.end - span.begin))), line});
  }
  buffer_line_ += count_lines(view.substr(0, scanned.consumed));
  buffer_.erase(0, scanned.consumed);
  return out;
}

bool StatementSplitter::has_pending() const {
  const ScanResult scanned = scan(buffer_);
  return scanned.tail_begin.has_value() || scanned.open;
}

std::optional<Statement> StatementSplitter::finish() {
  const ScanResult scanned = scan(buffer_);
  std::optional<Statement> out;
  if (scanned.tail_begin) {
    const std::string_view view(buffer_);
    const size_t begin = *scanned.tail_begin;
    out = Statement{std::string(trim_right(view.substr(begin))),
                    buffer_line_ + count_lines(view.substr(0, begin))};
  }
  buffer_line_ += count_lines(buffer_);
  buffer_.clear();
  return out;
}

void StatementSplitter::discard_pending() {
  buffer_line_ += count_lines(buffer_);
  buffer_.clear();
}

std::vector<Statement> StatementSplitter::split(std::string_view text) {
  StatementSplitter splitter;
  splitter.feed(text);
  std::vector<Statement> out = splitter.take_complete();
  if (auto tail = splitter.finish()) out.push_back(std::move(*tail));
  return out;
}

}  // namespace quiver::shell
