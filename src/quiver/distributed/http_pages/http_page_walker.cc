#include "quiver/distributed/http_pages/http_page_walker.h"

#include <chrono>

#include "quiver/datasource/http_json/envelope_scanner.h"
#include "quiver/datasource/http_json/url_parts.h"

namespace quiver::distributed::http_pages {

namespace hj = datasource::http_json;
using Style = hj::Pagination::Style;

namespace {

/// Parses a captured count (a number, or a string holding one).
std::optional<int64_t> as_count(const std::optional<hj::CapturedValue>& value) {
  if (!value.has_value() || value->empty()) return std::nullopt;
  try {
    size_t used = 0;
    const int64_t out = std::stoll(value->text, &used);
    if (used != value->text.size() || out < 0) return std::nullopt;
    return out;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

HttpPageWalker::HttpPageWalker(hj::Paginator paginator, hj::JsonPointer data_path,
                               hj::HttpRequest request, datasource::json::JsonFormat format,
                               bool enumerable, int64_t page_size, int64_t max_pages,
                               std::shared_ptr<hj::HttpFetcher> fetcher,
                               std::shared_ptr<std::atomic<int64_t>> fetch_count)
    : paginator_(std::move(paginator)),
      data_path_(std::move(data_path)),
      request_(std::move(request)),
      format_(format),
      enumerable_(enumerable),
      fetcher_(std::move(fetcher)),
      page_size_(page_size),
      max_pages_(max_pages),
      next_url_(paginator_.first_url()),
      fetch_count_(std::move(fetch_count)) {}

arrow::Result<std::shared_ptr<HttpPageWalker>> HttpPageWalker::Make(
    const hj::HttpJsonSourceOptions& options, std::shared_ptr<hj::HttpFetcher> fetcher,
    std::shared_ptr<std::atomic<int64_t>> fetch_count) {
  auto invalid = [&](const arrow::Status& status) {
    return status.WithMessage("HTTP JSON source (", options.url, "): ", status.message());
  };
  if (fetcher == nullptr) return arrow::Status::Invalid("HTTP JSON source: no fetcher");
  auto origin = hj::url_origin(options.url);
  if (!origin.ok()) return invalid(origin.status());
  auto data_path = hj::JsonPointer::Parse(options.data_path);
  if (!data_path.ok()) {
    return invalid(data_path.status().WithMessage("data_path: ", data_path.status().message()));
  }
  auto paginator = hj::Paginator::Make(options.pagination, options.url);
  if (!paginator.ok()) return invalid(paginator.status());
  hj::HttpRequest request;
  request.headers = options.headers;
  request.auth = options.auth;
  request.credential_host = origin->to_string();
  const auto& p = options.pagination;
  const bool enumerable = (p.style == Style::kOffset || p.style == Style::kPageNumber) &&
                          !p.total_path.empty() && p.page_size > 0;
  return std::shared_ptr<HttpPageWalker>(new HttpPageWalker(
      std::move(*paginator), std::move(*data_path), std::move(request), options.parse.format,
      enumerable, p.page_size, p.max_pages, std::move(fetcher), std::move(fetch_count)));
}

arrow::Status HttpPageWalker::walk_last() {
  request_.url = last_.url;
  ++*fetch_count_;
  ARROW_ASSIGN_OR_RAISE(auto response, fetcher_->get(request_));
  hj::EnvelopeScanner scanner(data_path_, paginator_.captures(), format_);
  std::string discarded;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto chunk, response->body().next());
    if (chunk == nullptr) break;
    discarded.clear();  // the records are the tasks' job: only the count and captures matter
    ARROW_RETURN_NOT_OK(scanner.feed(std::string_view(reinterpret_cast<const char*>(chunk->data()),
                                                      static_cast<size_t>(chunk->size())),
                                     &discarded));
  }
  ARROW_RETURN_NOT_OK(scanner.finish());
  hj::PageOutcome outcome;
  outcome.url = response->url().empty() ? request_.url : response->url();
  outcome.records = scanner.records();
  outcome.link_header = response->header("Link");
  outcome.scanner = &scanner;
  ARROW_ASSIGN_OR_RAISE(next_url_, paginator_.next(outcome));
  if (enumerable_ && last_.page == 1 && next_url_.has_value() && scanner.records() == page_size_) {
    // Page 1 was full and the API has more: enumerate the rest from the total, if it gave one.
    const auto& captures = paginator_.captures();
    for (size_t i = 0; i < captures.size(); ++i) {
      if (captures[i].name != "total_path") continue;
      if (auto total = as_count(scanner.captured(i))) {
        int64_t pages = (*total + page_size_ - 1) / page_size_;
        if (max_pages_ > 0) pages = std::min(pages, max_pages_);
        enumerated_pages_ = std::max<int64_t>(pages, 1);
      }
    }
  }
  return arrow::Status::OK();
}

arrow::Result<std::optional<HttpPageUnit>> HttpPageWalker::next(
    const physical::TaskContext& context) {
  std::unique_lock lock(mutex_);
  const int64_t ticket = next_ticket_++;
  while (serving_ != ticket) {
    // A cancelled caller leaves its ticket unserved: every caller of the run sees the same
    // cancellation and leaves too.
    if (context.cancelled()) return arrow::Status::Cancelled("the query was cancelled");
    turn_.wait_for(lock, std::chrono::milliseconds(50));
  }
  lock.unlock();
  auto result = serve(context);
  lock.lock();
  ++serving_;
  turn_.notify_all();
  return result;
}

arrow::Result<std::optional<HttpPageUnit>> HttpPageWalker::serve(
    const physical::TaskContext& context) {
  if (!failure_.ok()) return failure_;
  if (context.cancelled()) return arrow::Status::Cancelled("the query was cancelled");
  if (enumerated_pages_ >= 0) {
    if (last_.page >= enumerated_pages_) return std::nullopt;
    last_ = HttpPageUnit{last_.page + 1, paginator_.enumerated_url(last_.page)};
    return last_;
  }
  if (!last_walked_) {
    last_walked_ = true;
    auto walked = walk_last();
    if (!walked.ok()) {
      failure_ = walked.WithMessage(
          "HTTP JSON source: page ", last_.page, " (", last_.url,
          "), read by the coordinator to find the next page: ", walked.message());
      return failure_;
    }
    if (enumerated_pages_ >= 0) {
      if (last_.page >= enumerated_pages_) return std::nullopt;
      last_ = HttpPageUnit{last_.page + 1, paginator_.enumerated_url(last_.page)};
      return last_;
    }
  }
  if (!next_url_.has_value()) return std::nullopt;
  last_ = HttpPageUnit{last_.page + 1, std::move(*next_url_)};
  next_url_.reset();
  last_walked_ = false;
  return last_;
}

}  // namespace quiver::distributed::http_pages
