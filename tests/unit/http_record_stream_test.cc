// The paginated HTTP JSON record stream over an in-memory fetcher: every pagination style, the
// stop rules, the page cap, chunk cuts, credentials, and failures.
#include "quiver/datasource/http_json/http_record_stream.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <map>

#include "http_fake_fetcher.h"
#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace quiver::datasource::http_json {
namespace {

#define QV_CONCAT_(a, b) a##b
#define QV_CONCAT(a, b) QV_CONCAT_(a, b)
/// Assigns the value of an arrow::Result or fails the test.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(QV_CONCAT(_r, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  ASSERT_TRUE(tmp.ok()) << tmp.status();          \
  lhs = std::move(tmp).ValueOrDie()

using test::FakeAnswer;
using test::FakeFetcher;

/// Record `i` of the fake API.
std::string record(int64_t i) {
  return R"({"id":)" + std::to_string(i) + R"(,"name":"n\"]})" + std::to_string(i) + "\"}";
}

/// Records [from, to) as the NDJSON the stream must produce.
std::string ndjson(int64_t from, int64_t to) {
  std::string out;
  for (int64_t i = from; i < to; ++i) out += record(i) + "\n";
  return out;
}

/// Records [from, to) as a JSON array.
std::string array(int64_t from, int64_t to) {
  std::string out = "[";
  for (int64_t i = from; i < to; ++i) out += (i > from ? ", " : "") + record(i);
  return out + "]";
}

/// The decoded query parameter `name` of `url` (written independently of the source's URL code).
std::optional<std::string> param(const std::string& url, const std::string& name) {
  const size_t q = url.find('?');
  if (q == std::string::npos) return std::nullopt;
  std::string query = url.substr(q + 1);
  query = query.substr(0, query.find('#'));
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string item = query.substr(start, end - start);
    const size_t eq = item.find('=');
    if (item.substr(0, eq) == name) {
      std::string value, raw = eq == std::string::npos ? "" : item.substr(eq + 1);
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '%') {
          value.push_back(static_cast<char>(std::stoi(raw.substr(i + 1, 2), nullptr, 16)));
          i += 2;
        } else {
          value.push_back(raw[i]);
        }
      }
      return value;
    }
    start = end + 1;
  }
  return std::nullopt;
}

int64_t int_param(const std::string& url, const std::string& name, int64_t fallback) {
  auto value = param(url, name);
  return value ? std::stoll(*value) : fallback;
}

constexpr int64_t kTotal = 25;

/// The outcome of reading a whole stream.
struct Read {
  arrow::Status status;
  std::string text;
  std::vector<std::string> urls;
  std::shared_ptr<HttpRecordStreamStats> stats = std::make_shared<HttpRecordStreamStats>();
};

Read read_all(const HttpJsonSourceOptions& options, FakeFetcher::Handler handler,
              size_t chunk_size = 1 << 20) {
  auto fetcher = std::make_shared<FakeFetcher>(std::move(handler), chunk_size);
  Read out;
  auto stream = open_http_record_stream(options, fetcher, out.stats);
  if (!stream.ok()) {
    out.status = stream.status();
    return out;
  }
  while (true) {
    auto chunk = (*stream)->next();
    if (!chunk.ok()) {
      out.status = chunk.status();
      // A failed stream stays failed: it never ends as if complete.
      auto again = (*stream)->next();
      EXPECT_FALSE(again.ok());
      break;
    }
    if (*chunk == nullptr) break;
    out.text += (*chunk)->ToString();
  }
  for (const auto& request : fetcher->requests()) out.urls.push_back(request.url);
  return out;
}

HttpJsonSourceOptions options_for(Pagination::Style style, std::string data_path = "/data") {
  HttpJsonSourceOptions options;
  options.url = "https://api.example.com/v1/items?q=a%20b";
  options.data_path = std::move(data_path);
  options.pagination.style = style;
  options.pagination.page_size = 10;
  return options;
}

/// An offset/limit API over kTotal records: {"total":25,"data":[...]}.
FakeAnswer offset_api(const std::string& url) {
  const int64_t offset = int_param(url, "offset", 0);
  const int64_t limit = int_param(url, "limit", 10);
  const int64_t end = std::min(kTotal, offset + limit);
  return {200, R"({"total":25,"data":)" + array(std::min(offset, kTotal), end) + "}"};
}

TEST(HttpRecordStreamTest, OffsetStopsOnTheShortPage) {
  for (size_t chunk : {1, 2, 3, 7, 64, 1 << 20}) {
    auto got = read_all(options_for(Pagination::Style::kOffset), offset_api, chunk);
    ASSERT_TRUE(got.status.ok()) << got.status;
    EXPECT_EQ(got.text, ndjson(0, kTotal)) << chunk;
    EXPECT_EQ(got.urls, (std::vector<std::string>{
                            "https://api.example.com/v1/items?q=a%20b&offset=0&limit=10",
                            "https://api.example.com/v1/items?q=a%20b&offset=10&limit=10",
                            "https://api.example.com/v1/items?q=a%20b&offset=20&limit=10"}));
    EXPECT_EQ(got.stats->pages, 3);
    EXPECT_EQ(got.stats->records, kTotal);
    EXPECT_FALSE(got.stats->capped);
  }
}

TEST(HttpRecordStreamTest, OffsetWithoutShortPageRuleStopsOnTheEmptyPage) {
  auto options = options_for(Pagination::Style::kOffset);
  options.pagination.stop_on_short_page = false;
  options.pagination.limit_param = "size";
  auto got = read_all(options, [](const std::string& url) {
    const int64_t offset = int_param(url, "offset", 0);
    // The server caps pages at 4 records whatever the limit asked.
    return FakeAnswer{
        200, R"({"data":)" + array(std::min(offset, kTotal), std::min(kTotal, offset + 4)) + "}"};
  });
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.text, ndjson(0, kTotal));
  ASSERT_EQ(got.urls.size(), 8u);  // 7 pages of records (4 * 6 + 1) then an empty one
  EXPECT_EQ(param(got.urls[1], "offset"), "4");
  EXPECT_EQ(param(got.urls[7], "offset"), "25");
  EXPECT_EQ(param(got.urls[7], "size"), "10");
}

TEST(HttpRecordStreamTest, TotalEndsTheStreamWithoutAnExtraRequest) {
  auto options = options_for(Pagination::Style::kOffset);
  options.pagination.page_size = 5;  // 25 records: the fifth page is full
  options.pagination.total_path = "/total";
  auto got = read_all(options, offset_api);
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.text, ndjson(0, kTotal));
  EXPECT_EQ(got.urls.size(), 5u);
  options.pagination.total_path = "";
  EXPECT_EQ(read_all(options, offset_api).urls.size(), 6u);  // one more, empty, page
}

TEST(HttpRecordStreamTest, PageNumbers) {
  auto options = options_for(Pagination::Style::kPageNumber, "");
  options.url = "http://h:8080/list?page=7";
  options.pagination.first_page = 0;
  options.pagination.size_param = "per_page";
  options.pagination.page_size = 10;
  auto got = read_all(options, [](const std::string& url) {
    const int64_t page = int_param(url, "page", -1);
    const int64_t size = int_param(url, "per_page", -1);
    return FakeAnswer{200,
                      array(std::min(kTotal, page * size), std::min(kTotal, (page + 1) * size))};
  });
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.text, ndjson(0, kTotal));
  EXPECT_EQ(got.urls, (std::vector<std::string>{"http://h:8080/list?page=0&per_page=10",
                                                "http://h:8080/list?page=1&per_page=10",
                                                "http://h:8080/list?page=2&per_page=10"}));
}

/// A cursor API: the cursor is the next start as "c/<n>+" (reserved characters: must be encoded);
/// it comes before the data or after it; the last page's cursor is `last` (null, "", missing).
FakeFetcher::Handler cursor_api(bool cursor_first, std::string last) {
  return [cursor_first, last](const std::string& url) {
    auto cursor = param(url, "after");
    const int64_t start = cursor ? std::stoll(cursor->substr(2)) : 0;
    const int64_t end = std::min(kTotal, start + 10);
    std::string next = end < kTotal ? "\"c/" + std::to_string(end) + "+\"" : last;
    std::string meta = next.empty() ? R"("meta":{})" : R"("meta":{"next":)" + next + "}";
    std::string data = R"("items":)" + array(start, end);
    return FakeAnswer{200, "{" + (cursor_first ? meta + "," + data : data + "," + meta) + "}"};
  };
}

TEST(HttpRecordStreamTest, CursorBeforeOrAfterTheData) {
  auto options = options_for(Pagination::Style::kCursor, "/items");
  options.pagination.cursor_path = "/meta/next";
  options.pagination.cursor_param = "after";
  for (bool first : {true, false}) {
    for (std::string last : {"null", "\"\"", ""}) {
      for (size_t chunk : {1, 5, 1 << 20}) {
        auto got = read_all(options, cursor_api(first, last), chunk);
        ASSERT_TRUE(got.status.ok()) << got.status;
        EXPECT_EQ(got.text, ndjson(0, kTotal));
        ASSERT_EQ(got.urls.size(), 3u);
        EXPECT_EQ(got.urls[0], "https://api.example.com/v1/items?q=a%20b");
        EXPECT_EQ(got.urls[2], "https://api.example.com/v1/items?q=a%20b&after=c%2F20%2B");
      }
    }
  }
}

TEST(HttpRecordStreamTest, LinkHeaderRelativeToTheAnsweringUrl) {
  auto options = options_for(Pagination::Style::kLinkHeader, "");
  auto got = read_all(options, [](const std::string& url) {
    const int64_t start = int_param(url, "from", 0);
    const int64_t end = std::min(kTotal, start + 10);
    FakeAnswer answer{200, array(start, end)};
    // The first page is redirected to /v2/: links are relative to where it was answered.
    if (start == 0) answer.final_url = "https://api.example.com/v2/items";
    answer.headers["link"] = R"(<https://api.example.com/v2/items?from=0>; rel="first")";
    if (end < kTotal) {
      answer.headers["link"] +=
          ", <items?from=" + std::to_string(end) + R"(>; rel="next", <x>; rel=last)";
    }
    return answer;
  });
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.text, ndjson(0, kTotal));
  EXPECT_EQ(got.urls, (std::vector<std::string>{"https://api.example.com/v1/items?q=a%20b",
                                                "https://api.example.com/v2/items?from=10",
                                                "https://api.example.com/v2/items?from=20"}));
}

TEST(HttpRecordStreamTest, NextUrlInTheBodyAndTheCap) {
  auto options = options_for(Pagination::Style::kNextUrl, "/data");
  options.pagination.next_url_path = "/links/next";
  auto handler = [](const std::string& url) {
    const int64_t start = int_param(url, "start", 0);
    const int64_t end = std::min(kTotal, start + 10);
    std::string next = end < kTotal ? "\"/v1/items?start=" + std::to_string(end) + "\"" : "null";
    return FakeAnswer{200,
                      R"({"links":{"next":)" + next + R"(},"data":)" + array(start, end) + "}"};
  };
  auto got = read_all(options, handler, 3);
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.text, ndjson(0, kTotal));
  EXPECT_EQ(got.urls.back(), "https://api.example.com/v1/items?start=20");
  EXPECT_FALSE(got.stats->capped);

  options.pagination.max_pages = 2;
  auto capped = read_all(options, handler);
  ASSERT_TRUE(capped.status.ok()) << capped.status;
  EXPECT_EQ(capped.text, ndjson(0, 20));
  EXPECT_EQ(capped.urls.size(), 2u);
  EXPECT_EQ(capped.stats->pages, 2);
  EXPECT_TRUE(capped.stats->capped);

  options.pagination.max_pages = 3;  // the cap is reached on the last page: not "capped"
  EXPECT_FALSE(read_all(options, handler).stats->capped);
}

TEST(HttpRecordStreamTest, SinglePageAndEmptyPage) {
  auto options = options_for(Pagination::Style::kNone, "/data");
  auto one = read_all(options, [](const std::string&) {
    return FakeAnswer{200, R"({"data":)" + array(0, 3) + "}"};
  });
  ASSERT_TRUE(one.status.ok());
  EXPECT_EQ(one.text, ndjson(0, 3));
  EXPECT_EQ(one.urls, std::vector<std::string>{options.url});
  // An empty page ends even a style that has a next link.
  options.pagination.style = Pagination::Style::kNextUrl;
  options.pagination.next_url_path = "/next";
  auto empty = read_all(options, [](const std::string&) {
    return FakeAnswer{200, R"({"next":"?p=2","data":null})"};
  });
  ASSERT_TRUE(empty.status.ok()) << empty.status;
  EXPECT_EQ(empty.text, "");
  EXPECT_EQ(empty.urls.size(), 1u);
}

TEST(HttpRecordStreamTest, RequestsOnlyWhenThePreviousBodyIsRead) {
  auto fetcher = std::make_shared<FakeFetcher>(offset_api, 16);
  ASSERT_OK_AND_ASSIGN(auto stream,
                       open_http_record_stream(options_for(Pagination::Style::kOffset), fetcher));
  EXPECT_EQ(fetcher->requests().size(), 0u);  // nothing before the first read
  std::string text;
  while (text.size() < ndjson(0, 10).size()) {
    ASSERT_OK_AND_ASSIGN(auto chunk, stream->next());
    ASSERT_NE(chunk, nullptr);
    text += chunk->ToString();
    EXPECT_EQ(fetcher->requests().size(), 1u);
  }
  EXPECT_EQ(text, ndjson(0, 10));
}

TEST(HttpRecordStreamTest, CredentialsBelongToTheFirstHost) {
  auto options = options_for(Pagination::Style::kNextUrl, "/data");
  options.url = "https://User@API.example.com/v1/items";
  options.pagination.next_url_path = "/next";
  options.auth.kind = HttpAuth::Kind::kBearer;
  options.auth.token = "secret";
  options.headers = {{"X-Api-Key", "k"}};
  auto fetcher = std::make_shared<FakeFetcher>([](const std::string& url) {
    if (url.find("other.example.net") != std::string::npos) {
      return FakeAnswer{200, R"({"data":)" + array(1, 2) + "}"};
    }
    return FakeAnswer{200, R"({"data":)" + array(0, 1) + R"(,"next":"//other.example.net/p2"})"};
  });
  ASSERT_OK_AND_ASSIGN(auto stream, open_http_record_stream(options, fetcher));
  std::string text;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto chunk, stream->next());
    if (chunk == nullptr) break;
    text += chunk->ToString();
  }
  EXPECT_EQ(text, ndjson(0, 2));
  auto requests = fetcher->requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].url, "https://other.example.net/p2");
  for (const auto& request : requests) {
    EXPECT_EQ(request.credential_host, "https://api.example.com:443");
    EXPECT_EQ(request.auth.token, "secret");
    EXPECT_EQ(request.headers, options.headers);
  }
}

/// The offset API of 25 records, whose page `bad_page` (from 1) answers `answer` instead.
FakeFetcher::Handler failing_on(int64_t bad_page, FakeAnswer answer) {
  return [bad_page, answer](const std::string& url) {
    if (int_param(url, "offset", 0) / 10 + 1 == bad_page) {
      FakeAnswer out = answer;
      if (out.body.empty()) out.body = offset_api(url).body;
      return out;
    }
    return offset_api(url);
  };
}

TEST(HttpRecordStreamTest, AFailedPageFailsTheStream) {
  const auto options = options_for(Pagination::Style::kOffset);
  const std::string page2 = "https://api.example.com/v1/items?q=a%20b&offset=10&limit=10";
  auto status = read_all(options, failing_on(2, {500, "upstream down"}));
  EXPECT_EQ(status.status.message(),
            "HTTP JSON source: page 2 (" + page2 + "): HTTP 500 from " + page2 + ": upstream down");
  EXPECT_EQ(status.text, ndjson(0, 10));

  FakeAnswer cut{200, ""};
  cut.cut_after = 40;
  auto cut_read = read_all(options, failing_on(2, cut), 8);
  EXPECT_EQ(cut_read.status.message(),
            "HTTP JSON source: page 2 (" + page2 + "): connection cut at byte 40 of " + page2);
  EXPECT_TRUE(cut_read.status.IsIOError());

  auto malformed = read_all(options, failing_on(3, {200, R"({"data":[{"id":1}}]})"}), 5);
  EXPECT_NE(malformed.status.message().find("page 3 ("), std::string::npos);
  EXPECT_NE(malformed.status.message().find("): byte 17: expected ',' or ']' after an array "
                                            "element, found '}'"),
            std::string::npos)
      << malformed.status;
  EXPECT_TRUE(malformed.status.IsInvalid());

  auto missing = read_all(options, failing_on(2, {200, R"({"error":"rate limited"})"}));
  EXPECT_NE(missing.status.message().find("page 2 ("), std::string::npos);
  EXPECT_NE(missing.status.message().find("no data_path '/data' in the body"), std::string::npos);

  auto truncated = read_all(options, failing_on(1, {200, R"({"data":[{"id":1})"}));
  EXPECT_NE(truncated.status.message().find("page 1 ("), std::string::npos);
  EXPECT_NE(truncated.status.message().find("the body ends inside a JSON value"), std::string::npos)
      << truncated.status;
}

TEST(HttpRecordStreamTest, ALoopingNextLinkIsAnError) {
  auto options = options_for(Pagination::Style::kLinkHeader, "");
  options.url = "https://h/p";
  auto got = read_all(options, [](const std::string&) {
    FakeAnswer answer{200, array(0, 2)};
    answer.headers["Link"] = R"(</p>; rel=next)";
    return answer;
  });
  EXPECT_NE(
      got.status.message().find("page 1 (https://h/p): the next page's URL is the page's own"),
      std::string::npos)
      << got.status;
}

TEST(HttpRecordStreamTest, InvalidOptionsFailBeforeAnyRequest) {
  auto fetcher = std::make_shared<FakeFetcher>(offset_api);
  auto options = options_for(Pagination::Style::kCursor);
  auto no_cursor = open_http_record_stream(options, fetcher);
  EXPECT_NE(no_cursor.status().message().find("pagination needs cursor_path"), std::string::npos);
  options.pagination.cursor_path = "meta/next";
  auto bad_pointer = open_http_record_stream(options, fetcher);
  EXPECT_NE(bad_pointer.status().message().find("'meta/next' must be empty or start with '/'"),
            std::string::npos);
  options = options_for(Pagination::Style::kNone, "/a~x");
  EXPECT_FALSE(open_http_record_stream(options, fetcher).ok());
  options = options_for(Pagination::Style::kNone);
  options.url = "ftp://h/x";
  EXPECT_NE(open_http_record_stream(options, fetcher).status().message().find("http"),
            std::string::npos);
  EXPECT_EQ(fetcher->requests().size(), 0u);
}

TEST(HttpRecordStreamTest, FeedsTheJsonBatchReader) {
  auto fetcher = std::make_shared<FakeFetcher>(offset_api, 7);
  ASSERT_OK_AND_ASSIGN(auto stream,
                       open_http_record_stream(options_for(Pagination::Style::kOffset), fetcher));
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  ASSERT_OK_AND_ASSIGN(auto builder,
                       json::JsonBatchBuilder::Make(schema, {}, json::JsonParseOptions{}));
  json::JsonBatchReader reader(std::move(stream), std::move(builder), json::JsonFormat::kNdjson, 8);
  int64_t rows = 0, id_sum = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto batch, reader.next());
    if (batch == nullptr) break;
    auto ids = std::static_pointer_cast<arrow::Int64Array>(batch->column(0));
    for (int64_t i = 0; i < ids->length(); ++i) id_sum += ids->Value(i);
    rows += batch->num_rows();
  }
  EXPECT_EQ(rows, kTotal);
  EXPECT_EQ(id_sum, kTotal * (kTotal - 1) / 2);
}

}  // namespace
}  // namespace quiver::datasource::http_json
