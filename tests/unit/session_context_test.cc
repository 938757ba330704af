// SessionContext: the catalog (tables, table functions, config extensions) and, through SQL,
// SET/SHOW, views, CREATE TABLE AS, INSERT, DROP and EXPLAIN.
#include "quiver/catalog/session_context.h"

#include <arrow/api.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "quiver/datasource/data_source_exec.h"
#include "quiver/datasource/memory_table.h"

namespace quiver::catalog {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<arrow::Table> small_table() {
  arrow::Int64Builder a;
  arrow::StringBuilder b;
  EXPECT_TRUE(a.AppendValues({1, 2, 3}).ok());
  EXPECT_TRUE(b.AppendValues({"x", "y", "z"}).ok());
  auto schema =
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::utf8())});
  return arrow::Table::Make(schema, {a.Finish().ValueOrDie(), b.Finish().ValueOrDie()});
}

std::shared_ptr<arrow::StringScalar> str(std::string s) {
  return std::make_shared<arrow::StringScalar>(std::move(s));
}

class NumbersConfig final : public common::ConfigExtension {
 public:
  std::string prefix() const override { return "numbers"; }
  std::vector<common::ConfigEntry> entries() const override {
    return {{"numbers.numbers_per_task", common::ConfigType::kInt, "10", "numbers per task"}};
  }
};

TEST(SessionContextTest, RegistersAndDeregistersTables) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_arrow_table("t", small_table()).ok());
  ASSERT_TRUE(ctx->register_parquet("weather", "testdata/weather").ok());
  EXPECT_EQ(ctx->table_names(), (std::vector<std::string>{"t", "weather"}));
  auto t = ctx->get_table("t");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->num_rows(), 3);

  auto dup = ctx->register_arrow_table("t", small_table());
  ASSERT_FALSE(dup.ok());
  EXPECT_TRUE(dup.IsInvalid());
  EXPECT_THAT(dup.message(), HasSubstr("table 't' already exists"));

  EXPECT_TRUE(ctx->deregister_table("t"));
  EXPECT_FALSE(ctx->deregister_table("t"));
  EXPECT_EQ(ctx->table_names(), (std::vector<std::string>{"weather"}));
}

TEST(SessionContextTest, UnknownTableSuggestsTheClosestName) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_parquet("weather", "testdata/weather").ok());
  auto missing = ctx->get_table("wether");
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsInvalid());
  EXPECT_THAT(missing.status().message(), HasSubstr("table 'wether' not found"));
  EXPECT_THAT(missing.status().message(), HasSubstr("did you mean 'weather'"));
  // Names are case-sensitive.
  EXPECT_FALSE(ctx->get_table("Weather").ok());
}

TEST(SessionContextTest, RegisterPathPicksTheFormatFromTheExtension) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_path("orders", "testdata/csv/orders").ok());
  ASSERT_TRUE(ctx->register_path("events", "testdata/json/events.ndjson").ok());
  ASSERT_TRUE(ctx->register_path("weather", "testdata/weather/result-000001.parquet").ok());
  EXPECT_EQ((*ctx->get_table("orders"))->schema()->num_fields(), 4);
  EXPECT_EQ((*ctx->get_table("events"))->schema()->num_fields(), 5);
  EXPECT_EQ((*ctx->get_table("weather"))->num_rows(), 122);
  auto missing = ctx->register_path("nothing", "testdata/missing.parquet");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.message(), HasSubstr("testdata/missing.parquet"));
}

TEST(SessionContextTest, RegisterCsvHonoursOptions) {
  auto ctx = SessionContext::Make();
  CsvReadOptions options;
  options.has_header = false;
  ASSERT_TRUE(ctx->register_csv("people", "testdata/csv/people.csv", options).ok());
  EXPECT_EQ((*ctx->get_table("people"))->schema()->field(0)->name(), "column_1");
}

TEST(SessionContextTest, BuiltinTableFunctionsReadFiles) {
  auto ctx = SessionContext::Make();
  auto parquet = ctx->call_table_function("read_parquet", {str("testdata/weather")});
  ASSERT_TRUE(parquet.ok()) << parquet.status().ToString();
  EXPECT_EQ((*parquet)->num_rows(), 366);
  auto csv = ctx->call_table_function(
      "read_csv", {str("testdata/csv/people.csv"), std::make_shared<arrow::BooleanScalar>(false)});
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ((*csv)->schema()->field(0)->name(), "column_1");
  auto json = ctx->call_table_function("read_json", {str("testdata/json/events.ndjson")});
  ASSERT_TRUE(json.ok()) << json.status().ToString();

  auto bad_arg =
      ctx->call_table_function("read_parquet", {std::make_shared<arrow::Int64Scalar>(1)});
  ASSERT_FALSE(bad_arg.ok());
  EXPECT_THAT(bad_arg.status().message(), HasSubstr("read_parquet: argument 1 (path)"));
  auto arity = ctx->call_table_function("read_json", {});
  ASSERT_FALSE(arity.ok());
  EXPECT_THAT(arity.status().message(), HasSubstr("read_json takes one argument"));
  auto unknown = ctx->call_table_function("read_parquett", {str("x")});
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("did you mean 'read_parquet'"));
}

TEST(SessionContextTest, ConfigExtensionsBecomeSettable) {
  auto ctx = SessionContext::Make();
  EXPECT_FALSE(ctx->set_option("numbers.numbers_per_task", "20").ok());
  ASSERT_TRUE(ctx->register_config_extension(NumbersConfig()).ok());
  ASSERT_TRUE(ctx->set_option("numbers.numbers_per_task", "20").ok());
  EXPECT_EQ(ctx->options().get_int("numbers.numbers_per_task"), 20);
  // A query's task context gets a copy of the options as they are.
  auto task = ctx->task_context();
  ASSERT_TRUE(ctx->reset_option("numbers.numbers_per_task").ok());
  EXPECT_EQ(task->config().get_int("numbers.numbers_per_task"), 20);
  EXPECT_EQ(ctx->options().get_int("numbers.numbers_per_task"), 10);
  // Registering the same extension twice fails.
  EXPECT_FALSE(ctx->register_config_extension(NumbersConfig()).ok());
}

TEST(SessionContextTest, MaterialisedDataFrameStreamsItsRows) {
  DataFrame df(small_table());
  EXPECT_EQ(df.schema()->num_fields(), 2);
  auto stream = df.execute_stream();
  ASSERT_TRUE(stream.ok());
  auto batches = physical::collect_stream(**stream);
  ASSERT_TRUE(batches.ok());
  int64_t rows = 0;
  for (const auto& b : *batches) rows += b->num_rows();
  EXPECT_EQ(rows, 3);
  EXPECT_FALSE(df.physical_plan().ok());
}

// --- End to end through SQL ---------------------------------------------------------------

// Runs one statement and returns its rows as text (NULL as "NULL").
arrow::Result<std::vector<std::vector<std::string>>> run(SessionContext& ctx,
                                                         std::string_view sql) {
  ARROW_ASSIGN_OR_RAISE(auto df, ctx.sql(sql));
  ARROW_ASSIGN_OR_RAISE(auto table, df->collect());
  ARROW_ASSIGN_OR_RAISE(table, table->CombineChunks());
  std::vector<std::vector<std::string>> rows(static_cast<size_t>(table->num_rows()));
  for (int c = 0; c < table->num_columns(); ++c) {
    for (int64_t r = 0; r < table->num_rows(); ++r) {
      ARROW_ASSIGN_OR_RAISE(auto scalar, table->column(c)->GetScalar(r));
      rows[static_cast<size_t>(r)].push_back(scalar->is_valid ? scalar->ToString() : "NULL");
    }
  }
  return rows;
}

using Rows = std::vector<std::vector<std::string>>;

TEST(SessionSqlTest, SetShowAndReset) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(run(*ctx, "SET execution.batch_size = 100").ok());
  auto shown = run(*ctx, "SHOW execution.batch_size");
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  EXPECT_EQ(*shown, (Rows{{"execution.batch_size", "100"}}));
  EXPECT_EQ(ctx->task_context()->batch_size(), 100);

  auto all = ctx->sql("SHOW ALL");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  auto all_rows = (*all)->collect();
  ASSERT_TRUE(all_rows.ok());
  EXPECT_EQ((*all_rows)->schema()->field(0)->name(), "name");
  EXPECT_EQ((*all_rows)->schema()->field(1)->name(), "value");
  EXPECT_EQ((*all_rows)->num_rows(), static_cast<int64_t>(ctx->options().entries().size()));

  ASSERT_TRUE(run(*ctx, "RESET execution.batch_size").ok());
  EXPECT_NE(ctx->task_context()->batch_size(), 100);

  auto unknown = run(*ctx, "SET execution.batch_sise = 1");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("did you mean"));
}

TEST(SessionSqlTest, ShowTablesListsNames) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_arrow_table("t", small_table()).ok());
  ASSERT_TRUE(ctx->register_parquet("weather", "testdata/weather").ok());
  auto df = ctx->sql("SHOW TABLES");
  ASSERT_TRUE(df.ok()) << df.status().ToString();
  EXPECT_EQ((*df)->schema()->field(0)->name(), "table_name");
  auto rows = run(*ctx, "SHOW TABLES");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, (Rows{{"t"}, {"weather"}}));
}

TEST(SessionSqlTest, QueryOverParquetFiles) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_parquet("weather", "testdata/weather").ok());
  auto rows = run(*ctx, "SELECT count(*) FROM weather WHERE \"MaxTemp\" > 34.0");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"4"}}));
  auto by_function = run(*ctx, "SELECT count(*) FROM read_csv('testdata/csv/orders')");
  ASSERT_TRUE(by_function.ok()) << by_function.status().ToString();
  EXPECT_EQ(*by_function, (Rows{{"100"}}));
}

TEST(SessionSqlTest, CreateViewStoresThePlan) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_arrow_table("t", small_table()).ok());
  auto created = run(*ctx, "CREATE VIEW v AS SELECT a FROM t WHERE a > 1");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto view = ctx->get_table("v");
  ASSERT_TRUE(view.ok());
  EXPECT_NE((*view)->view_plan(), nullptr);
  auto rows = run(*ctx, "SELECT a FROM v ORDER BY a");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"2"}, {"3"}}));

  auto again = run(*ctx, "CREATE VIEW v AS SELECT b FROM t");
  ASSERT_FALSE(again.ok());
  EXPECT_THAT(again.status().message(), HasSubstr("'v' already exists"));
  ASSERT_TRUE(run(*ctx, "CREATE OR REPLACE VIEW v AS SELECT b FROM t").ok());
  EXPECT_EQ((*ctx->get_table("v"))->schema()->field(0)->name(), "b");

  auto wrong_kind = run(*ctx, "DROP TABLE v");
  ASSERT_FALSE(wrong_kind.ok());
  ASSERT_TRUE(run(*ctx, "DROP VIEW v").ok());
  EXPECT_FALSE(ctx->has_table("v"));
  EXPECT_TRUE(run(*ctx, "DROP VIEW IF EXISTS v").ok());
  EXPECT_FALSE(run(*ctx, "DROP VIEW v").ok());
}

TEST(SessionSqlTest, CreateTableAsAndInsert) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_arrow_table("t", small_table()).ok());
  auto created = run(*ctx, "CREATE TABLE big AS SELECT a, b FROM t WHERE a >= 2");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto big = ctx->get_table("big");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ((*big)->num_rows(), 2);

  auto inserted = run(*ctx, "INSERT INTO big VALUES (7, 'q')");
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  EXPECT_EQ(*inserted, (Rows{{"1"}}));
  auto rows = run(*ctx, "SELECT a, b FROM big ORDER BY a");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (Rows{{"2", "y"}, {"3", "z"}, {"7", "q"}}));

  ASSERT_TRUE(run(*ctx, "CREATE TABLE empty_t (x BIGINT, y VARCHAR)").ok());
  EXPECT_EQ((*ctx->get_table("empty_t"))->num_rows(), 0);
  ASSERT_TRUE(run(*ctx, "DROP TABLE empty_t").ok());

  ASSERT_TRUE(ctx->register_parquet("weather", "testdata/weather").ok());
  auto into_files = run(*ctx, "INSERT INTO weather SELECT * FROM weather");
  ASSERT_FALSE(into_files.ok());
}

TEST(SessionSqlTest, ExplainShowsBothPlans) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->register_parquet("weather", "testdata/weather").ok());
  auto df = ctx->sql("EXPLAIN SELECT \"RainToday\" FROM weather");
  ASSERT_TRUE(df.ok()) << df.status().ToString();
  auto table = (*df)->collect();
  ASSERT_TRUE(table.ok());
  EXPECT_EQ((*table)->schema()->field(0)->name(), "plan_type");
  EXPECT_EQ((*table)->schema()->field(1)->name(), "plan");
  auto rows = run(*ctx, "EXPLAIN SELECT \"RainToday\" FROM weather");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0][0], "logical_plan");
  EXPECT_EQ((*rows)[1][0], "physical_plan");
  EXPECT_THAT((*rows)[1][1], HasSubstr("DataSourceExec: file_groups="));
  EXPECT_THAT((*rows)[1][1], HasSubstr("projection=[RainToday], file_type=parquet"));

  auto analyzed = run(*ctx, "EXPLAIN ANALYZE SELECT \"RainToday\" FROM weather");
  ASSERT_TRUE(analyzed.ok()) << analyzed.status().ToString();
  ASSERT_EQ(analyzed->size(), 1u);
  EXPECT_EQ((*analyzed)[0][0], "Plan with Metrics");
  EXPECT_THAT((*analyzed)[0][1], HasSubstr("metrics=[output_rows=366"));
}

TEST(SessionSqlTest, ExecuteStreamMergesPartitions) {
  auto ctx = SessionContext::Make();
  ASSERT_TRUE(ctx->set_option("execution.target_partitions", "3").ok());
  ASSERT_TRUE(ctx->register_parquet("weather", "testdata/weather").ok());
  auto df = ctx->sql("SELECT \"RainToday\" FROM weather");
  ASSERT_TRUE(df.ok()) << df.status().ToString();
  auto plan = (*df)->physical_plan();
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ((*plan)->output_partitions(), 3);
  auto stream = (*df)->execute_stream();
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  auto batches = physical::collect_stream(**stream);
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  int64_t rows = 0;
  for (const auto& b : *batches) rows += b->num_rows();
  EXPECT_EQ(rows, 366);

  // Dropping a stream after the first batch stops the producers.
  ASSERT_TRUE(ctx->set_option("execution.batch_size", "1").ok());
  auto small = ctx->sql("SELECT \"RainToday\" FROM weather");
  ASSERT_TRUE(small.ok());
  auto early = (*small)->execute_stream();
  ASSERT_TRUE(early.ok());
  auto first = (*early)->next();
  ASSERT_TRUE(first.ok());
  ASSERT_NE(*first, nullptr);
  early->reset();
}

TEST(SessionSqlTest, OnlyOneStatementAtATime) {
  auto ctx = SessionContext::Make();
  auto two = ctx->sql("SET execution.batch_size = 10; SET execution.batch_size = 20");
  ASSERT_FALSE(two.ok());
  EXPECT_TRUE(two.status().IsInvalid());
}

}  // namespace
}  // namespace quiver::catalog
