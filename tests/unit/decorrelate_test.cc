// Binding of subqueries (outer references) and their decorrelation into joins.

#include <arrow/type.h>
#include <gtest/gtest.h>

#include <map>

#include "quiver/catalog/table_provider.h"
#include "quiver/optimizer/decorrelate_subqueries.h"
#include "quiver/sql/sql_planner.h"

namespace quiver::optimizer {
namespace {

/// A table that only has a schema: planning never scans.
class SchemaTable : public catalog::TableProvider {
 public:
  explicit SchemaTable(std::shared_ptr<arrow::Schema> schema) : schema_(std::move(schema)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs&) const override {
    return arrow::Status::NotImplemented("decorrelation tests do not scan");
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
};

/// Tables t(id, x, g) and s(id, y, g); u(k NOT NULL) and w(k NOT NULL, n).
class Catalog : public sql::ContextProvider {
 public:
  Catalog() {
    tables_["t"] = std::make_shared<SchemaTable>(
        arrow::schema({arrow::field("id", arrow::int64()), arrow::field("x", arrow::int64()),
                       arrow::field("g", arrow::utf8())}));
    tables_["s"] = std::make_shared<SchemaTable>(
        arrow::schema({arrow::field("id", arrow::int64()), arrow::field("y", arrow::int64()),
                       arrow::field("g", arrow::utf8())}));
    tables_["u"] =
        std::make_shared<SchemaTable>(arrow::schema({arrow::field("k", arrow::int64(), false)}));
    tables_["w"] = std::make_shared<SchemaTable>(arrow::schema(
        {arrow::field("k", arrow::int64(), false), arrow::field("n", arrow::int64())}));
  }
  arrow::Result<std::shared_ptr<catalog::TableProvider>> get_table(
      const std::string& name) const override {
    auto it = tables_.find(name);
    if (it == tables_.end()) return arrow::Status::Invalid("no table ", name);
    return it->second;
  }
  arrow::Result<std::shared_ptr<catalog::TableProvider>> call_table_function(
      const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>&) const override {
    return arrow::Status::Invalid("no table function ", name);
  }
  const common::ConfigOptions& options() const override { return options_; }

 private:
  std::map<std::string, std::shared_ptr<catalog::TableProvider>> tables_;
  common::ConfigOptions options_;
};

class DecorrelateTest : public ::testing::Test {
 protected:
  logical::LogicalPlanPtr bound(const std::string& query) {
    auto statements = sql::SqlPlanner(catalog_).plan(query);
    EXPECT_TRUE(statements.ok()) << statements.status().ToString();
    if (!statements.ok()) return nullptr;
    return (*statements)[0].plan;
  }
  // The decorrelated plan as text, or the error.
  std::string decorrelated(const std::string& query) {
    auto plan = bound(query);
    if (!plan) return "<bind error>";
    auto out = DecorrelateSubqueries().rewrite(plan, catalog_.options());
    return out.ok() ? (*out)->display_indent() : out.status().ToString();
  }
  Catalog catalog_;
};

TEST_F(DecorrelateTest, OuterReferencesAreMarked) {
  auto plan = bound("SELECT id FROM t WHERE EXISTS (SELECT 1 FROM s WHERE s.id = t.id)");
  ASSERT_NE(plan, nullptr);
  const auto& predicate = plan->inputs[0]->predicate;
  ASSERT_EQ(predicate->kind, logical::ExprKind::kExists);
  EXPECT_EQ(predicate->subquery->display_indent(),
            "Projection: Int64(1)\n"
            "  Filter: s.id = outer_ref(t.id)\n"
            "    TableScan: s");
}

TEST_F(DecorrelateTest, InnerScopeWins) {
  auto plan = bound("SELECT id FROM t WHERE x IN (SELECT y FROM s WHERE id = 1)");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->inputs[0]->predicate->subquery->display_indent(),
            "Projection: s.y\n"
            "  Filter: s.id = Int64(1)\n"
            "    TableScan: s");
}

TEST_F(DecorrelateTest, CorrelatedExistsBecomesSemiJoinWithKeysAndFilter) {
  const std::string out = decorrelated(
      "SELECT id FROM t WHERE EXISTS (SELECT 1 FROM s WHERE s.g = t.g AND s.y <> t.x)");
  EXPECT_NE(out.find("LeftSemi"), std::string::npos) << out;
  EXPECT_NE(out.find("t.g = __sq_1.__c"), std::string::npos) << out;
  EXPECT_NE(out.find("!= t.x"), std::string::npos) << out;
  EXPECT_EQ(out.find("outer_ref"), std::string::npos) << out;
}

TEST_F(DecorrelateTest, NotInIsNullAwareAntiJoin) {
  auto plan = bound("SELECT id FROM t WHERE x NOT IN (SELECT y FROM s)");
  ASSERT_NE(plan, nullptr);
  auto out = DecorrelateSubqueries().rewrite(plan, catalog_.options());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ((*out)->display_indent(),
            "Projection: t.id\n"
            "  LeftAnti Join: t.x = __sq_1.__value\n"
            "    TableScan: t\n"
            "    SubqueryAlias: __sq_1\n"
            "      Projection: s.y AS __value\n"
            "        Projection: s.y\n"
            "          TableScan: s");
  const auto& join = (*out)->inputs[0];
  ASSERT_EQ(join->kind, logical::PlanKind::kJoin);
  EXPECT_TRUE(join->null_aware);
}

TEST_F(DecorrelateTest, NotInWithoutNullsOnEitherSideIsAPlainAntiJoin) {
  auto null_aware = [&](const std::string& query) {
    auto plan = bound(query);
    EXPECT_NE(plan, nullptr);
    auto out = DecorrelateSubqueries().rewrite(plan, catalog_.options());
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    const auto& join = (*out)->inputs[0];
    EXPECT_EQ(join->kind, logical::PlanKind::kJoin) << (*out)->display_indent();
    EXPECT_EQ(join->join_type, logical::JoinType::kLeftAnti);
    return join->null_aware;
  };
  EXPECT_FALSE(null_aware("SELECT k FROM u WHERE k NOT IN (SELECT k FROM w)"));
  // A nullable value on either side keeps NOT IN's NULL rules.
  EXPECT_TRUE(null_aware("SELECT k FROM u WHERE k NOT IN (SELECT n FROM w)"));
  EXPECT_TRUE(null_aware("SELECT id FROM t WHERE x NOT IN (SELECT k FROM w)"));
}

TEST_F(DecorrelateTest, CorrelatedNotInKeepsNullsInTheFilter) {
  const std::string out =
      decorrelated("SELECT id FROM t WHERE x NOT IN (SELECT y FROM s WHERE s.g = t.g)");
  EXPECT_NE(out.find("LeftAnti"), std::string::npos) << out;
  EXPECT_NE(out.find("t.x IS NULL"), std::string::npos) << out;
  EXPECT_NE(out.find("__sq_1.__value IS NULL"), std::string::npos) << out;
}

TEST_F(DecorrelateTest, CorrelatedScalarAggregateGroupsByCorrelationColumn) {
  const std::string out =
      decorrelated("SELECT id, (SELECT count(*) FROM s WHERE s.id = t.id) AS n FROM t");
  // The count bug: a missing group gives 0.
  EXPECT_EQ(out,
            "Projection: t.id, CASE WHEN __sq_1.__present IS NULL THEN Int64(0) ELSE "
            "__sq_1.__value END AS n\n"
            "  Left Join: t.id = __sq_1.__c0\n"
            "    TableScan: t\n"
            "    SubqueryAlias: __sq_1\n"
            "      Projection: count(*) AS __value, Boolean(true) AS __present, __corr2 AS __c0\n"
            "        Projection: count(Int64(1)) AS count(*), __corr1 AS __corr2\n"
            "          Aggregate: groupBy=[[s.id AS __corr1]], aggr=[[count(Int64(1))]]\n"
            "            TableScan: s");
}

TEST_F(DecorrelateTest, CorrelatedEqualityOnAnExpressionGroupsByTheExpression) {
  const std::string out =
      decorrelated("SELECT id, (SELECT count(*) FROM s WHERE s.id % 2 = t.id % 2) AS n FROM t");
  EXPECT_NE(out.find("AS __corr1]]"), std::string::npos) << out;
  EXPECT_EQ(out.find("groupBy=[[s.id]]"), std::string::npos) << out;
}

TEST_F(DecorrelateTest, ExistsOverCorrelatedAggregateWithoutGroupByIsTrue) {
  const std::string out =
      decorrelated("SELECT id FROM t WHERE EXISTS (SELECT count(*) FROM s WHERE s.id = t.id)");
  EXPECT_EQ(out.find("Join"), std::string::npos) << out;
}

TEST_F(DecorrelateTest, HavingOverCorrelatedAggregateIsAColumn) {
  const std::string out = decorrelated(
      "SELECT id, (SELECT count(*) FROM s WHERE s.id = t.id HAVING count(*) < 2) FROM t");
  EXPECT_NE(out.find("__having"), std::string::npos) << out;
  EXPECT_EQ(out.find("Filter"), std::string::npos) << out;
}

TEST_F(DecorrelateTest, UncorrelatedAggregateIsCrossJoin) {
  const std::string out = decorrelated("SELECT id FROM t WHERE x > (SELECT avg(y) FROM s)");
  EXPECT_NE(out.find("Cross"), std::string::npos) << out;
}

TEST_F(DecorrelateTest, UnsupportedShapesAreClearErrors) {
  EXPECT_NE(decorrelated("SELECT id FROM t WHERE EXISTS (SELECT 1 FROM s WHERE s.id = t.id) "
                         "OR x > 1")
                .find("correlated EXISTS subquery under OR"),
            std::string::npos);
  EXPECT_NE(decorrelated("SELECT id, (SELECT y FROM s WHERE s.id = t.id LIMIT 1) FROM t")
                .find("correlated reference below LIMIT"),
            std::string::npos);
}

TEST_F(DecorrelateTest, ScalarSubqueryOfSeveralRowsIsCheckedWhereUsed) {
  const std::string plan = decorrelated("SELECT id, (SELECT y FROM s) FROM t");
  EXPECT_NE(plan.find("__single_row_value("), std::string::npos) << plan;
  EXPECT_NE(plan.find("__subquery_rows(s.y)"), std::string::npos) << plan;
  const std::string one_row = decorrelated("SELECT id, (SELECT max(y) FROM s) FROM t");
  EXPECT_EQ(one_row.find("__single_row_value"), std::string::npos) << one_row;
}

}  // namespace
}  // namespace quiver::optimizer
