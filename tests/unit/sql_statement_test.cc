// The SQL front end: statements other than plain queries (EXPLAIN, DDL, INSERT, SET/SHOW).

#include <arrow/scalar.h>
#include <arrow/type.h>
#include <gtest/gtest.h>

#include "quiver/catalog/table_provider.h"
#include "quiver/sql/sql_planner.h"

namespace quiver::sql {
namespace {

class SchemaOnlyTable : public catalog::TableProvider {
 public:
  explicit SchemaOnlyTable(std::shared_ptr<arrow::Schema> schema) : schema_(std::move(schema)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs&) const override {
    return arrow::Status::NotImplemented("binding tests do not scan");
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
};

/// One table `t (a bigint, s text, f double)`.
class OneTableCatalog : public ContextProvider {
 public:
  arrow::Result<std::shared_ptr<catalog::TableProvider>> get_table(
      const std::string& name) const override {
    if (name != "t") return arrow::Status::Invalid("table \"", name, "\" not found");
    return std::make_shared<SchemaOnlyTable>(
        arrow::schema({arrow::field("a", arrow::int64()), arrow::field("s", arrow::utf8()),
                       arrow::field("f", arrow::float64())}));
  }
  arrow::Result<std::shared_ptr<catalog::TableProvider>> call_table_function(
      const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>&) const override {
    return arrow::Status::Invalid("no table functions here: ", name);
  }
  const common::ConfigOptions& options() const override { return options_; }

 private:
  common::ConfigOptions options_;
};

class SqlStatementTest : public ::testing::Test {
 protected:
  std::vector<Statement> plan_all(const std::string& sql) {
    auto result = SqlPlanner(catalog_).plan(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
    return result.ok() ? *result : std::vector<Statement>{};
  }
  Statement one(const std::string& sql) {
    auto all = plan_all(sql);
    EXPECT_EQ(all.size(), 1u) << sql;
    return all.empty() ? Statement{} : all[0];
  }

  OneTableCatalog catalog_;
};

TEST_F(SqlStatementTest, Explain) {
  Statement s = one("EXPLAIN SELECT a FROM t");
  EXPECT_EQ(s.kind, Statement::Kind::kExplain);
  EXPECT_FALSE(s.analyze);
  EXPECT_FALSE(s.verbose);
  ASSERT_NE(s.plan, nullptr);
  EXPECT_EQ(s.plan->display_indent(), "Projection: t.a\n  TableScan: t");
  s = one("EXPLAIN ANALYZE VERBOSE SELECT 1");
  EXPECT_TRUE(s.analyze);
  EXPECT_TRUE(s.verbose);
  s = one("EXPLAIN (VERBOSE false, ANALYZE) SELECT 1");
  EXPECT_TRUE(s.analyze);
  EXPECT_FALSE(s.verbose);
}

TEST_F(SqlStatementTest, CreateViewAndTableAs) {
  Statement view = one("CREATE OR REPLACE VIEW big (n) AS SELECT a FROM t WHERE a > 10");
  EXPECT_EQ(view.kind, Statement::Kind::kCreateView);
  EXPECT_EQ(view.name, "big");
  EXPECT_TRUE(view.or_replace);
  ASSERT_NE(view.plan, nullptr);
  EXPECT_EQ(view.plan->schema.field(0).field->name(), "n");

  Statement ctas = one("CREATE TABLE copy AS SELECT a, s FROM t");
  EXPECT_EQ(ctas.kind, Statement::Kind::kCreateTableAs);
  EXPECT_EQ(ctas.name, "copy");
  EXPECT_FALSE(ctas.or_replace);
  ASSERT_NE(ctas.plan, nullptr);
  EXPECT_EQ(ctas.plan->schema.num_fields(), 2);

  // PostgreSQL has no CREATE OR REPLACE TABLE; the planner accepts it anyway.
  auto both = plan_all("create table x as select 1;\nCreate Or\n Replace TABLE y AS SELECT 2");
  ASSERT_EQ(both.size(), 2u);
  EXPECT_FALSE(both[0].or_replace);
  EXPECT_EQ(both[1].kind, Statement::Kind::kCreateTableAs);
  EXPECT_EQ(both[1].name, "y");
  EXPECT_TRUE(both[1].or_replace);
}

TEST_F(SqlStatementTest, CreateTableWithColumns) {
  Statement s = one(
      "CREATE TABLE IF NOT EXISTS k (i int, b bigint NOT NULL, v varchar(10), d double precision, "
      "r real, n decimal(10, 2), day date, ts timestamp, ok boolean, sm smallint, fl float)");
  EXPECT_EQ(s.kind, Statement::Kind::kCreateTable);
  EXPECT_EQ(s.name, "k");
  EXPECT_TRUE(s.if_not_exists);
  ASSERT_NE(s.schema, nullptr);
  const auto expected = arrow::schema(
      {arrow::field("i", arrow::int32()), arrow::field("b", arrow::int64(), false),
       arrow::field("v", arrow::utf8()), arrow::field("d", arrow::float64()),
       arrow::field("r", arrow::float32()), arrow::field("n", arrow::decimal128(10, 2)),
       arrow::field("day", arrow::date32()),
       arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO)),
       arrow::field("ok", arrow::boolean()), arrow::field("sm", arrow::int16()),
       arrow::field("fl", arrow::float64())});
  EXPECT_TRUE(s.schema->Equals(*expected)) << s.schema->ToString();
  auto bad = SqlPlanner(catalog_).plan("CREATE TABLE k (a sometype)");
  EXPECT_TRUE(bad.status().IsInvalid());
  EXPECT_NE(bad.status().message().find("sometype"), std::string::npos);
}

TEST_F(SqlStatementTest, InsertCastsToTheTableSchema) {
  Statement s = one("INSERT INTO t VALUES (1, 'x', 2), (2, NULL, 2.5)");
  EXPECT_EQ(s.kind, Statement::Kind::kInsertValues);
  EXPECT_EQ(s.name, "t");
  ASSERT_NE(s.plan, nullptr);
  EXPECT_EQ(s.plan->display_indent(),
            "Projection: column1 AS a, column2 AS s, CAST(column3 AS Float64) AS f\n"
            "  Values: (Int64(1), Utf8(\"x\"), Decimal128(Some(20),21,1)), (Int64(2), Utf8(NULL), "
            "Decimal128(Some(25),21,1))");
  s = one("INSERT INTO t (f, a) SELECT 1, 2");
  ASSERT_NE(s.plan, nullptr);
  EXPECT_EQ(s.plan->display(),
            "Projection: Int64(2) AS a, Utf8(NULL) AS s, CAST(Int64(1) AS Float64) AS f");
  EXPECT_FALSE(SqlPlanner(catalog_).plan("INSERT INTO t VALUES (1)").ok());
  EXPECT_FALSE(SqlPlanner(catalog_).plan("INSERT INTO t (zz) VALUES (1)").ok());
}

TEST_F(SqlStatementTest, Drop) {
  Statement s = one("DROP TABLE IF EXISTS t");
  EXPECT_EQ(s.kind, Statement::Kind::kDrop);
  EXPECT_EQ(s.name, "t");
  EXPECT_TRUE(s.if_exists);
  EXPECT_FALSE(s.is_view);
  s = one("DROP VIEW v");
  EXPECT_TRUE(s.is_view);
  EXPECT_FALSE(s.if_exists);
}

TEST_F(SqlStatementTest, SetResetShow) {
  auto all = plan_all(
      "SET numbers.numbers_per_task = 20; SET memory_limit TO '1GB'; "
      "SET distributed.max_tasks_per_stage = 4; RESET execution.batch_size; SHOW ALL; "
      "SHOW TABLES; SHOW execution.target_partitions; SET x = -1.5");
  ASSERT_EQ(all.size(), 8u);
  EXPECT_EQ(all[0].kind, Statement::Kind::kSet);
  EXPECT_EQ(all[0].name, "numbers.numbers_per_task");
  EXPECT_EQ(all[0].value, "20");
  EXPECT_EQ(all[1].name, "memory_limit");
  EXPECT_EQ(all[1].value, "1GB");
  EXPECT_EQ(all[2].name, "distributed.max_tasks_per_stage");
  EXPECT_EQ(all[3].kind, Statement::Kind::kReset);
  EXPECT_EQ(all[3].name, "execution.batch_size");
  EXPECT_EQ(all[4].kind, Statement::Kind::kShow);
  EXPECT_EQ(all[4].name, "all");
  EXPECT_EQ(all[5].name, "tables");
  EXPECT_EQ(all[6].name, "execution.target_partitions");
  EXPECT_EQ(all[7].value, "-1.5");
}

TEST_F(SqlStatementTest, UnsupportedStatementsSaySo) {
  auto status = SqlPlanner(catalog_).plan("DELETE FROM t").status();
  EXPECT_TRUE(status.IsNotImplemented());
  status = SqlPlanner(catalog_).plan("SELECT 1; SELEC 2").status();
  EXPECT_TRUE(status.IsInvalid());
  EXPECT_EQ(status.message(), "syntax error at or near \"SELEC\" at line 1, column 11");
}

}  // namespace
}  // namespace quiver::sql
