// The SQL front end: parsing, binding and planning of queries into logical plans.

#include "quiver/sql/sql_planner.h"

#include <arrow/scalar.h>
#include <arrow/type.h>
#include <gtest/gtest.h>

#include <map>

#include "quiver/catalog/table_provider.h"
#include "quiver/common/error.h"
#include "quiver/logical/plan_builder.h"

namespace quiver::sql {
namespace {

/// A table that only has a schema: binding never scans.
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

/// A view: its schema is its plan's.
class PlanView : public catalog::TableProvider {
 public:
  explicit PlanView(logical::LogicalPlanPtr plan) : plan_(std::move(plan)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return plan_->schema.to_arrow(); }
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs&) const override {
    return arrow::Status::NotImplemented("views are inlined");
  }
  logical::LogicalPlanPtr view_plan() const override { return plan_; }

 private:
  logical::LogicalPlanPtr plan_;
};

/// Tables t, weather and view v; table function numbers(start, end).
class TestCatalog : public ContextProvider {
 public:
  TestCatalog() {
    tables_["t"] = std::make_shared<SchemaOnlyTable>(
        arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::int64()),
                       arrow::field("name", arrow::utf8()), arrow::field("x", arrow::float64()),
                       arrow::field("d", arrow::date32()), arrow::field("i", arrow::int32())}));
    tables_["weather"] = std::make_shared<SchemaOnlyTable>(arrow::schema(
        {arrow::field("RainToday", arrow::utf8()), arrow::field("MinTemp", arrow::float64())}));
    auto scan = *logical::make_table_scan("t", tables_["t"]);
    tables_["v"] = std::make_shared<PlanView>(
        *logical::make_projection(scan, {logical::col("t.a"), logical::col("t.name")}));
  }

  arrow::Result<std::shared_ptr<catalog::TableProvider>> get_table(
      const std::string& name) const override {
    auto it = tables_.find(name);
    if (it != tables_.end()) return it->second;
    std::vector<std::string> names;
    for (const auto& [n, _] : tables_) names.push_back(n);
    return arrow::Status::Invalid("table \"", name, "\" not found",
                                  common::did_you_mean(name, names));
  }

  arrow::Result<std::shared_ptr<catalog::TableProvider>> call_table_function(
      const std::string& name,
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override {
    if (name != "numbers") return arrow::Status::Invalid("unknown table function ", name);
    if (args.size() != 2 || !args[0]->type->Equals(*arrow::int64()) ||
        !args[1]->type->Equals(*arrow::int64())) {
      return arrow::Status::Invalid("numbers(start, end) takes two integers");
    }
    last_args_ = args;
    return std::make_shared<SchemaOnlyTable>(
        arrow::schema({arrow::field("number", arrow::int64(), false)}));
  }

  const common::ConfigOptions& options() const override { return options_; }

  mutable std::vector<std::shared_ptr<arrow::Scalar>> last_args_;

 private:
  std::map<std::string, std::shared_ptr<catalog::TableProvider>> tables_;
  common::ConfigOptions options_;
};

class SqlPlannerTest : public ::testing::Test {
 protected:
  arrow::Result<std::vector<Statement>> plan_all(const std::string& sql) {
    return SqlPlanner(catalog_).plan(sql);
  }

  // Returns the one statement of `sql`, failing the test on errors.
  Statement statement(const std::string& sql) {
    auto result = plan_all(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
    if (!result.ok() || result->size() != 1) return Statement{};
    return (*result)[0];
  }

  // Returns the logical plan text of a query.
  std::string plan(const std::string& sql) {
    Statement s = statement(sql);
    EXPECT_EQ(s.kind, Statement::Kind::kQuery);
    return s.plan ? s.plan->display_indent() : "<no plan>";
  }

  // Returns the error of planning `sql` (OK when it plans).
  arrow::Status error(const std::string& sql) { return plan_all(sql).status(); }

  TestCatalog catalog_;
};

TEST_F(SqlPlannerTest, ProjectionAndFilter) {
  EXPECT_EQ(plan("SELECT a, b FROM t WHERE a > 1"),
            "Projection: t.a, t.b\n"
            "  Filter: t.a > Int64(1)\n"
            "    TableScan: t");
  EXPECT_EQ(plan("SELECT t.a + 1, name AS n FROM t WHERE name IS NOT NULL AND NOT (a = 2)"),
            "Projection: t.a + Int64(1), t.name AS n\n"
            "  Filter: t.name IS NOT NULL AND NOT t.a = Int64(2)\n"
            "    TableScan: t");
}

TEST_F(SqlPlannerTest, OutputSchemaNamesAndTypes) {
  Statement s = statement("SELECT a, i + 1, x * 2 AS y, name || '!' FROM t");
  ASSERT_NE(s.plan, nullptr);
  const auto schema = s.plan->schema;
  ASSERT_EQ(schema.num_fields(), 4);
  EXPECT_EQ(schema.field(0).flat_name(), "t.a");
  EXPECT_EQ(schema.field(1).field->name(), "t.i + Int64(1)");
  EXPECT_TRUE(schema.field(1).field->type()->Equals(*arrow::int64()));
  EXPECT_EQ(schema.field(2).field->name(), "y");
  EXPECT_TRUE(schema.field(2).field->type()->Equals(*arrow::float64()));
  EXPECT_TRUE(schema.field(3).field->type()->Equals(*arrow::utf8()));
  // The cast that makes i + 1 evaluable keeps the user's name through an alias.
  EXPECT_EQ(s.plan->display(),
            "Projection: t.a, CAST(t.i AS Int64) + Int64(1) AS t.i + Int64(1), t.x * Float64(2) AS "
            "y, t.name || Utf8(\"!\")");
}

TEST_F(SqlPlannerTest, WildcardsExpand) {
  EXPECT_EQ(plan("SELECT * FROM weather"),
            "Projection: weather.RainToday, weather.MinTemp\n  TableScan: weather");
  EXPECT_EQ(plan("SELECT w.*, 1 FROM weather AS w"),
            "Projection: w.RainToday, w.MinTemp, Int64(1)\n"
            "  SubqueryAlias: w\n"
            "    TableScan: weather");
}

TEST_F(SqlPlannerTest, AggregatesAndGroupBy) {
  EXPECT_EQ(plan("SELECT a, sum(b) FROM t GROUP BY a"),
            "Projection: t.a, sum(t.b)\n"
            "  Aggregate: groupBy=[[t.a]], aggr=[[sum(t.b)]]\n"
            "    TableScan: t");
  Statement count = statement("SELECT count(*) FROM t");
  ASSERT_NE(count.plan, nullptr);
  EXPECT_EQ(count.plan->display_indent(),
            "Projection: count(Int64(1)) AS count(*)\n"
            "  Aggregate: groupBy=[[]], aggr=[[count(Int64(1))]]\n"
            "    TableScan: t");
  EXPECT_EQ(count.plan->schema.field(0).field->name(), "count(*)");
  EXPECT_TRUE(count.plan->schema.field(0).field->type()->Equals(*arrow::int64()));
  EXPECT_EQ(plan("SELECT name, count(DISTINCT a), avg(x) FROM t GROUP BY 1"),
            "Projection: t.name, count(DISTINCT t.a), avg(t.x)\n"
            "  Aggregate: groupBy=[[t.name]], aggr=[[count(DISTINCT t.a), avg(t.x)]]\n"
            "    TableScan: t");
  EXPECT_EQ(plan("SELECT a + 1 AS k, max(b) - min(b) FROM t GROUP BY k"),
            "Projection: t.a + Int64(1) AS k, max(t.b) - min(t.b)\n"
            "  Aggregate: groupBy=[[t.a + Int64(1)]], aggr=[[max(t.b), min(t.b)]]\n"
            "    TableScan: t");
  EXPECT_EQ(plan("SELECT a FROM t GROUP BY a HAVING sum(b) > 10"),
            "Projection: t.a\n"
            "  Filter: sum(t.b) > Int64(10)\n"
            "    Aggregate: groupBy=[[t.a]], aggr=[[sum(t.b)]]\n"
            "      TableScan: t");
  EXPECT_EQ(plan("SELECT sum(b) FILTER (WHERE a > 1) FROM t"),
            "Projection: sum(t.b) FILTER (WHERE t.a > Int64(1))\n"
            "  Aggregate: groupBy=[[]], aggr=[[sum(t.b) FILTER (WHERE t.a > Int64(1))]]\n"
            "    TableScan: t");
}

TEST_F(SqlPlannerTest, DistinctAndOrderBy) {
  EXPECT_EQ(plan("SELECT DISTINCT number FROM numbers(0, 10) ORDER BY number"),
            "Sort: numbers.number ASC NULLS LAST\n"
            "  Aggregate: groupBy=[[numbers.number]], aggr=[[]]\n"
            "    Projection: numbers.number\n"
            "      TableScan: numbers");
  EXPECT_EQ(plan("SELECT a AS k, b FROM t ORDER BY k, 2 DESC, x NULLS FIRST"),
            "Projection: k, t.b\n"
            "  Sort: k ASC NULLS LAST, t.b DESC NULLS FIRST, t.x ASC NULLS FIRST\n"
            "    Projection: t.a AS k, t.b, t.x\n"
            "      TableScan: t");
  EXPECT_EQ(plan("SELECT a FROM t ORDER BY b DESC"),
            "Projection: t.a\n"
            "  Sort: t.b DESC NULLS FIRST\n"
            "    Projection: t.a, t.b\n"
            "      TableScan: t");
  EXPECT_EQ(plan("SELECT a, sum(b) FROM t GROUP BY a ORDER BY sum(b) DESC LIMIT 3"),
            "Limit: skip=0, fetch=3\n"
            "  Sort: sum(t.b) DESC NULLS FIRST\n"
            "    Projection: t.a, sum(t.b)\n"
            "      Aggregate: groupBy=[[t.a]], aggr=[[sum(t.b)]]\n"
            "        TableScan: t");
}

TEST_F(SqlPlannerTest, LimitOffset) {
  EXPECT_EQ(plan("SELECT a FROM t LIMIT 10 OFFSET 5"),
            "Limit: skip=5, fetch=10\n  Projection: t.a\n    TableScan: t");
  EXPECT_EQ(plan("SELECT a FROM t OFFSET 2"),
            "Limit: skip=2, fetch=None\n  Projection: t.a\n    TableScan: t");
  EXPECT_EQ(plan("SELECT a FROM t LIMIT ALL"), "Projection: t.a\n  TableScan: t");
  EXPECT_FALSE(error("SELECT a FROM t LIMIT a").ok());
}

TEST_F(SqlPlannerTest, FromItems) {
  EXPECT_EQ(plan("SELECT x.a FROM (SELECT a FROM t) AS x"),
            "Projection: x.a\n"
            "  SubqueryAlias: x\n"
            "    Projection: t.a\n"
            "      TableScan: t");
  EXPECT_EQ(plan("SELECT name FROM v"),
            "Projection: v.name\n"
            "  SubqueryAlias: v\n"
            "    Projection: t.a, t.name\n"
            "      TableScan: t");
  EXPECT_EQ(plan("SELECT n.number FROM numbers(-1, 2 + 3) AS n"),
            "Projection: n.number\n  SubqueryAlias: n\n    TableScan: numbers");
  ASSERT_EQ(catalog_.last_args_.size(), 2u);
  EXPECT_EQ(catalog_.last_args_[0]->ToString(), "-1");
  EXPECT_EQ(catalog_.last_args_[1]->ToString(), "5");
  EXPECT_EQ(plan("SELECT k FROM t AS s(k)"),
            "Projection: s.k\n"
            "  SubqueryAlias: s\n"
            "    Projection: t.a AS k, t.b, t.name, t.x, t.d, t.i\n"
            "      TableScan: t");
}

TEST_F(SqlPlannerTest, SelectWithoutFromValuesAndUnion) {
  EXPECT_EQ(plan("SELECT 1 + 2 AS three, 'x', 1.5, TRUE, NULL"),
            "Projection: Int64(1) + Int64(2) AS three, Utf8(\"x\"), Decimal128(Some(15),2,1), "
            "Boolean(true), "
            "NULL\n"
            "  EmptyRelation: rows=1");
  Statement values = statement("VALUES (1, 'a'), (2, NULL) ORDER BY column1 DESC");
  ASSERT_NE(values.plan, nullptr);
  EXPECT_EQ(values.plan->display_indent(),
            "Sort: column1 DESC NULLS FIRST\n"
            "  Values: (Int64(1), Utf8(\"a\")), (Int64(2), Utf8(NULL))");
  EXPECT_EQ(values.plan->schema.field(1).field->name(), "column2");
  EXPECT_TRUE(values.plan->schema.field(1).field->type()->Equals(*arrow::utf8()));

  EXPECT_EQ(plan("SELECT a FROM t UNION ALL SELECT i FROM t UNION ALL SELECT 7"),
            "Union\n"
            "  Projection: t.a\n"
            "    TableScan: t\n"
            "  Projection: CAST(t.i AS Int64) AS i\n"
            "    Projection: t.i\n"
            "      TableScan: t\n"
            "  Projection: Int64(7)\n"
            "    EmptyRelation: rows=1");
  EXPECT_EQ(plan("SELECT a FROM t UNION SELECT b FROM t ORDER BY 1 LIMIT 2"),
            "Limit: skip=0, fetch=2\n"
            "  Sort: a ASC NULLS LAST\n"
            "    Aggregate: groupBy=[[a]], aggr=[[]]\n"
            "      Union\n"
            "        Projection: t.a\n"
            "          TableScan: t\n"
            "        Projection: t.b\n"
            "          TableScan: t");
}

TEST_F(SqlPlannerTest, ExpressionForms) {
  EXPECT_EQ(
      plan("SELECT a FROM t WHERE a IN (1, 2) AND name LIKE 'x%' AND b NOT BETWEEN 1 AND 3 "
           "AND name NOT ILIKE 'Y' AND (x > 1) IS TRUE AND a IS DISTINCT FROM b"),
      "Projection: t.a\n"
      "  Filter: t.a IN ([Int64(1), Int64(2)]) AND t.name LIKE Utf8(\"x%\") AND t.b NOT BETWEEN "
      "Int64(1) AND Int64(3) AND t.name NOT ILIKE Utf8(\"Y\") AND t.x > Float64(1) IS TRUE AND "
      "t.a IS DISTINCT FROM t.b\n"
      "    TableScan: t");
  EXPECT_EQ(plan("SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END, CASE b WHEN 1 THEN x END "
                 "FROM t"),
            "Projection: CASE WHEN t.a > Int64(1) THEN Utf8(\"big\") ELSE Utf8(\"small\") END, "
            "CASE t.b WHEN Int64(1) THEN t.x END\n"
            "  TableScan: t");
  EXPECT_EQ(plan("SELECT CAST(a AS INT), a::text, -x, d FROM t WHERE d >= DATE '2020-01-01' "
                 "AND d < '2021-01-01'"),
            "Projection: CAST(t.a AS Int32), CAST(t.a AS Utf8), (- t.x), t.d\n"
            "  Filter: t.d >= Date32(\"2020-01-01\") AND t.d < Date32(\"2021-01-01\")\n"
            "    TableScan: t");
  EXPECT_EQ(plan("SELECT a FROM t WHERE i = 3"),
            "Projection: t.a\n  Filter: t.i = Int32(3)\n    TableScan: t");
  Statement ts = statement("SELECT TIMESTAMP '2020-01-01 00:00:01', 10000000000, b % 3 FROM t");
  ASSERT_NE(ts.plan, nullptr);
  EXPECT_TRUE(
      ts.plan->schema.field(0).field->type()->Equals(*arrow::timestamp(arrow::TimeUnit::MICRO)));
  EXPECT_EQ(ts.plan->schema.field(1).field->name(), "Int64(10000000000)");
  EXPECT_EQ(ts.plan->schema.field(2).field->name(), "t.b % Int64(3)");
}

TEST_F(SqlPlannerTest, SyntaxErrorsNameLineAndColumn) {
  auto status = error("SELECT * FORM t");
  ASSERT_TRUE(status.IsInvalid());
  EXPECT_EQ(status.message(), "syntax error at or near \"FORM\" at line 1, column 10");
  status = error("SELECT a,\n  b\nFROM t WHERE");
  EXPECT_EQ(status.message(), "syntax error at end of input at line 3, column 13");
}

TEST_F(SqlPlannerTest, UnknownNamesSuggestAndLocate) {
  auto status = error("SELECT raintoday FROM weather");
  ASSERT_TRUE(status.IsInvalid());
  EXPECT_EQ(status.message(),
            "column \"raintoday\" does not exist (did you mean 'RainToday'? quote it as "
            "\"RainToday\": unquoted names are lower-cased) at line 1, column 8");
  EXPECT_TRUE(error("SELECT \"RainToday\" FROM weather").ok());
  status = error("SELECT a\nFROM tt");
  ASSERT_TRUE(status.IsInvalid());
  EXPECT_NE(status.message().find("did you mean 't'"), std::string::npos) << status.message();
  EXPECT_NE(status.message().find("line 2, column 6"), std::string::npos) << status.message();
  status = error("SELECT s.a FROM t");
  EXPECT_NE(status.message().find("table \"s\" is not in the FROM clause"), std::string::npos)
      << status.message();
}

TEST_F(SqlPlannerTest, SemanticErrors) {
  auto status = error("SELECT name, sum(a) FROM t GROUP BY b");
  ASSERT_TRUE(status.IsInvalid());
  EXPECT_EQ(status.message(),
            "column \"t.name\" must appear in the GROUP BY clause or be used in an aggregate "
            "function at line 1, column 8");
  EXPECT_NE(error("SELECT a FROM t WHERE sum(a) > 1")
                .message()
                .find("aggregate functions are not allowed in WHERE"),
            std::string::npos);
  EXPECT_NE(error("SELECT a FROM t GROUP BY sum(a)").message().find("GROUP BY"), std::string::npos);
  EXPECT_NE(error("SELECT sum(count(a)) FROM t").message().find("nested"), std::string::npos);
  EXPECT_NE(error("SELECT a FROM t WHERE a").message().find("Boolean"), std::string::npos);
  EXPECT_NE(error("SELECT DISTINCT a FROM t ORDER BY b").message().find("SELECT DISTINCT"),
            std::string::npos);
  EXPECT_NE(error("SELECT a FROM t ORDER BY 3").message().find("position 3"), std::string::npos);
  EXPECT_NE(error("SELECT name + 1 FROM t").message().find("not defined"), std::string::npos);
  auto unknown = error("SELECT no_such_function(a) FROM t");
  EXPECT_TRUE(unknown.IsInvalid());
  EXPECT_NE(unknown.message().find("function no_such_function() does not exist"),
            std::string::npos);
  EXPECT_NE(error("SELECT a FROM t UNION SELECT a, b FROM t").message().find("same number"),
            std::string::npos);
  EXPECT_FALSE(error("SELECT *").ok());
}

TEST_F(SqlPlannerTest, NextIssueFeaturesAreNotImplemented) {
  EXPECT_TRUE(error("WITH RECURSIVE w AS (SELECT 1) SELECT * FROM w").IsNotImplemented());
  EXPECT_TRUE(error("SELECT * FROM t, LATERAL (SELECT 1) s").IsNotImplemented());
  EXPECT_TRUE(error("SELECT (SELECT 1)").IsNotImplemented());
  EXPECT_TRUE(error("SELECT a FROM t WHERE a IN (SELECT b FROM t)").IsNotImplemented());
  EXPECT_TRUE(error("SELECT a FROM t INTERSECT SELECT b FROM t").IsNotImplemented());
}

}  // namespace
}  // namespace quiver::sql
