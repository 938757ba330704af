#include "quiver/datasource/http_json/url_parts.h"

#include <arrow/status.h>

#include <algorithm>
#include <cctype>

namespace quiver::datasource::http_json {

std::string UrlOrigin::to_string() const {
  return scheme + "://" + host + ":" + std::to_string(port);
}

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

arrow::Result<UrlOrigin> url_origin(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos || sep == 0) {
    return arrow::Status::Invalid("URL '", url, "' has no scheme (expected scheme://host...)");
  }
  UrlOrigin origin;
  origin.scheme = lower(url.substr(0, sep));
  std::string_view authority = url.substr(sep + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return arrow::Status::Invalid("URL '", url, "' has an unclosed '[' in its host");
    }
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return arrow::Status::Invalid("URL '", url, "' has a bad host");
      port = rest.substr(1);
    }
  } else if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return arrow::Status::Invalid("URL '", url, "' has no host");
  origin.host = lower(host);
  if (!port.empty()) {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](unsigned char c) { return std::isdigit(c); })) {
      return arrow::Status::Invalid("URL '", url, "' has a bad port '", port, "'");
    }
    origin.port = std::stoi(std::string(port));
    if (origin.port < 1 || origin.port > 65535) {
      return arrow::Status::Invalid("URL '", url, "' has a bad port '", port, "'");
    }
  } else if (origin.scheme == "http") {
    origin.port = 80;
  } else if (origin.scheme == "https") {
    origin.port = 443;
  } else {
    return arrow::Status::Invalid("URL '", url, "' has scheme '", origin.scheme,
                                  "' and no port (only http and https are known)");
  }
  return origin;
}

bool same_origin(std::string_view url, std::string_view credential_host) {
  if (credential_host.empty()) return true;
  const auto a = url_origin(url);
  const auto b = url_origin(credential_host);
  return a.ok() && b.ok() && *a == *b;
}

}  // namespace quiver::datasource::http_json
