#pragma once

#include <arrow/result.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/datasource/http_json/http_json_options.h"
#include "quiver/distributed/feed/work_unit_feed.h"

namespace quiver::distributed::http_pages {

/// One page request handed to a task: the page's number (from 1, in the API's order) and its
/// full URL. Credentials are not part of it: the worker takes them from its node's options.
struct HttpPageUnit {
  int64_t page = 0;
  std::string url;
  bool operator==(const HttpPageUnit&) const = default;
};

class HttpPageWalker;

/// The coordinator side of distributed page fetching: it discovers the pages of an HTTP JSON
/// source while the query runs and hands each page out once, in page order, to whichever
/// partition asks next (so a partition that reads fast gets more pages). All partitions of one
/// run (one query execution: they share the TaskContext's memory pool) draw from one walker:
///
/// - offset and page-number styles with `total_path`: page 1 is fetched to read the total, then
///   the remaining pages are enumerated without fetching them (assuming full pages);
/// - every other case (no total, cursor, Link header, next URL): the coordinator walks the chain
///   itself, fetching each page and scanning it only for the pagination values and the record
///   count (records discarded), so each such page is fetched twice (once here, once by a task).
///
/// A page's URL is handed out as soon as it is known, before the coordinator reads it, so the
/// walk of page k overlaps the tasks' fetch of page k. The stop rules are the single-node
/// stream's (Paginator): empty page, short page, total, no next, max_pages. A failed walk fails
/// the feed with the page's number and URL.
class HttpPageFeedProvider {
 public:
  /// The feed's unit.
  using WorkUnit = HttpPageUnit;

  /// Creates the provider of `options`' pages, fetched with `fetcher` (null = a libcurl fetcher
  /// made from `options.client` when first needed).
  HttpPageFeedProvider(datasource::http_json::HttpJsonSourceOptions options,
                       std::shared_ptr<datasource::http_json::HttpFetcher> fetcher = nullptr);
  ~HttpPageFeedProvider();

  /// Encodes a unit: the page number (8 bytes, little-endian), then the URL.
  static std::string encode(const HttpPageUnit& unit);
  /// Decodes what encode() wrote.
  static arrow::Result<HttpPageUnit> decode(std::string_view bytes);
  /// Returns the pages `partition` gets: the next undistributed page of the run at each call.
  arrow::Result<WorkUnitGenerator<HttpPageUnit>> feed(int partition,
                                                      const physical::TaskContext& context) const;

  /// Returns how many pages the coordinator fetched itself (walks) over all runs: for tests and
  /// metrics.
  int64_t coordinator_fetches() const;

 private:
  struct Run {
    std::weak_ptr<physical::QueryMemoryPool> pool;
    std::shared_ptr<HttpPageWalker> walker;
  };
  arrow::Result<std::shared_ptr<HttpPageWalker>> walker_for(
      const physical::TaskContext& context) const;

  datasource::http_json::HttpJsonSourceOptions options_;
  mutable std::shared_ptr<datasource::http_json::HttpFetcher> fetcher_;
  mutable std::mutex mutex_;
  mutable std::vector<Run> runs_;
  std::shared_ptr<std::atomic<int64_t>> fetch_count_;
};

/// The feed an HttpJsonScanExec holds.
using HttpPageFeed = WorkUnitFeed<HttpPageFeedProvider>;

}  // namespace quiver::distributed::http_pages
