#include "quiver/datasource/http_json/http_record_stream.h"

#include <optional>
#include <string>
#include <utility>

#include "quiver/datasource/http_json/envelope_scanner.h"
#include "quiver/datasource/http_json/pagination.h"
#include "quiver/datasource/http_json/url_parts.h"

namespace quiver::datasource::http_json {

namespace {

/// The records of every page, one NDJSON chunk per body chunk that holds record bytes.
class HttpRecordStream final : public json::ByteChunkStream {
 public:
  HttpRecordStream(HttpRequest request, JsonPointer data_path, json::JsonFormat format,
                   Paginator paginator, std::shared_ptr<HttpFetcher> fetcher,
                   std::shared_ptr<HttpRecordStreamStats> stats)
      : request_(std::move(request)),
        data_path_(std::move(data_path)),
        format_(format),
        paginator_(std::move(paginator)),
        fetcher_(std::move(fetcher)),
        stats_(std::move(stats)),
        next_url_(paginator_.first_url()) {}

  arrow::Result<std::shared_ptr<arrow::Buffer>> next() override {
    if (!failure_.ok()) return failure_;
    auto result = read();
    if (!result.ok()) {
      failure_ = result.status().WithMessage("HTTP JSON source: page ", page_, " (", request_.url,
                                             "): ", result.status().message());
      response_.reset();
      return failure_;
    }
    return result;
  }

 private:
  arrow::Result<std::shared_ptr<arrow::Buffer>> read() {
    while (true) {
      if (response_ == nullptr) {
        if (!next_url_.has_value()) return nullptr;
        ++page_;
        request_.url = std::move(*next_url_);
        next_url_.reset();
        ARROW_ASSIGN_OR_RAISE(response_, fetcher_->get(request_));
        scanner_.emplace(data_path_, paginator_.captures(), format_);
      }
      ARROW_ASSIGN_OR_RAISE(auto chunk, response_->body().next());
      if (chunk != nullptr) {
        std::string out;
        const int64_t before = scanner_->records();
        ARROW_RETURN_NOT_OK(
            scanner_->feed(std::string_view(reinterpret_cast<const char*>(chunk->data()),
                                            static_cast<size_t>(chunk->size())),
                           &out));
        if (stats_) {
          stats_->bytes += chunk->size();
          stats_->records += scanner_->records() - before;
        }
        if (!out.empty()) return arrow::Buffer::FromString(std::move(out));
        continue;
      }
      ARROW_RETURN_NOT_OK(scanner_->finish());
      PageOutcome outcome;
      outcome.url = response_->url().empty() ? request_.url : response_->url();
      outcome.records = scanner_->records();
      outcome.link_header = response_->header("Link");
      outcome.scanner = &*scanner_;
      ARROW_ASSIGN_OR_RAISE(next_url_, paginator_.next(outcome));
      if (stats_) {
        ++stats_->pages;
        stats_->capped = paginator_.capped();
      }
      response_.reset();
      scanner_.reset();
    }
  }

  HttpRequest request_;
  JsonPointer data_path_;
  json::JsonFormat format_;
  Paginator paginator_;
  std::shared_ptr<HttpFetcher> fetcher_;
  std::shared_ptr<HttpRecordStreamStats> stats_;
  std::optional<std::string> next_url_;
  std::unique_ptr<HttpResponse> response_;
  std::optional<EnvelopeScanner> scanner_;
  int64_t page_ = 0;
  arrow::Status failure_;
};

}  // namespace

arrow::Result<std::unique_ptr<json::ByteChunkStream>> open_http_record_stream(
    const HttpJsonSourceOptions& options, std::shared_ptr<HttpFetcher> fetcher,
    std::shared_ptr<HttpRecordStreamStats> stats) {
  auto invalid = [&](const arrow::Status& status) {
    return status.WithMessage("HTTP JSON source (", options.url, "): ", status.message());
  };
  if (fetcher == nullptr) return arrow::Status::Invalid("HTTP JSON source: no fetcher");
  auto origin = url_origin(options.url);
  if (!origin.ok()) return invalid(origin.status());
  auto data_path = JsonPointer::Parse(options.data_path);
  if (!data_path.ok()) return invalid(data_path.status());
  auto paginator = Paginator::Make(options.pagination, options.url);
  if (!paginator.ok()) return invalid(paginator.status());
  HttpRequest request;
  request.headers = options.headers;
  request.auth = options.auth;
  request.credential_host = origin->to_string();
  return std::make_unique<HttpRecordStream>(std::move(request), std::move(*data_path),
                                            options.parse.format, std::move(*paginator),
                                            std::move(fetcher), std::move(stats));
}

}  // namespace quiver::datasource::http_json
