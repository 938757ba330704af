#include "quiver/datasource/http_json/json_pointer.h"

namespace quiver::datasource::http_json {

namespace {

/// The array index a token stands for, or -1 ("0", "12"; not "01", "-1" or "1a").
int64_t as_index(const std::string& token) {
  if (token.empty() || token.size() > 18) return -1;
  if (token.size() > 1 && token[0] == '0') return -1;
  int64_t value = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

arrow::Result<JsonPointer> JsonPointer::Parse(std::string_view text) {
  JsonPointer pointer;
  pointer.text_ = std::string(text);
  if (text.empty()) return pointer;
  if (text[0] != '/') {
    return arrow::Status::Invalid("JSON pointer '", text,
                                  "' must be empty or start with '/' (RFC 6901)");
  }
  std::string token;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      pointer.indices_.push_back(as_index(token));
      pointer.tokens_.push_back(std::move(token));
      token.clear();
    } else if (text[i] == '~') {
      if (i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == '1')) {
        token.push_back(text[i + 1] == '0' ? '~' : '/');
        ++i;
      } else {
        return arrow::Status::Invalid("JSON pointer '", text, "': '~' at position ", i,
                                      " must be followed by '0' or '1' (RFC 6901)");
      }
    } else {
      token.push_back(text[i]);
    }
  }
  return pointer;
}

}  // namespace quiver::datasource::http_json
