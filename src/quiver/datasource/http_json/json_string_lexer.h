#pragma once

#include <cstdint>
#include <string>

namespace quiver::datasource::http_json {

/// Reads one JSON string byte by byte (the bytes after its opening quote), across any number of
/// chunks: checks its escapes and, when asked, decodes it to UTF-8 (`\uXXXX` escapes and
/// surrogate pairs included; a lone surrogate becomes U+FFFD).
class JsonStringLexer {
 public:
  /// What a byte did.
  enum class Step { kMore, kClosed, kError };

  /// Starts a new string; `keep` = decode its value, else only check it.
  void start(bool keep) {
    keep_ = keep;
    escape_ = 0;
    high_surrogate_ = 0;
    value_.clear();
  }
  /// True when no escape is under way (a caller may then skip plain bytes itself).
  bool plain() const { return escape_ == 0; }
  /// Whether the value is being decoded.
  bool keep() const { return keep_; }
  /// Reads byte `c`: kClosed on the closing quote, kError (see error()) on an invalid byte.
  Step feed(char c);
  /// Returns the decoded value (after kClosed, when kept).
  std::string& value() { return value_; }
  /// Returns what was wrong after kError.
  const std::string& error() const { return error_; }

 private:
  void put(char c);
  void put_code_point(uint32_t code_point);
  void flush_surrogate();

  bool keep_ = false;
  int escape_ = 0;  // 0 none, 1 after '\', 2..5 reading \u hex digit escape_-2
  uint32_t hex_ = 0;
  uint32_t high_surrogate_ = 0;
  std::string value_;
  std::string error_;
};

}  // namespace quiver::datasource::http_json
