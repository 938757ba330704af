#pragma once

// The libcurl HttpFetcher (make_curl_fetcher in http_fetcher.h).
//
// Design: every response runs on a CurlConnection (an easy handle on its own multi handle)
// taken from the fetcher's pool and driven by the reader's thread: get() pumps the transfer
// until the headers arrived, body().next() pumps it until a chunk is buffered. The write
// callback pauses the transfer when `max_buffered_bytes` are buffered, so the download only
// advances as fast as the reader reads. A finished response gives its CurlConnection (and the
// kept-alive connection in its cache) back to the pool, where the next request, from any
// thread, picks it up.
//
// Redirects are followed here (at most kMaxRedirects hops), not by libcurl, so that the
// credential rule holds on every hop: auth and configured headers go only to URLs whose origin
// is the request's credential_host.

#include "quiver/datasource/http_json/http_fetcher.h"

namespace quiver::datasource::http_json {

/// The most redirects followed for one request.
inline constexpr int kMaxRedirects = 10;

/// The most bytes of an error answer's body quoted in the error message.
inline constexpr size_t kErrorBodyPreview = 200;

/// Returns the header lines ("Name: value") sent to `url` for `request`: the configured headers
/// and the auth header when `url` is on the request's credential host, else none.
arrow::Result<std::vector<std::string>> request_header_lines(const HttpRequest& request,
                                                             const std::string& url);

}  // namespace quiver::datasource::http_json
