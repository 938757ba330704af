// Logical plan builders (schemas, validation) and the plan display.

#include <arrow/scalar.h>
#include <arrow/type.h>
#include <gtest/gtest.h>

#include "quiver/catalog/table_provider.h"
#include "quiver/logical/plan_builder.h"

namespace quiver::logical {
namespace {

class UnscannableTable : public catalog::TableProvider {
 public:
  explicit UnscannableTable(std::shared_ptr<arrow::Schema> schema) : schema_(std::move(schema)) {}
  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
  arrow::Result<physical::ExecutionPlanPtr> scan(const catalog::ScanArgs&) const override {
    return arrow::Status::NotImplemented("not scanned in plan tests");
  }

 private:
  std::shared_ptr<arrow::Schema> schema_;
};

ExprPtr i64(int64_t v) { return lit(std::make_shared<arrow::Int64Scalar>(v)); }

LogicalPlanPtr scan_t() {
  auto table = std::make_shared<UnscannableTable>(
      arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::int32()),
                     arrow::field("c", arrow::utf8())}));
  return *make_table_scan("t", table);
}

TEST(LogicalPlanTest, TableScanSchemaAndDisplay) {
  auto scan = scan_t();
  EXPECT_EQ(scan->display(), "TableScan: t");
  EXPECT_EQ(scan->schema.num_fields(), 3);
  EXPECT_EQ(scan->schema.field(1).flat_name(), "t.b");
  auto narrowed = *make_table_scan("t", scan->table, std::vector<int>{0, 2},
                                   {binary(col("t.a"), BinaryOp::kGt, i64(1))}, 5);
  EXPECT_EQ(narrowed->display(),
            "TableScan: t projection=[a, c], filters=[t.a > Int64(1)], fetch=5");
  ASSERT_EQ(narrowed->schema.num_fields(), 2);
  EXPECT_EQ(narrowed->schema.field(1).flat_name(), "t.c");
  EXPECT_FALSE(make_table_scan("t", scan->table, std::vector<int>{3}).ok());
}

TEST(LogicalPlanTest, BuildsAQueryAndDisplaysItIndented) {
  auto filter = *make_filter(scan_t(), binary(col("t.a"), BinaryOp::kGt, i64(1)));
  auto aggregate = *make_aggregate(filter, {col("t.c")}, {aggregate_function("count", {i64(1)})});
  ASSERT_EQ(aggregate->schema.num_fields(), 2);
  EXPECT_EQ(aggregate->schema.field(0).flat_name(), "t.c");
  EXPECT_EQ(aggregate->schema.field(1).field->name(), "count(Int64(1))");
  auto projection = *make_projection(
      aggregate, {col("t.c"), alias(col(std::nullopt, "count(Int64(1))"), "count(*)")});
  auto sort = *make_sort(
      projection, {SortExpr{col("t.c"), true, false}, SortExpr{col("count(*)"), false, true}});
  auto limit = *make_limit(sort, 0, 10);
  EXPECT_EQ(limit->display_indent(),
            "Limit: skip=0, fetch=10\n"
            "  Sort: t.c ASC NULLS LAST, count(*) DESC NULLS FIRST\n"
            "    Projection: t.c, count(Int64(1)) AS count(*)\n"
            "      Aggregate: groupBy=[[t.c]], aggr=[[count(Int64(1))]]\n"
            "        Filter: t.a > Int64(1)\n"
            "          TableScan: t");
  EXPECT_EQ(limit->schema.field(1).field->name(), "count(*)");
  EXPECT_EQ((*make_limit(scan_t(), 3, std::nullopt))->display(), "Limit: skip=3, fetch=None");
}

TEST(LogicalPlanTest, BuildersValidate) {
  auto not_boolean = make_filter(scan_t(), col("t.a"));
  ASSERT_TRUE(not_boolean.status().IsInvalid());
  EXPECT_NE(not_boolean.status().message().find("Boolean"), std::string::npos);
  EXPECT_FALSE(
      make_filter(scan_t(), binary(aggregate_function("count", {i64(1)}), BinaryOp::kGt, i64(1)))
          .ok());
  EXPECT_FALSE(make_projection(scan_t(), {col("t.zzz")}).ok());
  EXPECT_FALSE(make_aggregate(scan_t(), {}, {col("t.a")}).ok());
  EXPECT_FALSE(make_limit(scan_t(), -1, std::nullopt).ok());
}

TEST(LogicalPlanTest, SubqueryAliasRequalifies) {
  auto aliased = *make_subquery_alias(scan_t(), "x");
  EXPECT_EQ(aliased->schema.field(0).flat_name(), "x.a");
  EXPECT_EQ(aliased->display_indent(), "SubqueryAlias: x\n  TableScan: t");
  auto projection = *make_projection(aliased, {col("x.a")});
  EXPECT_EQ(projection->display(), "Projection: x.a");
  EXPECT_FALSE(make_projection(aliased, {col("t.a")}).ok());
}

TEST(LogicalPlanTest, ValuesUnifyColumnTypes) {
  auto values = *make_values({{i64(1), lit(std::make_shared<arrow::NullScalar>())},
                              {lit(std::make_shared<arrow::DoubleScalar>(2.5)),
                               lit(std::make_shared<arrow::StringScalar>("b"))}});
  EXPECT_EQ(values->display(), "Values: (Float64(1), Utf8(NULL)), (Float64(2.5), Utf8(\"b\"))");
  EXPECT_EQ(values->schema.field(0).field->name(), "column1");
  EXPECT_TRUE(values->schema.field(0).field->type()->Equals(*arrow::float64()));
  EXPECT_FALSE(values->schema.field(0).field->nullable());
  EXPECT_TRUE(values->schema.field(1).field->nullable());
  EXPECT_FALSE(make_values({{i64(1)}, {i64(1), i64(2)}}).ok());
  EXPECT_FALSE(make_values({{i64(1)}, {lit(std::make_shared<arrow::StringScalar>("x"))}}).ok());
}

TEST(LogicalPlanTest, UnionUnifiesTypesByPosition) {
  auto left = *make_projection(scan_t(), {col("t.a")});
  auto right = *make_projection(scan_t(), {col("t.b")});
  auto u = *make_union({left, right});
  EXPECT_EQ(u->schema.field(0).flat_name(), "a");
  EXPECT_TRUE(u->schema.field(0).field->type()->Equals(*arrow::int64()));
  EXPECT_EQ(u->display_indent(),
            "Union\n"
            "  Projection: t.a\n"
            "    TableScan: t\n"
            "  Projection: CAST(t.b AS Int64) AS b\n"
            "    Projection: t.b\n"
            "      TableScan: t");
  auto wide = *make_projection(scan_t(), {col("t.a"), col("t.b")});
  EXPECT_FALSE(make_union({left, wide}).ok());
  auto text = *make_projection(scan_t(), {col("t.c")});
  EXPECT_FALSE(make_union({left, text}).ok());
  auto distinct = *make_distinct(u);
  EXPECT_EQ(distinct->display(), "Aggregate: groupBy=[[a]], aggr=[[]]");
  // Rebuilding over the (already cast) inputs gives the same schema.
  auto rebuilt = *with_new_inputs(*u, u->inputs);
  EXPECT_EQ(rebuilt->schema.to_arrow()->ToString(), u->schema.to_arrow()->ToString());
  EXPECT_EQ(rebuilt->display_indent(), u->display_indent());
}

TEST(LogicalPlanTest, WithNewInputsRecomputesTheSchema) {
  auto projection = *make_projection(scan_t(), {col("t.a")});
  auto aliased = *make_subquery_alias(scan_t(), "t");
  auto rebuilt = *with_new_inputs(*projection, {aliased});
  EXPECT_EQ(rebuilt->display_indent(), "Projection: t.a\n  SubqueryAlias: t\n    TableScan: t");
  EXPECT_FALSE(with_new_inputs(*projection, {}).ok());
  auto empty = make_empty_relation(true);
  EXPECT_EQ(empty->display(), "EmptyRelation: rows=1");
  EXPECT_EQ(empty->schema.num_fields(), 0);
}

}  // namespace
}  // namespace quiver::logical

namespace quiver::logical {
namespace {

TEST(LogicalPlanTest, UnionColumnsBelongToNoTable) {
  auto u = *make_union({scan_t(), scan_t()});
  EXPECT_FALSE(u->schema.field(0).qualifier.has_value());
  // Validation reaches operands under boolean-valued nodes.
  EXPECT_FALSE(make_filter(u, binary(col("t.a"), BinaryOp::kGt, i64(1))).ok());
  EXPECT_TRUE(make_filter(u, binary(col("a"), BinaryOp::kGt, i64(1))).ok());
  auto is_null = std::make_shared<Expr>();
  is_null->kind = ExprKind::kIsNull;
  is_null->args = {col("t.zzz")};
  EXPECT_FALSE(make_filter(scan_t(), is_null).ok());
}

}  // namespace
}  // namespace quiver::logical
