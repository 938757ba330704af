#pragma once

#include "quiver/datasource/http_json/http_json_table.h"

namespace quiver::datasource::http_json {

/// Returns the opener used by `read_http_json` and source files: each call makes a libcurl
/// fetcher with the source's client options and opens the paginated record stream over it
/// (make_curl_fetcher, open_http_record_stream). `${ENV}` references must be expanded already
/// (HttpJsonTable does it when it is made).
HttpRecordStreamOpener default_record_stream_opener();

}  // namespace quiver::datasource::http_json
