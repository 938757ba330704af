// Distributed page fetching (src/quiver/distributed/http_pages) against the loopback server
// (tests/http/routes_paged.py): HttpJsonScanExec on in-process and Flight clusters gives exactly
// the rows of the single-node record stream in every pagination style, each page is fetched once
// by the tasks (and by more than one task), max_pages holds, and a failing page fails the query
// naming its URL and page.
#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "http_test_server.h"
#include "quiver/datasource/http_json/http_record_stream.h"
#include "quiver/distributed/distributed_context.h"
#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/distributed_planner.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/http_pages/http_json_scan_codec.h"
#include "quiver/distributed/http_pages/http_json_scan_exec.h"
#include "quiver/distributed/http_pages/http_pages_wiring.h"
#include "quiver/distributed/in_process_transport.h"
#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/distributed/worker_resolver.h"

namespace quiver::distributed::http_pages {
namespace {

namespace hj = datasource::http_json;
using Style = hj::Pagination::Style;
using namespace std::chrono_literals;

std::shared_ptr<arrow::Schema> record_schema() {
  return arrow::schema({
      arrow::field("id", arrow::int64()),
      arrow::field("name", arrow::utf8()),
      arrow::field("score", arrow::float64()),
      arrow::field("tags", arrow::list(arrow::utf8())),
      arrow::field("nested", arrow::struct_({arrow::field("a", arrow::int64()),
                                             arrow::field("b", arrow::utf8())})),
  });
}

/// A fetcher that counts the requests per URL and the threads that sent them, and waits a little
/// before each (so that one partition cannot take every page before the others start).
class CountingFetcher final : public hj::HttpFetcher {
 public:
  explicit CountingFetcher(std::shared_ptr<hj::HttpFetcher> inner) : inner_(std::move(inner)) {}
  arrow::Result<std::unique_ptr<hj::HttpResponse>> get(const hj::HttpRequest& request) override {
    {
      std::lock_guard lock(mutex_);
      ++urls_[request.url];
      threads_.insert(std::this_thread::get_id());
      if (!request.headers.empty()) headers_seen_ = true;
      if (!fail_.empty() && request.url.find(fail_) != std::string::npos) {
        return arrow::Status::IOError("injected failure");
      }
    }
    std::this_thread::sleep_for(3ms);
    return inner_->get(request);
  }
  std::map<std::string, int> urls() const {
    std::lock_guard lock(mutex_);
    return urls_;
  }
  size_t threads() const {
    std::lock_guard lock(mutex_);
    return threads_.size();
  }
  /// Makes requests whose URL contains `part` fail.
  void fail_urls_with(std::string part) {
    std::lock_guard lock(mutex_);
    fail_ = std::move(part);
  }
  bool headers_seen() const {
    std::lock_guard lock(mutex_);
    return headers_seen_;
  }

 private:
  std::shared_ptr<hj::HttpFetcher> inner_;
  mutable std::mutex mutex_;
  std::map<std::string, int> urls_;
  std::set<std::thread::id> threads_;
  bool headers_seen_ = false;
  std::string fail_;
};

/// Returns `table` sorted by its first column, as one batch.
std::shared_ptr<arrow::RecordBatch> sorted(const std::shared_ptr<arrow::Table>& table) {
  auto batch = table->CombineChunksToBatch().ValueOrDie();
  auto indices = arrow::compute::SortIndices(*batch->column(0)).ValueOrDie();
  return arrow::compute::Take(batch, indices).ValueOrDie().record_batch();
}

/// The single-node oracle: the paginated record stream read whole.
std::shared_ptr<arrow::Table> single_node(const hj::HttpJsonSourceOptions& options,
                                          int64_t* pages) {
  auto fetcher = hj::make_curl_fetcher(options.client).ValueOrDie();
  auto stats = std::make_shared<hj::HttpRecordStreamStats>();
  auto stream = hj::open_http_record_stream(options, fetcher, stats).ValueOrDie();
  auto builder = datasource::json::JsonBatchBuilder::Make(record_schema(), {},
                                                          datasource::json::JsonParseOptions{})
                     .ValueOrDie();
  datasource::json::JsonBatchReader reader(std::move(stream), std::move(builder),
                                           datasource::json::JsonFormat::kNdjson, 256);
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  while (auto batch = reader.next().ValueOrDie()) batches.push_back(batch);
  *pages = stats->pages;
  return arrow::Table::FromRecordBatches(record_schema(), batches).ValueOrDie();
}

/// A coordinator over in-process or Flight workers, and the fetchers its scans use.
struct Cluster {
  std::unique_ptr<InProcessCluster> flight;
  std::shared_ptr<Transport> transport;
  std::vector<std::string> urls;
  std::shared_ptr<CountingFetcher> task_fetcher;  // the tasks' page fetches

  static Cluster make(bool use_flight, int workers) {
    Cluster c;
    c.task_fetcher = std::make_shared<CountingFetcher>(
        hj::make_curl_fetcher(hj::HttpClientOptions{}).ValueOrDie());
    if (use_flight) {
      auto fetcher = c.task_fetcher;
      codec::ExtensionCodecs codecs = {
          std::make_shared<HttpJsonScanCodec>([fetcher] { return fetcher; })};
      c.flight = start_in_process_flight_cluster(workers, codecs).ValueOrDie();
      c.urls = c.flight->urls();
      c.transport = std::make_shared<FlightTransport>(codec_plan_encoder(codecs),
                                                      std::make_shared<ChannelResolver>());
    } else {
      c.urls = in_process_worker_urls(workers);
      c.transport = InProcessTransport::Make(c.urls);
    }
    return c;
  }

  /// Runs a scan of `options` (`partitions` per task) distributed over every worker.
  arrow::Result<std::shared_ptr<arrow::Table>> run(const hj::HttpJsonSourceOptions& options,
                                                   int partitions,
                                                   std::shared_ptr<HttpPageFeedProvider>* out) {
    auto provider = std::make_shared<HttpPageFeedProvider>(options);
    if (out != nullptr) *out = provider;
    ARROW_ASSIGN_OR_RAISE(
        auto leaf,
        HttpJsonScanExec::Make(options, record_schema(), {}, partitions,
                               HttpPageFeed(provider, "pages"), "display-url", task_fetcher));
    DistributedPlanner planner({std::make_shared<HttpJsonScanTaskEstimator>()},
                               std::make_shared<StaticWorkerResolver>(urls), transport);
    planner.work_unit_feeds()->add_node<HttpJsonScanExec>(
        [](const HttpJsonScanExec& e) { return &e.feed(); });
    ARROW_ASSIGN_OR_RAISE(auto plan, planner.plan(leaf, common::ConfigOptions{}));
    EXPECT_NE(dynamic_cast<const DistributedExec*>(plan.get()), nullptr);
    return physical::collect(plan,
                             std::make_shared<physical::TaskContext>(common::ConfigOptions{}));
  }
};

class HttpDistributedTest
    : public testing::WithHttpTestServer<HttpDistributedTest, ::testing::TestWithParam<bool>> {
 protected:
  static hj::HttpJsonSourceOptions options_for(const std::string& path, Style style,
                                               std::string data_path) {
    hj::HttpJsonSourceOptions options;
    options.url = server_->url(path);
    options.data_path = std::move(data_path);
    options.pagination.style = style;
    options.client.connect_timeout_ms = 2000;
    options.client.stall_timeout_ms = 5000;
    options.client.retry.max_retries = 1;
    options.client.retry.initial_backoff_ms = 20;
    options.headers = {{"X-Test", "1"}};
    return options;
  }
};

struct Case {
  std::string name;
  hj::HttpJsonSourceOptions options;
  bool coordinator_walks;  // false: pages enumerated from the total
};

std::vector<Case> every_style(
    const std::function<hj::HttpJsonSourceOptions(const std::string&, Style, std::string)>& make) {
  std::vector<Case> cases;
  auto o = make("/paged/offset?limit=40", Style::kOffset, "/data");
  o.pagination.page_size = 40;
  cases.push_back({"offset", o, true});
  o.pagination.total_path = "/meta/total";
  cases.push_back({"offset+total", o, false});
  o = make("/paged/page", Style::kPageNumber, "/items");
  o.pagination.size_param = "per_page";
  o.pagination.page_size = 37;  // 27 full pages and a short one
  cases.push_back({"page", o, true});
  o = make("/paged/cursor?limit=30", Style::kCursor, "/data");
  o.pagination.cursor_path = "/paging/next";
  cases.push_back({"cursor", o, true});
  o = make("/paged/link?limit=45", Style::kLinkHeader, "");
  cases.push_back({"link", o, true});
  o = make("/paged/next?limit=33&chunk=7", Style::kNextUrl, "/data");
  o.pagination.next_url_path = "/links/next";
  cases.push_back({"next_url", o, true});
  return cases;
}

TEST_P(HttpDistributedTest, EveryStyleGivesTheSingleNodeRows) {
  for (const auto& c : every_style(options_for)) {
    SCOPED_TRACE(c.name);
    int64_t pages = 0;
    auto expected = single_node(c.options, &pages);
    ASSERT_EQ(expected->num_rows(), 1000);
    auto cluster = Cluster::make(GetParam(), 3);
    std::shared_ptr<HttpPageFeedProvider> provider;
    auto table = cluster.run(c.options, 2, &provider);
    ASSERT_TRUE(table.ok()) << table.status();
    ASSERT_EQ((*table)->num_rows(), expected->num_rows());
    EXPECT_TRUE(sorted(*table)->Equals(*sorted(expected)));
    // Every page was fetched exactly once by the tasks, and by several of them.
    auto urls = cluster.task_fetcher->urls();
    EXPECT_EQ(static_cast<int64_t>(urls.size()), pages);
    for (const auto& [url, count] : urls) EXPECT_EQ(count, 1) << url;
    // Each partition fetches on its own producer thread: more than 2 threads (a task has 2
    // partitions) means more than one task fetched.
    EXPECT_GE(cluster.task_fetcher->threads(), 3u);
    EXPECT_TRUE(cluster.task_fetcher->headers_seen());  // the options' headers reached the tasks
    // The coordinator fetched every page to walk the chain, or only page 1 to read the total.
    EXPECT_EQ(provider->coordinator_fetches(), c.coordinator_walks ? pages : 1);
  }
}

TEST_P(HttpDistributedTest, MaxPagesIsHonoured) {
  for (auto c : every_style(options_for)) {
    SCOPED_TRACE(c.name);
    c.options.pagination.max_pages = 4;
    int64_t pages = 0;
    auto expected = single_node(c.options, &pages);
    ASSERT_EQ(pages, 4);
    auto cluster = Cluster::make(GetParam(), 4);
    auto table = cluster.run(c.options, 2, nullptr);
    ASSERT_TRUE(table.ok()) << table.status();
    ASSERT_EQ((*table)->num_rows(), expected->num_rows());
    EXPECT_TRUE(sorted(*table)->Equals(*sorted(expected)));
    EXPECT_EQ(cluster.task_fetcher->urls().size(), 4u);
  }
}

TEST_P(HttpDistributedTest, AFailingPageFailsTheQueryNamingUrlAndPage) {
  for (const char* mode : {"malformed", "cut"}) {
    SCOPED_TRACE(mode);
    auto options =
        options_for(std::string("/paged/fail?mode=") + mode, Style::kPageNumber, "/items");
    options.pagination.size_param = "per_page";
    options.pagination.page_size = 50;
    auto cluster = Cluster::make(GetParam(), 3);
    auto table = cluster.run(options, 2, nullptr);
    ASSERT_FALSE(table.ok());
    const std::string message = table.status().message();
    EXPECT_NE(message.find("page 2 ("), std::string::npos) << message;
    EXPECT_NE(message.find("mode=" + std::string(mode) + "&page=2&per_page=50"), std::string::npos)
        << message;
  }
}

TEST_P(HttpDistributedTest, AFailingTaskFetchFailsTheQueryNamingUrlAndPage) {
  // Enumerated pages (offset + total): the coordinator reads page 1 only, so page 4 fails in a
  // task's own fetch.
  auto options = options_for("/paged/offset?limit=40", Style::kOffset, "/data");
  options.pagination.page_size = 40;
  options.pagination.total_path = "/meta/total";
  auto cluster = Cluster::make(GetParam(), 3);
  cluster.task_fetcher->fail_urls_with("&offset=120");
  auto table = cluster.run(options, 2, nullptr);
  ASSERT_FALSE(table.ok());
  const std::string message = table.status().message();
  EXPECT_NE(message.find("HTTP JSON source: page 4 (" + server_->url("/paged/offset?limit=40") +
                         "&offset=120): injected failure"),
            std::string::npos)
      << message;
}

INSTANTIATE_TEST_SUITE_P(Transports, HttpDistributedTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Flight" : "InProcess"; });

TEST(HttpJsonScan, SingleNodeReadsEveryPageAndCodecKeepsTheOptions) {
  auto server = testing::HttpTestServer::Start().ValueOrDie();
  hj::HttpJsonSourceOptions options;
  options.url = server->url("/paged/cursor?limit=64");
  options.data_path = "/data";
  options.pagination.style = Style::kCursor;
  options.pagination.cursor_path = "/paging/next";
  options.auth.kind = hj::HttpAuth::Kind::kBearer;
  options.auth.token = "s3cret";
  auto plan = make_http_json_scan(options, record_schema(), {0, 2}, 3, server->url("/paged/cursor"))
                  .ValueOrDie();
  EXPECT_EQ(plan->display(), "HttpJsonScanExec: url=" + server->url("/paged/cursor") +
                                 ", pagination=cursor, partitions=3");
  EXPECT_EQ(plan->display().find("s3cret"), std::string::npos);
  // Without distribution the three partitions share the coordinator's walk.
  auto table =
      physical::collect(plan, std::make_shared<physical::TaskContext>(common::ConfigOptions{}))
          .ValueOrDie();
  ASSERT_EQ(table->num_rows(), 1000);
  ASSERT_EQ(table->num_columns(), 2);
  auto ids = sorted(table)->column(0);
  for (int64_t i = 0; i < 1000; ++i) {
    ASSERT_EQ(std::static_pointer_cast<arrow::Int64Array>(ids)->Value(i), i);
  }
  // The codec carries what a worker needs; the provider stays behind.
  HttpJsonScanCodec codec;
  auto encoded = codec.try_encode(*plan).ValueOrDie();
  ASSERT_TRUE(encoded.has_value());
  auto decoded = codec.try_decode(encoded->name, encoded->bytes, {}).ValueOrDie();
  const auto& scan = dynamic_cast<const HttpJsonScanExec&>(*decoded);
  EXPECT_EQ(scan.display(), plan->display());
  EXPECT_EQ(scan.options().url, options.url);
  EXPECT_EQ(scan.options().auth.token, "s3cret");
  EXPECT_EQ(scan.options().data_path, "/data");
  EXPECT_EQ(scan.projection(), (std::vector<int>{0, 2}));
  EXPECT_EQ(scan.feed().provider(), nullptr);
  EXPECT_TRUE(scan.schema()->Equals(*plan->schema()));
  EXPECT_FALSE(codec.try_decode(encoded->name, encoded->bytes.substr(0, 20), {}).ok());
  // Units round-trip.
  HttpPageUnit unit{12, "http://h/p?page=12"};
  EXPECT_EQ(HttpPageFeedProvider::decode(HttpPageFeedProvider::encode(unit)).ValueOrDie(), unit);
  EXPECT_FALSE(HttpPageFeedProvider::decode("abc").ok());
}

TEST(HttpJsonScan, WiringNeedsADistributedSession) {
  auto session = catalog::SessionContext::Make();
  EXPECT_FALSE(distributed_http_scan_wanted(session->options_snapshot()));
  EXPECT_FALSE(enable_distributed_http_pages(*session).ok());
  auto urls = in_process_worker_urls(2);
  ASSERT_TRUE(enable_distributed(*session, std::make_shared<StaticWorkerResolver>(urls),
                                 InProcessTransport::Make(urls),
                                 {std::make_shared<HttpJsonScanTaskEstimator>()})
                  .ok());
  EXPECT_FALSE(distributed_http_scan_wanted(session->options_snapshot()));
  ASSERT_TRUE(enable_distributed_http_pages(*session).ok());
  EXPECT_TRUE(distributed_http_scan_wanted(session->options_snapshot()));
  ASSERT_TRUE(session->sql("SET http_json.distributed_pages = false").ok());
  EXPECT_FALSE(distributed_http_scan_wanted(session->options_snapshot()));
}

/// Returns the single row of `sql`'s result, as text.
std::vector<std::string> one_row(catalog::SessionContext& ctx, const std::string& sql) {
  auto table = ctx.sql(sql).ValueOrDie()->collect().ValueOrDie()->CombineChunks().ValueOrDie();
  EXPECT_EQ(table->num_rows(), 1) << sql;
  std::vector<std::string> out;
  for (int c = 0; c < table->num_columns(); ++c) {
    out.push_back(table->column(c)->GetScalar(0).ValueOrDie()->ToString());
  }
  return out;
}

/// Returns the text of EXPLAIN `sql` (every plan line).
std::string explain(catalog::SessionContext& ctx, const std::string& sql) {
  auto table =
      ctx.sql("EXPLAIN " + sql).ValueOrDie()->collect().ValueOrDie()->CombineChunks().ValueOrDie();
  std::string out;
  for (int64_t r = 0; r < table->num_rows(); ++r) {
    out += std::static_pointer_cast<arrow::StringScalar>(
               table->column(table->num_columns() - 1)->GetScalar(r).ValueOrDie())
               ->ToString() +
           "\n";
  }
  return out;
}

TEST_F(HttpDistributedTest, ReadHttpJsonScansOnEveryWorkerOfAFlightSession) {
  codec::ExtensionCodecs codecs = {std::make_shared<HttpJsonScanCodec>()};
  auto cluster = start_in_process_flight_cluster(3, codecs).ValueOrDie();
  auto distributed = catalog::SessionContext::Make();
  ASSERT_TRUE(enable_flight_distributed(*distributed, cluster->urls(), codecs,
                                        {std::make_shared<HttpJsonScanTaskEstimator>()})
                  .ok());
  ASSERT_TRUE(enable_distributed_http_pages(*distributed).ok());
  auto local = catalog::SessionContext::Make();
  const std::string query =
      "SELECT count(*), count(DISTINCT id), sum(id), min(id), max(id), sum(length(name)) FROM "
      "read_http_json('" +
      server_->url("/paged/cursor?limit=30") +
      "', data_path => '/data', pagination => 'cursor', cursor_path => '/paging/next')";
  const auto expected = one_row(*local, query);
  EXPECT_EQ(expected[0], "1000");
  EXPECT_EQ(one_row(*distributed, query), expected);
  const std::string text = explain(*distributed, query);
  EXPECT_NE(text.find("HttpJsonScanExec: url=" + server_->url("/paged/cursor?limit=30") +
                      ", pagination=cursor, partitions="),
            std::string::npos)
      << text;
  const std::string single = explain(*local, query);
  EXPECT_EQ(single.find("HttpJsonScanExec"), std::string::npos) << single;
}

}  // namespace
}  // namespace quiver::distributed::http_pages
