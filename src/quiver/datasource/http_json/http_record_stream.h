#pragma once

#include <arrow/result.h>

#include <memory>

#include "quiver/datasource/http_json/http_json_options.h"
#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace quiver::datasource::http_json {

/// Opens one continuous NDJSON stream of the records of every page of `options`' API, in page
/// order: each page is requested (through `fetcher`, which retries) only when the previous one
/// has been read, its body scanned as it arrives (records at `data_path` forwarded, pagination
/// values captured, nothing buffered beyond one record), until a stop rule ends it. A page that
/// fails (after retries), a malformed body, or a missing `data_path` fails the stream with the
/// URL, the page number (from 1) and the status or byte offset: never an end with partial data.
arrow::Result<std::unique_ptr<json::ByteChunkStream>> open_http_record_stream(
    const HttpJsonSourceOptions& options, std::shared_ptr<HttpFetcher> fetcher);

}  // namespace quiver::datasource::http_json
