#include "quiver/datasource/http_json/url.h"

#include <cctype>
#include <vector>

namespace quiver::datasource::http_json {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Decodes %XX escapes and '+' (a space in form-encoded queries).
std::string percent_decode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(text[i] == '+' ? ' ' : text[i]);
    }
  }
  return out;
}

/// RFC 3986, section 5.2.4.
std::string remove_dot_segments(std::string_view input) {
  std::string in(input);
  std::string out;
  while (!in.empty()) {
    if (in.rfind("../", 0) == 0) {
      in.erase(0, 3);
    } else if (in.rfind("./", 0) == 0) {
      in.erase(0, 2);
    } else if (in.rfind("/./", 0) == 0) {
      in.erase(0, 2);
    } else if (in == "/.") {
      in = "/";
    } else if (in.rfind("/../", 0) == 0 || in == "/..") {
      in = in == "/.." ? "/" : in.substr(3);
      const size_t slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      const size_t next = in.find('/', 1);
      out += in.substr(0, next);
      in.erase(0, next == std::string::npos ? in.size() : next);
    }
  }
  return out;
}

}  // namespace

UrlParts UrlParts::Parse(std::string_view url) {
  UrlParts parts;
  size_t p = 0;
  const size_t colon = url.find_first_of(":/?#");
  if (colon != std::string_view::npos && colon > 0 && url[colon] == ':') {
    parts.scheme = std::string(url.substr(0, colon));
    p = colon + 1;
  }
  if (url.substr(p, 2) == "//") {
    const size_t end = url.find_first_of("/?#", p + 2);
    parts.has_authority = true;
    parts.authority =
        std::string(url.substr(p + 2, end == std::string_view::npos ? url.npos : end - p - 2));
    p = end == std::string_view::npos ? url.size() : end;
  }
  size_t end = url.find_first_of("?#", p);
  if (end == std::string_view::npos) end = url.size();
  parts.path = std::string(url.substr(p, end - p));
  p = end;
  if (p < url.size() && url[p] == '?') {
    end = url.find('#', p);
    if (end == std::string_view::npos) end = url.size();
    parts.has_query = true;
    parts.query = std::string(url.substr(p + 1, end - p - 1));
    p = end;
  }
  if (p < url.size() && url[p] == '#') {
    parts.has_fragment = true;
    parts.fragment = std::string(url.substr(p + 1));
  }
  return parts;
}

std::string UrlParts::to_string() const {
  std::string out;
  if (!scheme.empty()) out += scheme + ":";
  if (has_authority) out += "//" + authority;
  out += path;
  if (has_query) out += "?" + query;
  if (has_fragment) out += "#" + fragment;
  return out;
}

std::string resolve_url(std::string_view base_url, std::string_view ref_url) {
  const UrlParts ref = UrlParts::Parse(ref_url);
  const UrlParts base = UrlParts::Parse(base_url);
  UrlParts target;
  if (!ref.scheme.empty()) {
    target = ref;
    target.path = remove_dot_segments(ref.path);
  } else {
    target.scheme = base.scheme;
    if (ref.has_authority) {
      target.has_authority = true;
      target.authority = ref.authority;
      target.path = remove_dot_segments(ref.path);
      target.has_query = ref.has_query;
      target.query = ref.query;
    } else {
      target.has_authority = base.has_authority;
      target.authority = base.authority;
      if (ref.path.empty()) {
        target.path = base.path;
        target.has_query = ref.has_query || base.has_query;
        target.query = ref.has_query ? ref.query : base.query;
      } else {
        if (ref.path[0] == '/') {
          target.path = remove_dot_segments(ref.path);
        } else {
          // Merge (5.2.3): the base path up to its last '/', or "/" under an empty base path.
          std::string merged;
          if (base.has_authority && base.path.empty()) {
            merged = "/" + ref.path;
          } else {
            const size_t slash = base.path.rfind('/');
            merged = (slash == std::string::npos ? "" : base.path.substr(0, slash + 1)) + ref.path;
          }
          target.path = remove_dot_segments(merged);
        }
        target.has_query = ref.has_query;
        target.query = ref.query;
      }
    }
  }
  target.has_fragment = ref.has_fragment;
  target.fragment = ref.fragment;
  return target.to_string();
}

std::string percent_encode(std::string_view value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 15]);
    }
  }
  return out;
}

std::string set_query_param(std::string_view url, std::string_view name, std::string_view value) {
  UrlParts parts = UrlParts::Parse(url);
  const std::string param = percent_encode(name) + "=" + percent_encode(value);
  std::vector<std::string> kept;
  bool replaced = false;
  if (parts.has_query && !parts.query.empty()) {
    size_t start = 0;
    while (start <= parts.query.size()) {
      size_t end = parts.query.find('&', start);
      if (end == std::string::npos) end = parts.query.size();
      const std::string_view item = std::string_view(parts.query).substr(start, end - start);
      const std::string_view item_name = item.substr(0, item.find('='));
      if (!item.empty() && percent_decode(item_name) == name) {
        if (!replaced) kept.push_back(param);
        replaced = true;
      } else if (!item.empty()) {
        kept.emplace_back(item);
      }
      start = end + 1;
    }
  }
  if (!replaced) kept.push_back(param);
  parts.has_query = true;
  parts.query.clear();
  for (size_t i = 0; i < kept.size(); ++i) parts.query += (i ? "&" : "") + kept[i];
  return parts.to_string();
}

}  // namespace quiver::datasource::http_json
