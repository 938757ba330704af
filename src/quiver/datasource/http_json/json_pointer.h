#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::datasource::http_json {

/// A parsed JSON pointer (RFC 6901): "" is the whole document, "/a/b" the member "b" of the
/// member "a"; in a token "~1" stands for '/' and "~0" for '~'. A token addresses an array element
/// when it is a non-negative integer without leading zeros.
class JsonPointer {
 public:
  /// Parses `text`; an error (naming the pointer) when it neither is empty nor starts with '/', or
  /// holds a '~' not followed by '0' or '1'.
  static arrow::Result<JsonPointer> Parse(std::string_view text);

  /// Returns the pointer's text as given.
  const std::string& text() const { return text_; }
  /// Returns the decoded reference tokens.
  const std::vector<std::string>& tokens() const { return tokens_; }
  /// Returns the number of tokens (0 = the whole document).
  size_t size() const { return tokens_.size(); }
  /// Returns the array index token `i` stands for, or -1 when it is not an index.
  int64_t index_at(size_t i) const { return indices_[i]; }

 private:
  std::string text_;
  std::vector<std::string> tokens_;
  std::vector<int64_t> indices_;
};

}  // namespace quiver::datasource::http_json
