// HttpJsonTable and read_http_json through SQL, over a fake record stream (no network): schema
// declared or inferred, projection pushdown, drift 'raw', EXPLAIN (URL without credentials),
// named arguments and their errors.
#include "quiver/datasource/http_json/http_json_table.h"

#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "quiver/catalog/builtin_table_functions.h"
#include "quiver/catalog/session_context.h"

namespace quiver::datasource::http_json {
namespace {

using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

const char* kUsers =
    "{\"id\": 1, \"name\": \"ann\", \"price\": \"12.50\", \"tags\": [\"a\"]}\n"
    "{\"id\": 2, \"name\": \"bob\", \"price\": \"3.25\", \"tags\": []}\n"
    "{\"id\": 3, \"name\": null, \"price\": \"0.10\", \"tags\": [\"b\", \"c\"]}\n";

// Serves `body` in 7-byte chunks (records cut anywhere) and counts the streams opened.
struct FakeApi {
  std::string body;
  std::shared_ptr<std::atomic<int>> opened = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::string> last_url = std::make_shared<std::string>();
  std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();  // streams open at once

  HttpRecordStreamOpener opener() const {
    return [body = body, opened = opened, last_url = last_url,
            mutex = mutex](const HttpJsonSourceOptions& options)
               -> arrow::Result<std::unique_ptr<json::ByteChunkStream>> {
      ++*opened;
      {
        std::lock_guard lock(*mutex);
        *last_url = options.url;
      }
      std::vector<std::string> chunks;
      for (size_t i = 0; i < body.size(); i += 7) chunks.push_back(body.substr(i, 7));
      return std::make_unique<json::VectorChunkStream>(std::move(chunks));
    };
  }
};

// A session whose read_http_json reads `api`.
std::shared_ptr<catalog::SessionContext> session_over(const FakeApi& api) {
  auto ctx = std::make_shared<catalog::SessionContext>(common::ConfigOptions{});
  EXPECT_TRUE(
      ctx->register_table_function("read_http_json",
                                   std::make_shared<catalog::ReadHttpJsonFunction>(api.opener()))
          .ok());
  return ctx;
}

arrow::Result<Rows> run(catalog::SessionContext& ctx, std::string_view sql) {
  ARROW_ASSIGN_OR_RAISE(auto df, ctx.sql(sql));
  ARROW_ASSIGN_OR_RAISE(auto table, df->collect());
  ARROW_ASSIGN_OR_RAISE(table, table->CombineChunks());
  Rows rows(static_cast<size_t>(table->num_rows()));
  for (int c = 0; c < table->num_columns(); ++c) {
    for (int64_t r = 0; r < table->num_rows(); ++r) {
      ARROW_ASSIGN_OR_RAISE(auto scalar, table->column(c)->GetScalar(r));
      rows[static_cast<size_t>(r)].push_back(scalar->is_valid ? scalar->ToString() : "NULL");
    }
  }
  return rows;
}

std::string physical_plan(catalog::SessionContext& ctx, std::string_view sql) {
  auto rows = run(ctx, "EXPLAIN " + std::string(sql));
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() && rows->size() == 2 ? (*rows)[1][1] : "";
}

HttpJsonSourceOptions options_for(std::string url) {
  HttpJsonSourceOptions options;
  options.url = std::move(url);
  return options;
}

TEST(HttpJsonTableTest, InfersTheSchemaFromTheFirstRecords) {
  FakeApi api{kUsers};
  auto table = HttpJsonTable::Make(options_for("https://api.example.com/users"), api.opener());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(*api.opened, 1);
  EXPECT_EQ((*table)->schema()->ToString(),
            arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
                           arrow::field("price", arrow::utf8()),
                           arrow::field("tags", arrow::list(arrow::utf8()))})
                ->ToString());
}

TEST(HttpJsonTableTest, DeclaredColumnsNeedNoRequest) {
  FakeApi api{kUsers};
  auto options = options_for("https://api.example.com/users");
  options.columns = {{"id", "BIGINT"}, {"price", "DECIMAL(10,2)"}};
  auto table = HttpJsonTable::Make(options, api.opener());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(*api.opened, 0);
  EXPECT_EQ((*table)->schema()->field(1)->type()->ToString(), "decimal128(10, 2)");
}

TEST(HttpJsonTableTest, EmptySampleAsksForDeclaredColumns) {
  FakeApi api{""};
  auto table = HttpJsonTable::Make(options_for("https://api.example.com/none"), api.opener());
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(table.status().message(),
              HasSubstr("inferring the schema of https://api.example.com/none: no records"));
}

TEST(HttpJsonTableTest, RedactsCredentialsFromTheUrl) {
  EXPECT_EQ(redact_url("https://ann:pw@api.example.com:8443/v1/users?api_key=s3cr3t&page=2#top"),
            "https://api.example.com:8443/v1/users?api_key=***&page=2#top");
  EXPECT_EQ(redact_url("http://h/p?access_token=x&Signature=y&q=z"),
            "http://h/p?access_token=***&Signature=***&q=z");
  EXPECT_EQ(redact_url("http://h/p"), "http://h/p");
  EXPECT_EQ(redact_url("http://h/a@b"), "http://h/a@b");
}

// The same records without the list field: declared columns name every field (under drift
// 'error' an undeclared field fails the query), and SQL types have no arrays yet.
const char* kFlatUsers =
    "{\"id\": 1, \"name\": \"ann\", \"price\": \"12.50\"}\n"
    "{\"id\": 2, \"name\": \"bob\", \"price\": 3.25}\n"
    "{\"id\": 3, \"name\": null, \"price\": \"0.10\"}\n";

TEST(ReadHttpJsonTest, QueriesWithNamedArguments) {
  FakeApi api{kFlatUsers};
  auto ctx = session_over(api);
  auto rows = run(*ctx,
                  "SELECT id, price FROM read_http_json('https://api.example.com/users', "
                  "columns => 'id BIGINT, price DECIMAL(10,2), name VARCHAR', batch_size => 2) "
                  "WHERE id > 1 ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"2", "3.25"}, {"3", "0.10"}}));
  EXPECT_EQ(*api.last_url, "https://api.example.com/users");

  FakeApi nested{kUsers};
  ctx = session_over(nested);
  auto inferred = run(*ctx,
                      "SELECT name, id FROM read_http_json('https://api.example.com/users') u "
                      "ORDER BY id DESC");
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  EXPECT_EQ(*inferred, (Rows{{"NULL", "3"}, {"bob", "2"}, {"ann", "1"}}));
}

TEST(ReadHttpJsonTest, ExplainShowsTheUrlWithoutCredentialsAndTheProjection) {
  FakeApi api{kUsers};
  auto ctx = session_over(api);
  const std::string plan = physical_plan(
      *ctx,
      "SELECT name FROM read_http_json('https://me:secret@api.example.com/users?token=abc', "
      "columns => 'id BIGINT, name VARCHAR, price VARCHAR', \"headers.X-Api-Key\" => 'k')");
  EXPECT_THAT(plan, HasSubstr("JsonStreamExec: source=https://api.example.com/users?token=***, "
                              "partitions=1, projection=[name], drift=error"));
  EXPECT_THAT(plan, ::testing::Not(HasSubstr("secret")));
  EXPECT_THAT(plan, ::testing::Not(HasSubstr("abc")));
}

TEST(ReadHttpJsonTest, DriftRawKeepsTheRawColumnAndProjectsAfterTheParser) {
  FakeApi api{"{\"id\": 1}\n{\"id\": \"two\"}\n{\"id\": 3, \"extra\": true}\n"};
  auto ctx = session_over(api);
  const std::string call =
      "read_http_json('http://h/x', columns => 'id BIGINT', drift => 'raw', raw_column => 'j')";
  auto rows = run(*ctx, "SELECT j, id FROM " + call + " ORDER BY id NULLS FIRST");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(
      *rows,
      (Rows{{"{\"id\": \"two\"}", "NULL"}, {"NULL", "1"}, {"{\"id\": 3, \"extra\": true}", "3"}}));
  auto only_raw = run(*ctx, "SELECT count(j) FROM " + call);
  ASSERT_TRUE(only_raw.ok()) << only_raw.status().ToString();
  EXPECT_EQ(*only_raw, (Rows{{"2"}}));
  EXPECT_THAT(physical_plan(*ctx, "SELECT id FROM " + call),
              HasSubstr("projection=[id, j], drift=raw"));
}

TEST(ReadHttpJsonTest, DriftErrorFailsTheQueryNamingTheRecord) {
  FakeApi api{"{\"id\": 1}\n{\"id\": \"two\"}\n"};
  auto ctx = session_over(api);
  auto rows = run(*ctx, "SELECT id FROM read_http_json('http://h/x', columns => 'id BIGINT')");
  ASSERT_FALSE(rows.ok());
  EXPECT_THAT(rows.status().message(), HasSubstr("record 1"));
  EXPECT_THAT(rows.status().message(), HasSubstr("field 'id'"));
}

TEST(ReadHttpJsonTest, ArgumentErrorsNameTheArgument) {
  FakeApi api{kUsers};
  auto ctx = session_over(api);
  const auto error = [&](std::string_view sql) {
    auto rows = run(*ctx, sql);
    EXPECT_FALSE(rows.ok()) << sql;
    return rows.ok() ? std::string() : rows.status().message();
  };
  EXPECT_THAT(error("SELECT * FROM read_http_json('http://h/x', pagesize => 5)"),
              HasSubstr("read_http_json: unknown option 'pagesize' (did you mean 'page_size'?)"));
  EXPECT_THAT(error("SELECT * FROM read_http_json('http://h/x', max_pages => 'x')"),
              HasSubstr("option 'max_pages': expected an integer, got 'x'"));
  EXPECT_THAT(error("SELECT * FROM read_http_json('http://h/x', max_pages => 1, max_pages => 2)"),
              HasSubstr("argument 'max_pages' is given twice"));
  EXPECT_THAT(error("SELECT * FROM read_http_json(page_size => 5)"),
              HasSubstr("read_http_json takes a URL and named options"));
  EXPECT_THAT(error("SELECT * FROM read_http_json('http://h/x', drift => NULL)"),
              HasSubstr("argument 'drift' must not be NULL"));
  EXPECT_THAT(error("SELECT * FROM read_http_json('http://h/x', url => 'http://h/y')"),
              HasSubstr("the URL is the first argument"));
  EXPECT_THAT(error("SELECT * FROM read_http_json(42)"),
              HasSubstr("argument 1 (URL) must be a non-NULL string"));
}

TEST(ReadHttpJsonTest, OtherTableFunctionsRejectNamedArguments) {
  auto ctx = catalog::SessionContext::Make();
  auto df = ctx->sql("SELECT * FROM read_csv('testdata/csv/people.csv', has_header => true)");
  ASSERT_FALSE(df.ok());
  EXPECT_THAT(df.status().message(),
              HasSubstr("table function 'read_csv' takes no named arguments (got 'has_header"));
}

TEST(ReadHttpJsonTest, IsRegisteredInEverySession) {
  auto ctx = catalog::SessionContext::Make();
  auto table = ctx->call_table_function_named(
      "read_http_json", {std::make_shared<arrow::StringScalar>("http://127.0.0.1:9/x")},
      {{"columns", std::make_shared<arrow::StringScalar>("id BIGINT")}});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->schema()->num_fields(), 1);
}

}  // namespace
}  // namespace quiver::datasource::http_json
