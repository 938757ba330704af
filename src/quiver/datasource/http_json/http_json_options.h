#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "quiver/datasource/http_json/http_fetcher.h"
#include "quiver/datasource/json_stream/json_stream_options.h"

namespace quiver::datasource::http_json {

/// How the pages of an API are reached. Every style stops at `max_pages` (0 = no cap) and at an
/// empty page (no records); a next page whose URL equals the current page's is an error (a loop).
/// Pagination parameters are set in the first page's URL (replacing a parameter of the same
/// name, values percent-encoded).
struct Pagination {
  enum class Style {
    kNone,        ///< one request
    kOffset,      ///< `offset_param`=0, then the records read so far (0, limit, 2*limit, ...
                  ///< with full pages), with `limit_param`=`page_size` when page_size > 0
    kPageNumber,  ///< `page_param`=first_page, first_page+1, ... (with `size_param` if set)
    kCursor,      ///< the body's `cursor_path` value goes into `cursor_param` of the next request
    kLinkHeader,  ///< follow the `Link: <url>; rel="next"` header
    kNextUrl,     ///< follow the URL at the body's `next_url_path`
  };
  Style style = Style::kNone;
  /// Offset style: parameter names and page size.
  std::string offset_param = "offset";
  std::string limit_param = "limit";
  /// Page-number style: parameter names; `size_param` empty = the page size is not sent.
  std::string page_param = "page";
  std::string size_param;
  int64_t first_page = 1;
  /// Records per page (offset and page-number styles; 0 = not sent and no short-page rule).
  int64_t page_size = 100;
  /// Offset and page-number styles: a page with fewer than `page_size` records is the last.
  bool stop_on_short_page = true;
  /// Cursor style: JSON pointer to the next cursor in the body (missing, null or "" = last page)
  /// and the query parameter that carries it.
  std::string cursor_path;
  std::string cursor_param = "cursor";
  /// Next-URL style: JSON pointer to the next page's URL in the body (missing, null or "" =
  /// last; a relative URL is resolved against the page's URL).
  std::string next_url_path;
  /// Offset and page-number styles, optional: JSON pointer to the total number of records in the
  /// body; once that many records have been read the stream ends ("" = not used).
  std::string total_path;
  /// The most pages read (0 = no cap). Reaching it ends the stream without an error; the count
  /// is reported in the plan's metrics.
  int64_t max_pages = 0;
};

/// Everything that defines one HTTP JSON source (a `read_http_json(...)` call or a table from a
/// source file).
struct HttpJsonSourceOptions {
  /// The first page's URL (query parameters allowed; pagination parameters are added/replaced).
  std::string url;
  /// Headers (values may hold `${ENV}`; expanded when the source is created, an unset variable
  /// is an error naming it).
  std::vector<std::pair<std::string, std::string>> headers;
  HttpAuth auth;
  /// JSON pointer (RFC 6901) to the array of records in each page's body; "" = the body itself is
  /// the array (or NDJSON).
  std::string data_path;
  Pagination pagination;
  HttpClientOptions client;
  /// The declared schema as (name, SQL type) pairs; empty = inferred from the first records.
  std::vector<std::pair<std::string, std::string>> columns;
  /// Records sampled for inference.
  int64_t infer_sample = 1000;
  json::JsonParseOptions parse;
  json::StreamConfig stream;
};

}  // namespace quiver::datasource::http_json
