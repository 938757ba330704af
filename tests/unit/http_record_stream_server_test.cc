// The paginated HTTP JSON record stream through the libcurl fetcher against the loopback server
// (tests/http/routes_paged.py): 1000 generated records in every pagination style, bodies whole
// or chunked in 7-byte pieces, and a malformed page, a flaky page, a throttled page, a cut
// connection and a next link to another origin.
#include <arrow/api.h>
#include <gtest/gtest.h>

#include <chrono>
#include <regex>

#include "http_test_server.h"
#include "quiver/datasource/http_json/http_record_stream.h"
#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace quiver::datasource::http_json {
namespace {

constexpr int64_t kTotal = 1000;  // TOTAL in routes_paged.py

/// The columns of routes_paged.py's record(i).
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

/// Reads the whole stream of `options` into one table (or the stream's error).
arrow::Result<std::shared_ptr<arrow::Table>> read_table(
    const HttpJsonSourceOptions& options, std::shared_ptr<arrow::Schema> schema,
    std::shared_ptr<HttpRecordStreamStats> stats = nullptr) {
  ARROW_ASSIGN_OR_RAISE(auto fetcher, make_curl_fetcher(options.client));
  ARROW_ASSIGN_OR_RAISE(auto stream, open_http_record_stream(options, fetcher, stats));
  ARROW_ASSIGN_OR_RAISE(auto builder,
                        json::JsonBatchBuilder::Make(schema, {}, json::JsonParseOptions{}));
  json::JsonBatchReader reader(std::move(stream), std::move(builder), json::JsonFormat::kNdjson,
                               256);
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto batch, reader.next());
    if (batch == nullptr) break;
    batches.push_back(std::move(batch));
  }
  return arrow::Table::FromRecordBatches(schema, batches);
}

/// Checks that `table` holds records [0, count) of routes_paged.py, in order.
void expect_records(const std::shared_ptr<arrow::Table>& table, int64_t count) {
  ASSERT_EQ(table->num_rows(), count);
  auto combined = table->CombineChunksToBatch().ValueOrDie();
  auto ids = std::static_pointer_cast<arrow::Int64Array>(combined->column(0));
  auto names = std::static_pointer_cast<arrow::StringArray>(combined->column(1));
  auto scores = std::static_pointer_cast<arrow::DoubleArray>(combined->column(2));
  auto tags = std::static_pointer_cast<arrow::ListArray>(combined->column(3));
  auto nested = std::static_pointer_cast<arrow::StructArray>(combined->column(4));
  auto nested_b = std::static_pointer_cast<arrow::StringArray>(nested->field(1));
  for (int64_t i = 0; i < count; ++i) {
    ASSERT_EQ(ids->Value(i), i);
    ASSERT_EQ(names->GetString(i), "n" + std::to_string(i) + " \"q\" \\ ]} \xC3\xA9");
    ASSERT_EQ(scores->Value(i), static_cast<double>(i * 37 % 101) / 4);
    ASSERT_EQ(tags->value_length(i), i % 2 == 0 ? 2 : 0);
    ASSERT_EQ(nested_b->IsNull(i), i % 5 == 0);
  }
}

class HttpRecordStreamServerTest : public testing::WithHttpTestServer<HttpRecordStreamServerTest> {
 protected:
  /// Options for `path` with quick retries.
  static HttpJsonSourceOptions options_for(const std::string& path, Pagination::Style style,
                                           std::string data_path) {
    HttpJsonSourceOptions options;
    options.url = server_->url(path);
    options.data_path = std::move(data_path);
    options.pagination.style = style;
    options.client.connect_timeout_ms = 2000;
    options.client.stall_timeout_ms = 5000;
    options.client.retry.max_retries = 3;
    options.client.retry.initial_backoff_ms = 50;
    options.client.retry.max_backoff_ms = 400;
    return options;
  }
};

TEST_F(HttpRecordStreamServerTest, EveryStyleReadsTheThousandRecords) {
  struct Case {
    std::string name;
    HttpJsonSourceOptions options;
    int64_t pages;
  };
  std::vector<Case> cases;
  {
    auto o = options_for("/paged/offset", Pagination::Style::kOffset, "/data");
    o.pagination.page_size = 100;  // ten full pages, then an empty one
    cases.push_back({"offset", o, 11});
    o.pagination.total_path = "/meta/total";  // the total spares the empty page
    cases.push_back({"offset+total", o, 10});
  }
  {
    auto o = options_for("/paged/page", Pagination::Style::kPageNumber, "/items");
    o.pagination.size_param = "per_page";
    o.pagination.page_size = 64;  // 15 full pages and a short one of 40
    cases.push_back({"page", o, 16});
  }
  {
    auto o = options_for("/paged/cursor?limit=128", Pagination::Style::kCursor, "/data");
    o.pagination.cursor_path = "/paging/next";
    cases.push_back({"cursor", o, 8});
  }
  {
    auto o = options_for("/paged/link?limit=250", Pagination::Style::kLinkHeader, "");
    cases.push_back({"link", o, 4});
  }
  {
    auto o = options_for("/paged/next?limit=100", Pagination::Style::kNextUrl, "/data");
    o.pagination.next_url_path = "/links/next";
    cases.push_back({"next_url", o, 10});
  }
  {
    auto o = options_for("/paged/ndjson", Pagination::Style::kPageNumber, "");
    o.pagination.size_param = "per_page";
    o.pagination.page_size = 300;
    cases.push_back({"ndjson", o, 4});
  }
  for (auto& c : cases) {
    for (const char* chunk : {"", "7"}) {
      auto options = c.options;
      if (*chunk)
        options.url += (options.url.find('?') == std::string::npos ? "?chunk=" : "&chunk=") +
                       std::string(chunk);
      auto stats = std::make_shared<HttpRecordStreamStats>();
      auto table = read_table(options, record_schema(), stats);
      ASSERT_TRUE(table.ok()) << c.name << " chunk=" << chunk << ": " << table.status();
      SCOPED_TRACE(c.name + " chunk=" + chunk);
      expect_records(*table, kTotal);
      EXPECT_EQ(stats->pages, c.pages);
      EXPECT_EQ(stats->records, kTotal);
      EXPECT_GT(stats->bytes, 100 * kTotal);
    }
  }
}

TEST_F(HttpRecordStreamServerTest, MaxPagesCapsTheStream) {
  auto options = options_for("/paged/cursor?limit=128", Pagination::Style::kCursor, "/data");
  options.pagination.cursor_path = "/paging/next";
  options.pagination.max_pages = 3;
  auto stats = std::make_shared<HttpRecordStreamStats>();
  auto table = read_table(options, record_schema(), stats);
  ASSERT_TRUE(table.ok()) << table.status();
  expect_records(*table, 3 * 128);
  EXPECT_TRUE(stats->capped);
}

/// The options of /paged/fail in `mode` (pages of 50 records: page 2 misbehaves).
HttpJsonSourceOptions fail_options(HttpJsonSourceOptions options) {
  options.pagination.size_param = "per_page";
  options.pagination.page_size = 50;
  return options;
}

TEST_F(HttpRecordStreamServerTest, FlakyAndThrottledPagesAreRetried) {
  for (const char* mode : {"flaky", "throttle"}) {
    auto options =
        fail_options(options_for(std::string("/paged/fail?mode=") + mode + "&id=" + mode + "-retry",
                                 Pagination::Style::kPageNumber, "/items"));
    const auto start = std::chrono::steady_clock::now();
    auto table = read_table(options, record_schema());
    const auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(table.ok()) << mode << ": " << table.status();
    expect_records(*table, kTotal);
    if (std::string(mode) == "throttle") {
      // The 429's Retry-After (1 s) was honoured, not the 50 ms backoff.
      EXPECT_GE(waited, std::chrono::milliseconds(950));
    }
  }
}

TEST_F(HttpRecordStreamServerTest, FailuresNameTheUrlAndThePage) {
  const std::string page2 = "&page=2&per_page=50";
  {
    auto options = fail_options(
        options_for("/paged/fail?mode=malformed", Pagination::Style::kPageNumber, "/items"));
    auto table = read_table(options, record_schema());
    ASSERT_FALSE(table.ok());
    const std::string message = table.status().message();
    EXPECT_NE(message.find("HTTP JSON source: page 2 (" +
                           server_->url("/paged/fail?mode=malformed") + page2 + "): byte "),
              std::string::npos)
        << message;
    EXPECT_TRUE(std::regex_search(
        message, std::regex(R"(: byte \d+: expected ':' after an object key, found '\d')")))
        << message;
  }
  {
    auto options =
        fail_options(options_for("/paged/fail?mode=cut", Pagination::Style::kPageNumber, "/items"));
    auto table = read_table(options, record_schema());
    ASSERT_FALSE(table.ok());
    const std::string message = table.status().message();
    EXPECT_NE(message.find("HTTP JSON source: page 2 (" + server_->url("/paged/fail?mode=cut") +
                           page2 + "): "),
              std::string::npos)
        << message;
  }
  {
    // Retries exhausted: the 500s outlast a single retry.
    auto options = fail_options(options_for("/paged/fail?mode=flaky&id=flaky-fail",
                                            Pagination::Style::kPageNumber, "/items"));
    options.client.retry.max_retries = 1;
    auto table = read_table(options, record_schema());
    ASSERT_FALSE(table.ok());
    const std::string message = table.status().message();
    EXPECT_NE(message.find("HTTP JSON source: page 2 ("), std::string::npos) << message;
    EXPECT_NE(message.find("500"), std::string::npos) << message;
  }
}

TEST_F(HttpRecordStreamServerTest, NoCredentialsForANextLinkOnAnotherHost) {
  auto options = options_for("/paged/cross?page=1", Pagination::Style::kNextUrl, "/data");
  options.pagination.next_url_path = "/next";
  options.auth.kind = HttpAuth::Kind::kBearer;
  options.auth.token = "secret";
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("auth", arrow::utf8())});
  auto table = read_table(options, schema);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ((*table)->num_rows(), 6);
  auto combined = (*table)->CombineChunksToBatch().ValueOrDie();
  auto ids = std::static_pointer_cast<arrow::Int64Array>(combined->column(0));
  auto auth = std::static_pointer_cast<arrow::StringArray>(combined->column(1));
  for (int64_t i = 0; i < 6; ++i) {
    EXPECT_EQ(ids->Value(i), i < 3 ? 10 + i : 20 + i - 3);
    if (i < 3) {
      EXPECT_EQ(auth->GetString(i), "Bearer secret");
    } else {
      EXPECT_TRUE(auth->IsNull(i)) << "credentials sent to localhost: " << auth->GetString(i);
    }
  }
}

}  // namespace
}  // namespace quiver::datasource::http_json
