#pragma once

#include <arrow/result.h>

#include <string>
#include <string_view>

namespace quiver::datasource::http_json {

/// The origin of a URL: the part that decides where credentials may go.
struct UrlOrigin {
  /// Lower-case scheme ("http", "https").
  std::string scheme;
  /// Lower-case host name or address (an IPv6 address keeps its brackets).
  std::string host;
  /// The port, the scheme's default (80, 443) when the URL names none.
  int port = 0;

  /// Returns "scheme://host:port" (the port always written).
  std::string to_string() const;
  bool operator==(const UrlOrigin&) const = default;
};

/// Parses the origin of `url` ("scheme://[user@]host[:port][/path][?query][#fragment]"). Fails
/// on a URL without "://", an empty host, a bad port, or a scheme other than http/https without
/// an explicit port.
arrow::Result<UrlOrigin> url_origin(std::string_view url);

/// Returns whether `url` has the origin `credential_host` ("scheme://host[:port]", a full URL is
/// accepted too). An empty `credential_host` means "the URL's own host": true. A URL or
/// credential host that does not parse never matches.
bool same_origin(std::string_view url, std::string_view credential_host);

}  // namespace quiver::datasource::http_json
