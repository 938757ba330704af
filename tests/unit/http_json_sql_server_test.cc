// read_http_json and source files end to end: SQL over the loopback server of tests/http
// (routes_sql.py), through the libcurl fetcher and the paginated record stream. Expected values
// were computed from routes_sql.py's generator with Python's Decimal.
#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "http_test_server.h"
#include "quiver/catalog/session_context.h"

namespace quiver::catalog {
namespace {

using ::testing::HasSubstr;
using Rows = std::vector<std::vector<std::string>>;

arrow::Result<Rows> run(SessionContext& ctx, const std::string& sql) {
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

class HttpJsonSqlServerTest : public testing::WithHttpTestServer<HttpJsonSqlServerTest> {
 protected:
  static void SetUpTestSuite() {
    WithHttpTestServer::SetUpTestSuite();
    setenv("QUIVER_TEST_API_KEY", "k-123", 1);
    setenv("QUIVER_TEST_TOKEN", "t-456", 1);
  }

  // read_http_json over /sql/products, every page of 10, with `extra` named arguments.
  std::string products(const std::string& extra) const {
    return "read_http_json('" + server_->url("/sql/products") +
           "', data_path => '/data', pagination => 'page', size_param => 'per_page', "
           "page_size => 10, \"headers.X-Api-Key\" => '${QUIVER_TEST_API_KEY}'" +
           extra + ")";
  }
};

TEST_F(HttpJsonSqlServerTest, AggregatesDeclaredTypedColumnsOverEveryPage) {
  auto ctx = SessionContext::Make();
  const std::string source = products(
      ", columns => 'id BIGINT, name VARCHAR, category VARCHAR, price DECIMAL(10,2), "
      "created TIMESTAMP, active BOOLEAN'");
  auto rows = run(*ctx, "SELECT category, count(*), sum(price) FROM " + source +
                            " WHERE active GROUP BY category ORDER BY category");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"food", "6", "87.75"}, {"tools", "7", "33.25"}, {"toys", "7", "76.50"}}));
  auto totals = run(*ctx, "SELECT count(*), sum(price), max(created) FROM " + source);
  ASSERT_TRUE(totals.ok()) << totals.status().ToString();
  EXPECT_EQ(*totals, (Rows{{"25", "229.00", "2024-01-25 10:24:00.000000"}}));
}

TEST_F(HttpJsonSqlServerTest, InfersTheSchemaAndStopsAtMaxPages) {
  auto ctx = SessionContext::Make();
  auto rows = run(*ctx, "SELECT count(*), min(id), max(id) FROM " + products(", max_pages => 2"));
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"20", "1", "20"}}));
}

TEST_F(HttpJsonSqlServerTest, ApiErrorsNameThePage) {
  auto ctx = SessionContext::Make();
  auto rows = run(*ctx, "SELECT * FROM read_http_json('" + server_->url("/sql/products") +
                            "', data_path => '/data', columns => 'id BIGINT')");
  ASSERT_FALSE(rows.ok());
  EXPECT_THAT(rows.status().message(), HasSubstr("page 1"));
  EXPECT_THAT(rows.status().message(), HasSubstr("401"));
  auto unset = run(*ctx, "SELECT * FROM read_http_json('" + server_->url("/sql/products") +
                             "', \"headers.X-Api-Key\" => '${QUIVER_TEST_UNSET_VARIABLE}')");
  ASSERT_FALSE(unset.ok());
  EXPECT_THAT(unset.status().message(), HasSubstr("QUIVER_TEST_UNSET_VARIABLE is not set"));
}

TEST_F(HttpJsonSqlServerTest, DriftRawKeepsTheRecordThatDoesNotFit) {
  auto ctx = SessionContext::Make();
  auto rows = run(*ctx, "SELECT id, v, _raw FROM read_http_json('" + server_->url("/sql/drift") +
                            "', columns => 'id BIGINT, v BIGINT', drift => 'raw') ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(
      *rows,
      (Rows{{"1", "10", "NULL"}, {"2", "NULL", "{\"id\":2,\"v\":\"ten\"}"}, {"3", "30", "NULL"}}));
}

TEST_F(HttpJsonSqlServerTest, DriftErrorAndWidenNeverGiveSilentNulls) {
  auto ctx = SessionContext::Make();
  const std::string from =
      "SELECT id, v FROM read_http_json('" + server_->url("/sql/drift") + "', ";
  // error (the default): the record that does not fit fails the query, named.
  auto error = run(*ctx, from + "columns => 'id BIGINT, v BIGINT') ORDER BY id");
  ASSERT_FALSE(error.ok());
  EXPECT_THAT(error.status().message(), HasSubstr("record 1"));
  EXPECT_THAT(error.status().message(), HasSubstr("field 'v'"));
  // widen: "ten" does not convert to an integer without loss, so it still fails...
  auto lossy = run(*ctx, from + "columns => 'id BIGINT, v BIGINT', drift => 'widen') ORDER BY id");
  ASSERT_FALSE(lossy.ok());
  EXPECT_THAT(lossy.status().message(), HasSubstr("field 'v'"));
  // ...while into a text column every value keeps its JSON text.
  auto widened =
      run(*ctx, from + "columns => 'id BIGINT, v VARCHAR', drift => 'widen') ORDER BY id");
  ASSERT_TRUE(widened.ok()) << widened.status().ToString();
  EXPECT_EQ(*widened, (Rows{{"1", "10"}, {"2", "ten"}, {"3", "30"}}));
}

TEST_F(HttpJsonSqlServerTest, SourceFileTablesJoin) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("quiver_sql_server_test_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path)
      << "tables:\n"
         "  products:\n"
         "    url: "
      << server_->url("/sql/products")
      << "\n"
         "    data_path: /data\n"
         "    pagination: page\n"
         "    size_param: per_page\n"
         "    page_size: 10\n"
         "    total_path: /meta/total\n"
         "    columns: id BIGINT, name VARCHAR, category VARCHAR, price DECIMAL(10,2), "
         "created TIMESTAMP, active BOOLEAN\n"
         "    headers:\n"
         "      X-Api-Key: ${QUIVER_TEST_API_KEY}\n"
         "  categories:\n"
         "    url: "
      << server_->url("/sql/categories")
      << "\n"
         "    auth: bearer\n"
         "    token: ${QUIVER_TEST_TOKEN}\n";
  auto ctx = SessionContext::Make();
  auto status = ctx->register_sources(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(status.ok()) << status.ToString();
  auto rows = run(*ctx,
                  "SELECT c.label, count(*) FROM products p JOIN categories c ON p.category = "
                  "c.code GROUP BY c.label ORDER BY c.label");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"FOOD", "8"}, {"TOOLS", "9"}, {"TOYS", "8"}}));
}

}  // namespace
}  // namespace quiver::catalog
