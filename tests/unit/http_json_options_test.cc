// HTTP JSON source options from flat key/value options (SQL named arguments, source files), and
// the CREATE TABLE-style column lists they declare.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "quiver/datasource/http_json/source_options_parser.h"
#include "quiver/sql/column_list.h"

namespace quiver::datasource::http_json {
namespace {

using ::testing::HasSubstr;
using Style = Pagination::Style;

arrow::Result<HttpJsonSourceOptions> parse(std::vector<SourceOption> options) {
  return parse_http_json_options(options);
}

std::string error_of(std::vector<SourceOption> options) {
  auto parsed = parse(std::move(options));
  EXPECT_FALSE(parsed.ok());
  return parsed.status().message();
}

const SourceOption kUrl{"url", std::string("https://api.example.com/users"), ""};

TEST(HttpJsonOptionsTest, ParsesEveryKindOfKey) {
  auto parsed = parse({kUrl,
                       {"data_path", std::string("/data"), ""},
                       {"headers.X-Api-Key", std::string("${API_KEY}"), ""},
                       {"auth", std::string("bearer"), ""},
                       {"token", std::string("${TOKEN}"), ""},
                       {"pagination", std::string("CURSOR"), ""},
                       {"cursor_path", std::string("/next"), ""},
                       {"cursor_param", std::string("after"), ""},
                       {"max_pages", int64_t{7}, ""},
                       {"connect_timeout_ms", std::string("1500"), ""},
                       {"stall_timeout_ms", int64_t{2000}, ""},
                       {"max_retries", int64_t{2}, ""},
                       {"columns", std::string("id BIGINT, name VARCHAR"), ""},
                       {"drift", std::string("raw"), ""},
                       {"raw_column", std::string("_json"), ""},
                       {"batch_size", int64_t{10}, ""},
                       {"max_buffered_items", int64_t{100}, ""},
                       {"infer_sample", int64_t{5}, ""},
                       {"format", std::string("ndjson"), ""}});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const auto& o = *parsed;
  EXPECT_EQ(o.url, "https://api.example.com/users");
  EXPECT_EQ(o.data_path, "/data");
  ASSERT_EQ(o.headers.size(), 1u);
  EXPECT_EQ(o.headers[0], (std::pair<std::string, std::string>{"X-Api-Key", "${API_KEY}"}));
  EXPECT_EQ(o.auth.kind, HttpAuth::Kind::kBearer);
  EXPECT_EQ(o.auth.token, "${TOKEN}");
  EXPECT_EQ(o.pagination.style, Style::kCursor);
  EXPECT_EQ(o.pagination.cursor_path, "/next");
  EXPECT_EQ(o.pagination.cursor_param, "after");
  EXPECT_EQ(o.pagination.max_pages, 7);
  EXPECT_EQ(o.client.connect_timeout_ms, 1500);
  EXPECT_EQ(o.client.stall_timeout_ms, 2000);
  EXPECT_EQ(o.client.retry.max_retries, 2);
  ASSERT_EQ(o.columns.size(), 2u);
  EXPECT_EQ(o.columns[1], (std::pair<std::string, std::string>{"name", "VARCHAR"}));
  EXPECT_EQ(o.parse.drift, json::DriftPolicy::kRaw);
  EXPECT_EQ(o.parse.raw_column, "_json");
  EXPECT_EQ(o.parse.format, json::JsonFormat::kNdjson);
  EXPECT_EQ(o.stream.batch_size, 10);
  EXPECT_EQ(o.stream.max_buffered_items, 100);
  EXPECT_EQ(o.infer_sample, 5);
}

TEST(HttpJsonOptionsTest, DefaultsWhenOnlyTheUrlIsGiven) {
  auto parsed = parse({kUrl});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->pagination.style, Style::kNone);
  EXPECT_EQ(parsed->auth.kind, HttpAuth::Kind::kNone);
  EXPECT_EQ(parsed->parse.drift, json::DriftPolicy::kError);
  EXPECT_TRUE(parsed->columns.empty());
  EXPECT_EQ(parsed->infer_sample, 1000);
}

TEST(HttpJsonOptionsTest, OffsetAndPagePaginationParameters) {
  auto offset = parse({kUrl,
                       {"pagination", std::string("offset"), ""},
                       {"page_size", int64_t{50}, ""},
                       {"offset_param", std::string("skip"), ""},
                       {"limit_param", std::string("take"), ""},
                       {"stop_on_short_page", std::string("false"), ""}});
  ASSERT_TRUE(offset.ok()) << offset.status().ToString();
  EXPECT_EQ(offset->pagination.style, Style::kOffset);
  EXPECT_EQ(offset->pagination.page_size, 50);
  EXPECT_EQ(offset->pagination.offset_param, "skip");
  EXPECT_EQ(offset->pagination.limit_param, "take");
  EXPECT_FALSE(offset->pagination.stop_on_short_page);

  auto page = parse({kUrl,
                     {"pagination", std::string("page"), ""},
                     {"page_param", std::string("p"), ""},
                     {"size_param", std::string("per_page"), ""},
                     {"first_page", int64_t{0}, ""},
                     {"page_size", int64_t{20}, ""}});
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->pagination.style, Style::kPageNumber);
  EXPECT_EQ(page->pagination.first_page, 0);
  EXPECT_EQ(page->pagination.size_param, "per_page");

  auto next = parse({kUrl,
                     {"pagination", std::string("next_url"), ""},
                     {"next_url_path", std::string("/links/next"), ""}});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->pagination.style, Style::kNextUrl);
  auto link = parse({kUrl, {"pagination", std::string("link"), ""}});
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->pagination.style, Style::kLinkHeader);
}

TEST(HttpJsonOptionsTest, AuthIsImpliedByItsCredentials) {
  auto basic = parse({kUrl, {"user", std::string("ann"), ""}, {"password", std::string("pw"), ""}});
  ASSERT_TRUE(basic.ok()) << basic.status().ToString();
  EXPECT_EQ(basic->auth.kind, HttpAuth::Kind::kBasic);
  EXPECT_EQ(basic->auth.user, "ann");
  EXPECT_EQ(basic->auth.password, "pw");
  auto bearer = parse({kUrl, {"token", std::string("t"), ""}});
  ASSERT_TRUE(bearer.ok());
  EXPECT_EQ(bearer->auth.kind, HttpAuth::Kind::kBearer);
}

TEST(HttpJsonOptionsTest, UnknownKeyListsTheValidOnes) {
  const auto message = error_of({kUrl, {"page_sise", int64_t{5}, "line 4"}});
  EXPECT_THAT(message, HasSubstr("unknown option 'page_sise' (did you mean 'page_size'?)"));
  EXPECT_THAT(message, HasSubstr("valid options: auth, batch_size,"));
  EXPECT_THAT(message, HasSubstr("headers.*"));
}

TEST(HttpJsonOptionsTest, WrongTypesNameTheExpectedType) {
  EXPECT_THAT(error_of({kUrl, {"page_size", std::string("many"), "line 3"}}),
              HasSubstr("option 'page_size' (line 3): expected an integer, got 'many'"));
  EXPECT_THAT(error_of({{"url", int64_t{5}, ""}}),
              HasSubstr("option 'url': expected a string, got integer 5"));
  EXPECT_THAT(error_of({kUrl, {"stop_on_short_page", int64_t{1}, ""}}),
              HasSubstr("expected a boolean (true or false), got integer 1"));
  EXPECT_THAT(error_of({kUrl, {"pagination", std::string("pages"), ""}}),
              HasSubstr("option 'pagination': expected one of none, offset, page, cursor, link, "
                        "next_url, got 'pages'"));
  EXPECT_THAT(error_of({kUrl, {"drift", true, ""}}),
              HasSubstr("expected one of error, widen, raw, got boolean true"));
  EXPECT_THAT(error_of({kUrl, {"batch_size", int64_t{0}, ""}}),
              HasSubstr("option 'batch_size': must be at least 1, got 0"));
  EXPECT_THAT(error_of({kUrl, {"headers.X", int64_t{3}, ""}}),
              HasSubstr("option 'headers.X': expected a string, got integer 3"));
}

TEST(HttpJsonOptionsTest, CombinationErrorsNameTheKeys) {
  EXPECT_THAT(error_of({{"data_path", std::string("/d"), ""}}),
              HasSubstr("option 'url' is required"));
  EXPECT_THAT(error_of({{"url", std::string("ftp://x"), ""}}),
              HasSubstr("expected an http:// or https:// URL, got 'ftp://x'"));
  EXPECT_THAT(error_of({kUrl, {"cursor_path", std::string("/next"), ""}}),
              HasSubstr("option 'cursor_path': applies to pagination 'cursor', not 'none'"));
  EXPECT_THAT(
      error_of({kUrl, {"pagination", std::string("cursor"), ""}, {"page_size", int64_t{5}, ""}}),
      HasSubstr("option 'page_size': applies to pagination 'offset' or 'page', not 'cursor'"));
  EXPECT_THAT(error_of({kUrl, {"pagination", std::string("cursor"), ""}}),
              HasSubstr("pagination 'cursor' needs option 'cursor_path'"));
  EXPECT_THAT(error_of({kUrl, {"pagination", std::string("next_url"), ""}}),
              HasSubstr("pagination 'next_url' needs option 'next_url_path'"));
  EXPECT_THAT(error_of({kUrl, {"auth", std::string("bearer"), ""}}),
              HasSubstr("auth 'bearer' needs option 'token'"));
  EXPECT_THAT(error_of({kUrl, {"auth", std::string("basic"), ""}, {"token", std::string("t"), ""}}),
              HasSubstr("option 'token': applies to auth 'bearer' only"));
  EXPECT_THAT(error_of({kUrl, {"raw_column", std::string("r"), ""}}),
              HasSubstr("option 'raw_column': applies to drift 'raw' only"));
  EXPECT_THAT(error_of({kUrl, kUrl}), HasSubstr("option 'url' is given more than once"));
  EXPECT_THAT(
      error_of({kUrl, {"headers.A", std::string("1"), ""}, {"headers.a", std::string("2"), ""}}),
      HasSubstr("header 'a' is given more than once"));
}

TEST(HttpJsonOptionsTest, BadColumnsNameTheColumn) {
  EXPECT_THAT(error_of({kUrl, {"columns", std::string("id BIGINT, name VARCHR"), "line 9"}}),
              HasSubstr("option 'columns' (line 9): column 'name': unknown type \"varchr\""));
  EXPECT_THAT(error_of({kUrl, {"columns", std::string("id"), ""}}),
              HasSubstr("column 1: expected 'name TYPE', got 'id'"));
}

TEST(ColumnListTest, ParsesTypesAndKeepsNamesAsWritten) {
  auto schema = sql::parse_column_list(
      "id BIGINT NOT NULL, createdAt TIMESTAMP, price DECIMAL(10, 2), \"a b\" varchar, d DATE, "
      "ok BOOLEAN, x DOUBLE PRECISION, n INT");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ((*schema)->ToString(),
            arrow::schema({arrow::field("id", arrow::int64(), false),
                           arrow::field("createdAt", arrow::timestamp(arrow::TimeUnit::MICRO)),
                           arrow::field("price", arrow::decimal128(10, 2)),
                           arrow::field("a b", arrow::utf8()), arrow::field("d", arrow::date32()),
                           arrow::field("ok", arrow::boolean()),
                           arrow::field("x", arrow::float64()), arrow::field("n", arrow::int32())})
                ->ToString());
  auto pairs = sql::split_column_list("\"a \"\"q\"\"\" INT, b DECIMAL(10,2)");
  ASSERT_TRUE(pairs.ok()) << pairs.status().ToString();
  EXPECT_EQ((*pairs)[0].first, "a \"q\"");
  EXPECT_EQ((*pairs)[1].second, "DECIMAL(10,2)");
  auto again = sql::parse_column_list(sql::join_column_list(*pairs));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ((*again)->field(0)->name(), "a \"q\"");
}

TEST(ColumnListTest, ErrorsNameTheColumnAndPosition) {
  auto dup = sql::parse_column_list("a INT, a TEXT");
  ASSERT_FALSE(dup.ok());
  EXPECT_THAT(dup.status().message(), HasSubstr("column 'a' is declared more than once"));
  auto syntax = sql::parse_column_list("a INT, b DECIMAL(10,");
  ASSERT_FALSE(syntax.ok());
  EXPECT_THAT(syntax.status().message(), HasSubstr("column 'b': syntax error"));
  EXPECT_THAT(syntax.status().message(), HasSubstr("line 1, column"));
  auto scale = sql::parse_column_list("p DECIMAL(2, 5)");
  ASSERT_FALSE(scale.ok());
  EXPECT_THAT(scale.status().message(), HasSubstr("column 'p': bad DECIMAL(2, 5)"));
  auto constraint = sql::parse_column_list("p INT PRIMARY KEY");
  ASSERT_FALSE(constraint.ok());
  EXPECT_THAT(constraint.status().message(), HasSubstr("only NOT NULL and NULL"));
}

}  // namespace
}  // namespace quiver::datasource::http_json
