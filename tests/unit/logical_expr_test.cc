// Logical expressions: display names, schema resolution, type inference and coercion.

#include <arrow/scalar.h>
#include <arrow/type.h>
#include <gtest/gtest.h>

#include "quiver/logical/expr.h"
#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_schema.h"

namespace quiver::logical {
namespace {

ExprPtr i64(int64_t v) { return lit(std::make_shared<arrow::Int64Scalar>(v)); }
ExprPtr str(const std::string& v) { return lit(std::make_shared<arrow::StringScalar>(v)); }

PlanSchema table_schema() {
  return PlanSchema::from_arrow(
      *arrow::schema({arrow::field("a", arrow::int64()), arrow::field("i", arrow::int32()),
                      arrow::field("x", arrow::float64()), arrow::field("name", arrow::utf8()),
                      arrow::field("d", arrow::date32()),
                      arrow::field("RainToday", arrow::utf8())}),
      "t");
}

TEST(LogicalExprTest, ColumnsDisplayQualifiedOrNot) {
  EXPECT_EQ(col("a")->display_name(), "a");
  EXPECT_EQ(col("t.a")->display_name(), "t.a");
  EXPECT_EQ(col("t.a")->column.relation, std::optional<std::string>("t"));
  // A display name with a dot inside an expression is not split into a qualifier.
  EXPECT_FALSE(col("t.a + Int64(1)")->column.relation.has_value());
}

TEST(LogicalExprTest, LiteralsRenderLikeDataFusion) {
  EXPECT_EQ(i64(1)->display_name(), "Int64(1)");
  EXPECT_EQ(str("x")->display_name(), "Utf8(\"x\")");
  EXPECT_EQ(lit(std::make_shared<arrow::DoubleScalar>(1.5))->display_name(), "Float64(1.5)");
  EXPECT_EQ(lit(std::make_shared<arrow::BooleanScalar>(true))->display_name(), "Boolean(true)");
  EXPECT_EQ(lit(std::make_shared<arrow::NullScalar>())->display_name(), "NULL");
  EXPECT_EQ(lit(arrow::MakeNullScalar(arrow::int64()))->display_name(), "Int64(NULL)");
  EXPECT_EQ(lit(std::make_shared<arrow::Date32Scalar>(18262))->display_name(),
            "Date32(\"2020-01-01\")");
}

TEST(LogicalExprTest, CompoundExpressionsDisplayLikeDataFusion) {
  EXPECT_EQ(binary(col("t.a"), BinaryOp::kPlus, i64(1))->display_name(), "t.a + Int64(1)");
  EXPECT_EQ(scalar_function("upper", {col("t.name")})->display_name(), "upper(t.name)");
  EXPECT_EQ(aggregate_function("sum", {col("t.x")})->display_name(), "sum(t.x)");
  EXPECT_EQ(aggregate_function("count", {col("t.x")}, true)->display_name(), "count(DISTINCT t.x)");
  EXPECT_EQ(aggregate_function("count", {i64(1)})->display_name(), "count(Int64(1))");
  EXPECT_EQ(cast(col("t.a"), arrow::int32())->display_name(), "CAST(t.a AS Int32)");
  auto aliased = alias(binary(col("t.a"), BinaryOp::kGt, i64(1)), "big");
  EXPECT_EQ(aliased->display_name(), "big");
  EXPECT_EQ(aliased->to_string(), "t.a > Int64(1) AS big");
}

TEST(LogicalExprTest, NestedOperatorsKeepTheirGrouping) {
  auto sum = binary(col("t.a"), BinaryOp::kPlus, col("t.b"));
  EXPECT_EQ(binary(sum, BinaryOp::kMultiply, i64(2))->display_name(), "(t.a + t.b) * Int64(2)");
  EXPECT_EQ(binary(i64(2), BinaryOp::kMultiply, binary(col("t.a"), BinaryOp::kMultiply, i64(3)))
                ->display_name(),
            "Int64(2) * (t.a * Int64(3))");
  auto either = binary(binary(col("t.a"), BinaryOp::kEq, i64(1)), BinaryOp::kOr,
                       binary(col("t.a"), BinaryOp::kEq, i64(2)));
  EXPECT_EQ(binary(either, BinaryOp::kAnd, col("t.c"))->display_name(),
            "(t.a = Int64(1) OR t.a = Int64(2)) AND t.c");
}

TEST(LogicalExprTest, WalksSeeEveryOperand) {
  auto e = std::make_shared<Expr>();
  e->kind = ExprKind::kCase;
  e->when_then.emplace_back(binary(col("t.a"), BinaryOp::kGt, i64(1)),
                            aggregate_function("sum", {col("t.b")}));
  e->case_else = col("t.c");
  EXPECT_EQ(e->display_name(), "CASE WHEN t.a > Int64(1) THEN sum(t.b) ELSE t.c END");
  EXPECT_TRUE(contains_aggregate(*e));
  const auto columns = referenced_columns(*e);
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[2].flat_name(), "t.c");
  auto children = expr_children(*e);
  children.back() = col("t.d");
  EXPECT_EQ(with_children(*e, children)->display_name(),
            "CASE WHEN t.a > Int64(1) THEN sum(t.b) ELSE t.d END");
}

TEST(PlanSchemaTest, ResolvesExactNamesOnly) {
  const PlanSchema schema = table_schema();
  EXPECT_EQ(*schema.index_of(Column{std::nullopt, "RainToday"}), 5);
  EXPECT_EQ(*schema.index_of(Column{"t", "a"}), 0);
  auto missing = schema.index_of(Column{std::nullopt, "raintoday"});
  ASSERT_TRUE(missing.status().IsInvalid());
  EXPECT_EQ(missing.status().message(),
            "column \"raintoday\" does not exist (did you mean 'RainToday'? quote it as "
            "\"RainToday\": unquoted names are lower-cased)");
  auto typo = schema.index_of(Column{std::nullopt, "nam"});
  EXPECT_EQ(typo.status().message(), "column \"nam\" does not exist (did you mean 'name'?)");
  auto swapped = schema.index_of(Column{std::nullopt, "nmae"});
  EXPECT_EQ(swapped.status().message(), "column \"nmae\" does not exist (did you mean 'name'?)");
  EXPECT_FALSE(schema.index_of(Column{"u", "a"}).ok());
}

TEST(PlanSchemaTest, AmbiguousNamesNameBothQualifiers) {
  const PlanSchema both = PlanSchema::concat(
      table_schema(),
      PlanSchema::from_arrow(*arrow::schema({arrow::field("a", arrow::int64())}), "u"));
  EXPECT_EQ(both.find(Column{std::nullopt, "a"}), -1);
  auto ambiguous = both.index_of(Column{std::nullopt, "a"});
  ASSERT_TRUE(ambiguous.status().IsInvalid());
  EXPECT_NE(ambiguous.status().message().find("ambiguous"), std::string::npos);
  EXPECT_NE(ambiguous.status().message().find("\"t\""), std::string::npos);
  EXPECT_NE(ambiguous.status().message().find("\"u\""), std::string::npos);
  EXPECT_EQ(*both.index_of(Column{"u", "a"}), 6);
}

TEST(ExprTypeTest, InfersTypesAndFields) {
  const PlanSchema schema = table_schema();
  EXPECT_TRUE(
      (*expr_type(*binary(col("t.i"), BinaryOp::kPlus, i64(1)), schema))->Equals(*arrow::int64()));
  EXPECT_TRUE((*expr_type(*binary(col("t.i"), BinaryOp::kPlus, col("t.x")), schema))
                  ->Equals(*arrow::float64()));
  EXPECT_TRUE(
      (*expr_type(*binary(col("t.a"), BinaryOp::kLt, i64(1)), schema))->Equals(*arrow::boolean()));
  auto field = *expr_to_field(*col("t.a"), schema);
  EXPECT_EQ(field.flat_name(), "t.a");
  auto computed = *expr_to_field(*binary(col("t.a"), BinaryOp::kPlus, i64(1)), schema);
  EXPECT_FALSE(computed.qualifier.has_value());
  EXPECT_EQ(computed.field->name(), "t.a + Int64(1)");
  EXPECT_FALSE(expr_type(*binary(col("t.name"), BinaryOp::kPlus, i64(1)), schema).ok());
}

TEST(ExprTypeTest, CoercionRules) {
  EXPECT_TRUE((*comparison_coercion(arrow::int32(), arrow::int64()))->Equals(*arrow::int64()));
  EXPECT_TRUE((*comparison_coercion(arrow::int64(), arrow::float32()))->Equals(*arrow::float64()));
  EXPECT_TRUE((*comparison_coercion(arrow::utf8(), arrow::date32()))->Equals(*arrow::date32()));
  EXPECT_TRUE((*comparison_coercion(arrow::null(), arrow::utf8()))->Equals(*arrow::utf8()));
  EXPECT_TRUE(
      (*unify_types({arrow::null(), arrow::int16(), arrow::int64()}))->Equals(*arrow::int64()));
  EXPECT_TRUE((*unify_types({arrow::null()}))->Equals(*arrow::null()));
  EXPECT_FALSE(unify_types({arrow::utf8(), arrow::int64()}).ok());
  EXPECT_FALSE(comparison_coercion(arrow::boolean(), arrow::date32()).ok());
}

TEST(ExprTypeTest, CoerceInsertsCastsAndFoldsLiterals) {
  const PlanSchema schema = table_schema();
  auto coerce = [&](const ExprPtr& e) { return (*coerce_expr(e, schema))->to_string(); };
  // A literal that fits the column's type is folded; the column is not cast.
  EXPECT_EQ(coerce(binary(col("t.i"), BinaryOp::kEq, i64(5))), "t.i = Int32(5)");
  EXPECT_EQ(coerce(binary(col("t.i"), BinaryOp::kEq, i64(5000000000))),
            "CAST(t.i AS Int64) = Int64(5000000000)");
  EXPECT_EQ(coerce(binary(col("t.i"), BinaryOp::kPlus, col("t.a"))), "CAST(t.i AS Int64) + t.a");
  EXPECT_EQ(coerce(binary(col("t.d"), BinaryOp::kGt, str("2020-01-01"))),
            "t.d > Date32(\"2020-01-01\")");
  EXPECT_EQ(coerce(binary(col("t.x"), BinaryOp::kGt, i64(1))), "t.x > Float64(1)");

  auto in_list = std::make_shared<Expr>();
  in_list->kind = ExprKind::kInList;
  in_list->args = {col("t.i"), i64(1), lit(std::make_shared<arrow::NullScalar>())};
  EXPECT_EQ(coerce(in_list), "t.i IN ([Int32(1), Int32(NULL)])");

  auto case_expr = std::make_shared<Expr>();
  case_expr->kind = ExprKind::kCase;
  case_expr->when_then.emplace_back(binary(col("t.a"), BinaryOp::kGt, i64(1)), col("t.i"));
  case_expr->case_else = col("t.x");
  EXPECT_EQ(coerce(case_expr), "CASE WHEN t.a > Int64(1) THEN CAST(t.i AS Float64) ELSE t.x END");

  auto bad_not = std::make_shared<Expr>();
  bad_not->kind = ExprKind::kNot;
  bad_not->args = {col("t.name")};
  auto status = coerce_expr(bad_not, schema).status();
  EXPECT_TRUE(status.IsInvalid());
  EXPECT_NE(status.message().find("Boolean"), std::string::npos);
}

}  // namespace
}  // namespace quiver::logical
