#include "quiver/distributed/http_pages/http_page_feed_provider.h"

#include <algorithm>

#include "quiver/distributed/http_pages/http_page_walker.h"

namespace quiver::distributed::http_pages {

HttpPageFeedProvider::HttpPageFeedProvider(
    datasource::http_json::HttpJsonSourceOptions options,
    std::shared_ptr<datasource::http_json::HttpFetcher> fetcher)
    : options_(std::move(options)),
      fetcher_(std::move(fetcher)),
      fetch_count_(std::make_shared<std::atomic<int64_t>>(0)) {}

HttpPageFeedProvider::~HttpPageFeedProvider() = default;

std::string HttpPageFeedProvider::encode(const HttpPageUnit& unit) {
  std::string out;
  const auto page = static_cast<uint64_t>(unit.page);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((page >> (8 * i)) & 0xff));
  out += unit.url;
  return out;
}

arrow::Result<HttpPageUnit> HttpPageFeedProvider::decode(std::string_view bytes) {
  if (bytes.size() < 8) {
    return arrow::Status::Invalid("an HTTP page unit is at least 8 bytes, got ", bytes.size());
  }
  uint64_t page = 0;
  for (int i = 0; i < 8; ++i) {
    page |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  }
  return HttpPageUnit{static_cast<int64_t>(page), std::string(bytes.substr(8))};
}

arrow::Result<std::shared_ptr<HttpPageWalker>> HttpPageFeedProvider::walker_for(
    const physical::TaskContext& context) const {
  std::lock_guard lock(mutex_);
  // A run lives as long as its query's memory pool: the partitions of one run share it.
  std::erase_if(runs_, [](const Run& run) { return run.pool.expired(); });
  const auto& pool = context.memory_pool();
  for (const auto& run : runs_) {
    if (run.pool.lock() == pool) return run.walker;
  }
  if (fetcher_ == nullptr) {
    ARROW_ASSIGN_OR_RAISE(fetcher_, datasource::http_json::make_curl_fetcher(options_.client));
  }
  ARROW_ASSIGN_OR_RAISE(auto walker, HttpPageWalker::Make(options_, fetcher_, fetch_count_));
  runs_.push_back(Run{pool, walker});
  return walker;
}

arrow::Result<WorkUnitGenerator<HttpPageUnit>> HttpPageFeedProvider::feed(
    int, const physical::TaskContext& context) const {
  ARROW_ASSIGN_OR_RAISE(auto walker, walker_for(context));
  const physical::TaskContext* ctx = &context;
  return WorkUnitGenerator<HttpPageUnit>(
      [walker, ctx]() -> arrow::Result<std::optional<HttpPageUnit>> { return walker->next(*ctx); });
}

int64_t HttpPageFeedProvider::coordinator_fetches() const { return fetch_count_->load(); }

}  // namespace quiver::distributed::http_pages
