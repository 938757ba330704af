#pragma once

#include <arrow/result.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "quiver/datasource/http_json/http_json_options.h"
#include "quiver/datasource/http_json/json_pointer.h"
#include "quiver/datasource/http_json/pagination.h"
#include "quiver/distributed/http_pages/http_page_feed_provider.h"

namespace quiver::distributed::http_pages {

/// The page discovery of one run of an HttpPageFeedProvider (see there): hands out each page of
/// the source once, in order. Thread-safe: partitions call next() concurrently and are served
/// one at a time in the order they asked (a ticket lock: a partition that just got a page queues
/// behind those already waiting, so pages go round-robin over the waiting partitions); a walk
/// (the coordinator's own fetch of a page) happens while serving one caller.
class HttpPageWalker {
 public:
  /// Checks the options (as the single-node stream does) and prepares the first page.
  static arrow::Result<std::shared_ptr<HttpPageWalker>> Make(
      const datasource::http_json::HttpJsonSourceOptions& options,
      std::shared_ptr<datasource::http_json::HttpFetcher> fetcher,
      std::shared_ptr<std::atomic<int64_t>> fetch_count);

  /// Returns the next page to fetch, nullopt once every page has been handed out, or the error
  /// of a failed walk (naming the page and URL; every later call returns it too).
  arrow::Result<std::optional<HttpPageUnit>> next(const physical::TaskContext& context);

 private:
  HttpPageWalker(datasource::http_json::Paginator paginator,
                 datasource::http_json::JsonPointer data_path,
                 datasource::http_json::HttpRequest request, datasource::json::JsonFormat format,
                 bool enumerable, int64_t page_size, int64_t max_pages,
                 std::shared_ptr<datasource::http_json::HttpFetcher> fetcher,
                 std::shared_ptr<std::atomic<int64_t>> fetch_count);
  // Hands out the next page; called by the caller being served.
  arrow::Result<std::optional<HttpPageUnit>> serve(const physical::TaskContext& context);
  // Fetches and scans the last handed-out page, setting next_url_ (or the enumeration).
  arrow::Status walk_last();

  datasource::http_json::Paginator paginator_;
  datasource::http_json::JsonPointer data_path_;
  datasource::http_json::HttpRequest request_;
  datasource::json::JsonFormat format_;
  bool enumerable_;
  std::shared_ptr<datasource::http_json::HttpFetcher> fetcher_;
  int64_t page_size_;
  int64_t max_pages_;

  // Next ticket to give and the ticket being served (see next()).
  std::mutex mutex_;
  std::condition_variable turn_;
  int64_t next_ticket_ = 0;
  int64_t serving_ = 0;
  std::optional<std::string> next_url_;
  HttpPageUnit last_;              // the last page handed out
  bool last_walked_ = true;        // whether last_ was fetched (or needs no fetch)
  int64_t enumerated_pages_ = -1;  // >= 0: pages known from the total, handed without walks
  arrow::Status failure_;
  std::shared_ptr<std::atomic<int64_t>> fetch_count_;  // the provider's count of walks
};

}  // namespace quiver::distributed::http_pages
