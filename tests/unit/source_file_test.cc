// Source files (TOML, YAML) that register HTTP JSON tables: flattening, registration through a
// fake record stream, and errors naming the file, the table, the key and the line.
#include "quiver/catalog/source_file.h"

#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "quiver/catalog/session_context.h"

namespace quiver::catalog {
namespace {

using ::testing::HasSubstr;
namespace http = datasource::http_json;

class SourceFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("API_KEY", "k", 1);
    dir_ = std::filesystem::temp_directory_path() /
           ("quiver_source_file_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // Serves two records whatever the URL, remembering the URLs asked for. Scans of several
  // tables open their streams on their own threads at once, hence the lock.
  http::HttpRecordStreamOpener opener() {
    return [urls = urls_, mutex = mutex_](const http::HttpJsonSourceOptions& options)
               -> arrow::Result<std::unique_ptr<datasource::json::ByteChunkStream>> {
      {
        std::lock_guard lock(*mutex);
        urls->push_back(options.url);
      }
      return datasource::json::values_as_ndjson(
          {"{\"id\": 1, \"name\": \"a\"}", "{\"id\": 2, \"name\": \"b\"}"});
    };
  }

  std::filesystem::path dir_;
  std::shared_ptr<std::vector<std::string>> urls_ = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::mutex> mutex_ = std::make_shared<std::mutex>();
};

const char* kToml = R"(# two APIs
[tables.users]
url = "https://api.example.com/users"
data_path = "/data"
pagination = "cursor"
cursor_path = "/next"
max_pages = 3
columns = "id BIGINT, name VARCHAR"

[tables.users.headers]
X-Api-Key = "${API_KEY}"

[tables.orders]
url = "https://api.example.com/orders"
pagination = "offset"
page_size = 50
stop_on_short_page = false
)";

const char* kYaml = R"(# two APIs
tables:
  users:
    url: https://api.example.com/users
    data_path: /data
    pagination: cursor
    cursor_path: /next
    max_pages: 3
    columns: id BIGINT, name VARCHAR
    headers:
      X-Api-Key: ${API_KEY}
  orders:
    url: https://api.example.com/orders
    pagination: offset
    page_size: 50
    stop_on_short_page: false
)";

void expect_two_tables(const std::vector<SourceTableSpec>& specs) {
  ASSERT_EQ(specs.size(), 2u);
  // Both formats give the same options for the same table.
  std::map<std::string, http::HttpJsonSourceOptions> by_name;
  for (const auto& spec : specs) {
    auto options = http::parse_http_json_options(spec.options);
    ASSERT_TRUE(options.ok()) << spec.name << ": " << options.status().ToString();
    by_name[spec.name] = *options;
  }
  const auto& users = by_name.at("users");
  EXPECT_EQ(users.url, "https://api.example.com/users");
  EXPECT_EQ(users.data_path, "/data");
  EXPECT_EQ(users.pagination.style, http::Pagination::Style::kCursor);
  EXPECT_EQ(users.pagination.max_pages, 3);
  ASSERT_EQ(users.headers.size(), 1u);
  EXPECT_EQ(users.headers[0].first, "X-Api-Key");
  EXPECT_EQ(users.headers[0].second, "${API_KEY}");
  EXPECT_EQ(users.columns.size(), 2u);
  const auto& orders = by_name.at("orders");
  EXPECT_EQ(orders.pagination.style, http::Pagination::Style::kOffset);
  EXPECT_EQ(orders.pagination.page_size, 50);
  EXPECT_FALSE(orders.pagination.stop_on_short_page);
}

TEST_F(SourceFileTest, TomlAndYamlGiveTheSameTables) {
  auto toml = read_source_file(write("apis.toml", kToml));
  ASSERT_TRUE(toml.ok()) << toml.status().ToString();
  expect_two_tables(*toml);
  auto yaml = read_source_file(write("apis.yaml", kYaml));
  ASSERT_TRUE(yaml.ok()) << yaml.status().ToString();
  expect_two_tables(*yaml);
  auto yml = read_source_file(write("apis.YML", kYaml));
  ASSERT_TRUE(yml.ok()) << yml.status().ToString();
}

TEST_F(SourceFileTest, RegistersQueryableTables) {
  for (const auto& [name, text] : {std::pair{"apis.toml", kToml}, std::pair{"apis.yaml", kYaml}}) {
    auto ctx = SessionContext::Make();
    urls_->clear();
    auto status = ctx->register_sources(write(name, text), opener());
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(ctx->table_names(), (std::vector<std::string>{"orders", "users"}));
    // `orders` has no columns: sampled at registration; `users` is declared: not requested.
    EXPECT_EQ(*urls_, (std::vector<std::string>{"https://api.example.com/orders"}));
    auto df = ctx->sql("SELECT u.name, o.id FROM users u JOIN orders o ON u.id = o.id ORDER BY 2");
    ASSERT_TRUE(df.ok()) << df.status().ToString();
    auto table = (*df)->collect();
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ((*table)->num_rows(), 2);
  }
}

std::string load_error(const std::string& path, SessionContext* ctx,
                       const http::HttpRecordStreamOpener& opener) {
  auto status = ctx->register_sources(path, opener);
  EXPECT_FALSE(status.ok()) << path;
  return status.message();
}

TEST_F(SourceFileTest, ErrorsNameFileTableKeyAndLine) {
  auto ctx = SessionContext::Make();
  const auto toml_path = write("bad.toml",
                               "[tables.users]\nurl = \"https://h/u\"\npage_size = \"many\"\n"
                               "pagination = \"offset\"\n");
  EXPECT_THAT(load_error(toml_path, ctx.get(), opener()),
              HasSubstr("source file '" + toml_path +
                        "': table 'users' (line 1): option 'page_size' (line 3): expected an "
                        "integer, got 'many'"));
  const auto yaml_path =
      write("bad.yaml", "tables:\n  users:\n    url: https://h/u\n    pagesize: 5\n");
  EXPECT_THAT(load_error(yaml_path, ctx.get(), opener()),
              HasSubstr("table 'users' (line 2): unknown option 'pagesize' (did you mean "
                        "'page_size'?)"));
  EXPECT_THAT(load_error(write("syntax.toml", "[tables.users\nurl = 1\n"), ctx.get(), opener()),
              HasSubstr("syntax.toml': line 1, column"));
  EXPECT_THAT(load_error(write("syntax.yaml", "tables:\n  users: [\n"), ctx.get(), opener()),
              HasSubstr("syntax.yaml': line "));
  EXPECT_THAT(load_error(write("top.toml", "url = \"x\"\n"), ctx.get(), opener()),
              HasSubstr("unknown top-level key 'url' (line 1)"));
  EXPECT_THAT(
      load_error(write("list.yaml", "tables:\n  t:\n    url: [a, b]\n"), ctx.get(), opener()),
      HasSubstr("table 't': key 'url' (line 3): expected a value, got a list"));
  EXPECT_THAT(
      load_error(write("nested.toml", "[tables.t]\nurl = \"http://h\"\n[tables.t.x]\na=1\n"),
                 ctx.get(), opener()),
      HasSubstr("table 't': key 'x' (line 3): expected a value, got a table"));
  EXPECT_THAT(load_error(write("apis.json", "{}"), ctx.get(), opener()),
              HasSubstr("expected a .toml, .yaml or .yml file, got '.json'"));
  EXPECT_THAT(load_error((dir_ / "missing.toml").string(), ctx.get(), opener()),
              HasSubstr("missing.toml': cannot be read"));
  EXPECT_THAT(load_error(write("empty.yaml", "tables: {}\n"), ctx.get(), opener()),
              HasSubstr("no tables"));
  // All or none: the second table fails, so the first is not registered either.
  const auto half = write("half.toml",
                          "[tables.a]\nurl = \"http://h/a\"\ncolumns = \"id INT\"\n"
                          "[tables.b]\nurl = \"http://h/b\"\ndrift = \"lenient\"\n");
  EXPECT_THAT(load_error(half, ctx.get(), opener()),
              HasSubstr("table 'b' (line 4): option 'drift' (line 6): expected one of error, "
                        "widen, raw, got 'lenient'"));
  EXPECT_FALSE(ctx->has_table("a"));
  ASSERT_TRUE(
      ctx->register_arrow_table("a", arrow::Table::MakeEmpty(arrow::schema({})).ValueOrDie()).ok());
  EXPECT_THAT(load_error(half, ctx.get(), opener()),
              HasSubstr("table 'a' (line 1): a table of that name already exists"));
}

}  // namespace
}  // namespace quiver::catalog
