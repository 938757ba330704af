#pragma once

#include <arrow/result.h>

#include <atomic>
#include <cstdint>
#include <memory>

#include "quiver/datasource/http_json/http_json_options.h"
#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace quiver::datasource::http_json {

/// Counters of one record stream, for the plan's metrics. Updated by the thread reading the
/// stream; readable from any thread.
struct HttpRecordStreamStats {
  /// Pages whose body was read to its end.
  std::atomic<int64_t> pages{0};
  /// Records forwarded.
  std::atomic<int64_t> records{0};
  /// Body bytes received.
  std::atomic<int64_t> bytes{0};
  /// True when `max_pages` ended the stream while the API had more pages.
  std::atomic<bool> capped{false};
};

/// Opens one continuous NDJSON stream of the records of every page of `options`' API, in page
/// order: each page is requested (through `fetcher`, which retries) only when the previous one
/// has been read, its body scanned as it arrives (records at `data_path` forwarded, pagination
/// values captured, nothing buffered beyond one record), until a stop rule ends it. A page that
/// fails (after retries), a malformed body, or a missing `data_path` fails the stream with the
/// URL, the page number (from 1) and the status or byte offset: never an end with partial data.
///
/// The stream is NDJSON whatever the bodies' layout (one record, an object, per line): read it
/// with JsonFormat::kNdjson (or kAuto). Requests carry `options.headers` and `options.auth` with
/// `credential_host` set to the first URL's origin, so the fetcher withholds them from pages on
/// another host. `${ENV}` references in headers must be expanded by the caller. Invalid options
/// (a malformed pointer, a missing cursor_path, a URL that is not http(s)) fail here, before any
/// request; the first request is sent by the first next(). `stats`, when given, is kept up to
/// date as the stream is read.
arrow::Result<std::unique_ptr<json::ByteChunkStream>> open_http_record_stream(
    const HttpJsonSourceOptions& options, std::shared_ptr<HttpFetcher> fetcher,
    std::shared_ptr<HttpRecordStreamStats> stats = nullptr);

}  // namespace quiver::datasource::http_json
