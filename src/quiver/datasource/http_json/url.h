#pragma once

#include <string>
#include <string_view>

namespace quiver::datasource::http_json {

/// The five components of a URI reference (RFC 3986, section 3); a component's `has_` flag tells
/// an absent component from an empty one.
struct UrlParts {
  std::string scheme;
  bool has_authority = false;
  std::string authority;
  std::string path;
  bool has_query = false;
  std::string query;
  bool has_fragment = false;
  std::string fragment;

  /// Splits `url` (never fails: every string is a URI reference under the RFC's regex).
  static UrlParts Parse(std::string_view url);
  /// Joins the components back.
  std::string to_string() const;
};

/// Resolves the reference `ref` (absolute, "//host/p", "/p", "p", "?q", "#f") against the absolute
/// URL `base` (RFC 3986, section 5.2, dot segments removed).
std::string resolve_url(std::string_view base, std::string_view ref);

/// Percent-encodes every byte of `value` but the unreserved characters (A-Z a-z 0-9 - . _ ~).
std::string percent_encode(std::string_view value);

/// Returns `url` with query parameter `name` set to `value` (percent-encoded): the first
/// parameter of that name (compared after percent-decoding) is replaced and later ones removed,
/// or the parameter is appended. The rest of the query and the fragment are kept as they are.
std::string set_query_param(std::string_view url, std::string_view name, std::string_view value);

}  // namespace quiver::datasource::http_json
