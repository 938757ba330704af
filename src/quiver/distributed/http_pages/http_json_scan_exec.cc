#include "quiver/distributed/http_pages/http_json_scan_exec.h"

#include "quiver/datasource/http_json/http_record_stream.h"
#include "quiver/datasource/json_stream/json_batch_builder.h"
#include "quiver/datasource/json_stream_exec.h"
#include "quiver/exec/operator_stream.h"

namespace quiver::distributed::http_pages {

namespace hj = datasource::http_json;

namespace {

/// The records of the pages a partition is handed, one page after another (NDJSON: each page's
/// stream ends its records with '\n', so pages concatenate).
class FeedPagesStream final : public datasource::json::ByteChunkStream {
 public:
  FeedPagesStream(WorkUnitGenerator<HttpPageUnit> units, hj::HttpJsonSourceOptions options,
                  std::shared_ptr<hj::HttpFetcher> fetcher)
      : units_(std::move(units)), options_(std::move(options)), fetcher_(std::move(fetcher)) {}

  arrow::Result<std::shared_ptr<arrow::Buffer>> next() override {
    while (true) {
      if (page_ == nullptr) {
        ARROW_ASSIGN_OR_RAISE(auto unit, units_());
        if (!unit.has_value()) return nullptr;
        ARROW_ASSIGN_OR_RAISE(page_,
                              hj::open_http_page_stream(options_, unit->url, unit->page, fetcher_));
      }
      ARROW_ASSIGN_OR_RAISE(auto chunk, page_->next());
      if (chunk != nullptr) return chunk;
      page_.reset();
    }
  }

 private:
  WorkUnitGenerator<HttpPageUnit> units_;
  hj::HttpJsonSourceOptions options_;
  std::shared_ptr<hj::HttpFetcher> fetcher_;
  std::unique_ptr<datasource::json::ByteChunkStream> page_;
};

/// The inner JsonStreamExec's stream, counted on the HttpJsonScanExec (its metrics, its node).
class ScanStream final : public exec::OperatorStream {
 public:
  ScanStream(physical::ExecutionPlanPtr node, std::shared_ptr<physical::TaskContext> context,
             physical::RecordBatchStreamPtr inner)
      : OperatorStream(std::move(node), std::move(context), inner->schema()),
        inner_(std::move(inner)) {}

 protected:
  arrow::Result<std::shared_ptr<arrow::RecordBatch>> poll_next() override { return inner_->next(); }

 private:
  physical::RecordBatchStreamPtr inner_;
};

}  // namespace

std::string pagination_style_name(hj::Pagination::Style style) {
  switch (style) {
    case hj::Pagination::Style::kNone:
      return "none";
    case hj::Pagination::Style::kOffset:
      return "offset";
    case hj::Pagination::Style::kPageNumber:
      return "page";
    case hj::Pagination::Style::kCursor:
      return "cursor";
    case hj::Pagination::Style::kLinkHeader:
      return "link";
    case hj::Pagination::Style::kNextUrl:
      return "next_url";
  }
  return "?";
}

arrow::Result<std::shared_ptr<HttpJsonScanExec>> HttpJsonScanExec::Make(
    hj::HttpJsonSourceOptions options, std::shared_ptr<arrow::Schema> schema,
    std::vector<int> projection, int partitions, HttpPageFeed feed, std::string display_url,
    std::shared_ptr<hj::HttpFetcher> fetcher) {
  if (partitions < 1) return arrow::Status::Invalid("HttpJsonScanExec: partitions must be >= 1");
  // Validates the schema, projection and options once (JsonStreamExec checks them again).
  auto parse = options.parse;
  parse.format = datasource::json::JsonFormat::kNdjson;
  ARROW_ASSIGN_OR_RAISE(auto probe,
                        datasource::json::JsonBatchBuilder::Make(schema, projection, parse));
  std::shared_ptr<HttpJsonScanExec> node(new HttpJsonScanExec(std::move(feed)));
  node->options_ = std::move(options);
  node->declared_ = std::move(schema);
  node->projection_ = std::move(projection);
  node->display_url_ = std::move(display_url);
  node->fetcher_ = std::move(fetcher);
  node->properties_.schema = probe->output_schema();
  node->properties_.partitioning = physical::Partitioning::unknown(partitions);
  return node;
}

arrow::Result<physical::ExecutionPlanPtr> HttpJsonScanExec::with_new_children(
    std::vector<physical::ExecutionPlanPtr> children) const {
  ARROW_RETURN_NOT_OK(physical::check_children(*this, children, 0));
  return shared_from_this();
}

arrow::Result<physical::RecordBatchStreamPtr> HttpJsonScanExec::execute(
    int partition, const std::shared_ptr<physical::TaskContext>& context) const {
  ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
  ARROW_ASSIGN_OR_RAISE(auto units, feed_.feed(partition, context));
  auto fetcher = fetcher_;
  if (fetcher == nullptr) {
    ARROW_ASSIGN_OR_RAISE(fetcher, hj::make_curl_fetcher(options_.client));
  }
  auto pages = std::make_shared<std::unique_ptr<datasource::json::ByteChunkStream>>(
      std::make_unique<FeedPagesStream>(std::move(units), options_, std::move(fetcher)));
  // The JsonStreamExec producer machinery (bounded channel, batch building) over this one
  // partition's pages; its factory is opened once, right below.
  datasource::ByteChunkStreamFactory factory =
      [pages](int) -> arrow::Result<std::unique_ptr<datasource::json::ByteChunkStream>> {
    if (*pages == nullptr) return arrow::Status::Invalid("HttpJsonScanExec: stream reopened");
    return std::move(*pages);
  };
  auto parse = options_.parse;
  parse.format = datasource::json::JsonFormat::kNdjson;
  ARROW_ASSIGN_OR_RAISE(
      auto inner, datasource::JsonStreamExec::Make(declared_, std::move(factory), 1, projection_,
                                                   parse, options_.stream));
  ARROW_ASSIGN_OR_RAISE(auto stream, inner->execute(0, context));
  return std::make_unique<ScanStream>(shared_from_this(), context, std::move(stream));
}

std::string HttpJsonScanExec::display() const {
  return "HttpJsonScanExec: url=" + display_url_ +
         ", pagination=" + pagination_style_name(options_.pagination.style) +
         ", partitions=" + std::to_string(output_partitions());
}

arrow::Result<physical::ExecutionPlanPtr> make_http_json_scan(
    const hj::HttpJsonSourceOptions& options, std::shared_ptr<arrow::Schema> schema,
    std::vector<int> projection, int partitions, std::string display_url,
    std::shared_ptr<hj::HttpFetcher> fetcher) {
  HttpPageFeed feed(std::make_shared<HttpPageFeedProvider>(options, fetcher),
                    "http pages of " + display_url);
  ARROW_ASSIGN_OR_RAISE(
      auto node,
      HttpJsonScanExec::Make(options, std::move(schema), std::move(projection), partitions,
                             std::move(feed), std::move(display_url), std::move(fetcher)));
  return physical::ExecutionPlanPtr(std::move(node));
}

}  // namespace quiver::distributed::http_pages
