#include "quiver/datasource/http_json/json_string_lexer.h"

namespace quiver::datasource::http_json {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string describe(char c) {
  if (c >= 0x20 && c < 0x7f) return std::string("'") + c + "'";
  return "byte " + std::to_string(static_cast<unsigned char>(c));
}

/// The byte `c` stands for after a backslash (0 = not a one-byte escape).
char unescape(char c) {
  switch (c) {
    case '"':
    case '\\':
    case '/':
      return c;
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return 0;
  }
}

}  // namespace

void JsonStringLexer::flush_surrogate() {
  if (high_surrogate_ != 0) {
    high_surrogate_ = 0;
    put_code_point(0xFFFD);  // a high surrogate without its low half
  }
}

void JsonStringLexer::put(char c) {
  flush_surrogate();
  value_.push_back(c);
}

void JsonStringLexer::put_code_point(uint32_t cp) {
  if (cp < 0x80) {
    value_.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    value_.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    value_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    value_.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    value_.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    value_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    value_.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    value_.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    value_.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    value_.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

JsonStringLexer::Step JsonStringLexer::feed(char c) {
  if (escape_ == 0) {
    if (c == '"') {
      if (keep_) flush_surrogate();
      return Step::kClosed;
    }
    if (c == '\\') {
      escape_ = 1;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      error_ = "control character " + describe(c) + " inside a string";
      return Step::kError;
    } else if (keep_) {
      put(c);
    }
    return Step::kMore;
  }
  if (escape_ == 1) {
    if (c == 'u') {
      escape_ = 2;
      hex_ = 0;
      return Step::kMore;
    }
    const char decoded = unescape(c);
    if (decoded == 0) {
      error_ = "invalid escape '\\" + std::string(1, c) + "' in a string";
      return Step::kError;
    }
    escape_ = 0;
    if (keep_) put(decoded);
    return Step::kMore;
  }
  const int digit = hex_value(c);
  if (digit < 0) {
    error_ = "expected a hex digit in a \\u escape, found " + describe(c);
    return Step::kError;
  }
  hex_ = hex_ * 16 + static_cast<uint32_t>(digit);
  if (++escape_ < 6) return Step::kMore;
  escape_ = 0;
  if (!keep_) return Step::kMore;
  if (hex_ >= 0xD800 && hex_ < 0xDC00) {
    flush_surrogate();
    high_surrogate_ = hex_;
  } else if (hex_ >= 0xDC00 && hex_ < 0xE000) {
    if (high_surrogate_ == 0) {
      put_code_point(0xFFFD);  // a low surrogate alone
    } else {
      put_code_point(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (hex_ - 0xDC00));
      high_surrogate_ = 0;
    }
  } else {
    flush_surrogate();
    put_code_point(hex_);
  }
  return Step::kMore;
}

}  // namespace quiver::datasource::http_json
