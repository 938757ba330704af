#include "quiver/datasource/http_json/header_template.h"

#include <arrow/status.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace quiver::datasource::http_json {

EnvLookup process_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

arrow::Result<std::string> expand_env(std::string_view text, const EnvLookup& env,
                                      std::string_view where) {
  const std::string place = where.empty() ? std::string() : " in " + std::string(where);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out.push_back(c);
    } else if (text[i + 1] == '$') {
      out.push_back('$');
      ++i;
    } else if (text[i + 1] == '{') {
      const size_t close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        return arrow::Status::Invalid("unclosed '${' at position ", i, place,
                                      " (write '$$' for a literal '$')");
      }
      const std::string name(text.substr(i + 2, close - i - 2));
      const bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                         std::all_of(name.begin(), name.end(), [](unsigned char ch) {
                           return std::isalnum(ch) || ch == '_';
                         });
      if (!valid) {
        return arrow::Status::Invalid("bad environment variable name '${", name, "}'", place,
                                      " (letters, digits and '_', not starting with a digit)");
      }
      const auto value = env(name);
      if (!value) {
        return arrow::Status::Invalid("environment variable ", name, " is not set (used as ${",
                                      name, "}", place, ")");
      }
      out += *value;
      i = close;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

arrow::Result<std::vector<std::pair<std::string, std::string>>> expand_header_values(
    const std::vector<std::pair<std::string, std::string>>& headers, const EnvLookup& env) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    ARROW_ASSIGN_OR_RAISE(auto expanded, expand_env(value, env, "header '" + name + "'"));
    out.emplace_back(name, std::move(expanded));
  }
  return out;
}

}  // namespace quiver::datasource::http_json
