#include "quiver/datasource/http_json/link_header.h"

#include <cctype>

namespace quiver::datasource::http_json {

namespace {

bool is_ows(char c) { return c == ' ' || c == '\t'; }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

/// True when the space-separated list `types` holds `relation`.
bool has_relation(std::string_view types, std::string_view relation) {
  size_t start = 0;
  while (start < types.size()) {
    while (start < types.size() && (is_ows(types[start]) || types[start] == '\n')) ++start;
    size_t end = start;
    while (end < types.size() && !is_ows(types[end]) && types[end] != '\n') ++end;
    if (end > start && iequals(types.substr(start, end - start), relation)) return true;
    start = end;
  }
  return false;
}

}  // namespace

arrow::Result<std::optional<std::string>> find_link(std::string_view header,
                                                    std::string_view relation) {
  size_t p = 0;
  auto fail = [&](std::string_view what) {
    return arrow::Status::Invalid("malformed Link header at character ", p, " (", what,
                                  "): ", header);
  };
  auto skip_ows = [&] {
    while (p < header.size() && is_ows(header[p])) ++p;
  };
  while (true) {
    skip_ows();
    while (p < header.size() && (header[p] == ',' || is_ows(header[p]))) ++p;  // empty elements
    if (p >= header.size()) return std::nullopt;
    if (header[p] != '<') return fail("expected '<'");
    const size_t close = header.find('>', p + 1);
    if (close == std::string_view::npos) return fail("no closing '>'");
    const std::string target(header.substr(p + 1, close - p - 1));
    p = close + 1;
    bool rel_seen = false;
    bool matches = false;
    while (true) {
      skip_ows();
      if (p >= header.size() || header[p] == ',') break;
      if (header[p] != ';') return fail("expected ';' or ','");
      ++p;
      skip_ows();
      const size_t name_start = p;
      while (p < header.size() && header[p] != '=' && header[p] != ';' && header[p] != ',' &&
             !is_ows(header[p])) {
        ++p;
      }
      const std::string_view name = header.substr(name_start, p - name_start);
      skip_ows();
      std::string value;
      if (p < header.size() && header[p] == '=') {
        ++p;
        skip_ows();
        if (p < header.size() && header[p] == '"') {
          ++p;
          while (p < header.size() && header[p] != '"') {
            if (header[p] == '\\' && p + 1 < header.size()) ++p;
            value.push_back(header[p++]);
          }
          if (p >= header.size()) return fail("unterminated quoted string");
          ++p;
        } else {
          while (p < header.size() && header[p] != ';' && header[p] != ',' && !is_ows(header[p])) {
            value.push_back(header[p++]);
          }
        }
      }
      // Only the first `rel` parameter counts (RFC 8288, section 3.3).
      if (iequals(name, "rel") && !rel_seen) {
        rel_seen = true;
        matches = has_relation(value, relation);
      }
    }
    if (matches) return target;
  }
}

}  // namespace quiver::datasource::http_json
