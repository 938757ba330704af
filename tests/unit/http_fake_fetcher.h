#pragma once

#include <arrow/buffer.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "quiver/datasource/http_json/http_fetcher.h"

namespace quiver::test {

/// One canned answer of FakeFetcher.
struct FakeAnswer {
  /// A non-2xx status fails the request (as the real fetcher does after its retries).
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
  /// The URL reported as answering (after redirects); empty = the requested URL.
  std::string final_url;
  /// When >= 0, the body fails (a cut connection) after this many bytes.
  int64_t cut_after = -1;
};

/// An in-memory HttpFetcher: answers come from a handler of the requested URL; bodies arrive in
/// chunks of `chunk_size` bytes. Records every request.
class FakeFetcher final : public datasource::http_json::HttpFetcher {
 public:
  using Handler = std::function<FakeAnswer(const std::string& url)>;

  explicit FakeFetcher(Handler handler, size_t chunk_size = 1 << 20)
      : handler_(std::move(handler)), chunk_size_(chunk_size) {}

  /// Returns the requests sent so far.
  std::vector<datasource::http_json::HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  arrow::Result<std::unique_ptr<datasource::http_json::HttpResponse>> get(
      const datasource::http_json::HttpRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
    }
    FakeAnswer answer = handler_(request.url);
    if (answer.status < 200 || answer.status > 299) {
      return arrow::Status::IOError("HTTP ", answer.status, " from ", request.url, ": ",
                                    answer.body.substr(0, 100));
    }
    if (answer.final_url.empty()) answer.final_url = request.url;
    return std::make_unique<Response>(std::move(answer), chunk_size_);
  }

 private:
  class Body final : public datasource::json::ByteChunkStream {
   public:
    Body(const FakeAnswer* answer, size_t chunk_size) : answer_(answer), chunk_size_(chunk_size) {}
    arrow::Result<std::shared_ptr<arrow::Buffer>> next() override {
      const auto& body = answer_->body;
      if (answer_->cut_after >= 0 && pos_ >= static_cast<size_t>(answer_->cut_after)) {
        return arrow::Status::IOError("connection cut at byte ", pos_, " of ", answer_->final_url);
      }
      if (pos_ >= body.size()) return nullptr;
      size_t end = std::min(body.size(), pos_ + chunk_size_);
      if (answer_->cut_after >= 0) end = std::min(end, static_cast<size_t>(answer_->cut_after));
      auto chunk = arrow::Buffer::FromString(body.substr(pos_, end - pos_));
      pos_ = end;
      return chunk;
    }

   private:
    const FakeAnswer* answer_;
    size_t chunk_size_;
    size_t pos_ = 0;
  };

  class Response final : public datasource::http_json::HttpResponse {
   public:
    Response(FakeAnswer answer, size_t chunk_size)
        : answer_(std::move(answer)), body_(&answer_, chunk_size) {}
    int status() const override { return answer_.status; }
    std::optional<std::string> header(const std::string& name) const override {
      for (const auto& [key, value] : answer_.headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(),
                       [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
          return value;
        }
      }
      return std::nullopt;
    }
    const std::string& url() const override { return answer_.final_url; }
    datasource::json::ByteChunkStream& body() override { return body_; }

   private:
    FakeAnswer answer_;
    Body body_;
  };

  Handler handler_;
  size_t chunk_size_;
  mutable std::mutex mu_;
  std::vector<datasource::http_json::HttpRequest> requests_;
};

}  // namespace quiver::test
