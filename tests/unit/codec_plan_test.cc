// The physical plan codec: built-in nodes and expressions round-trip (same display, same rows),
// user nodes cross through their PhysicalExtensionCodec, and what no codec knows fails cleanly.

#include <arrow/array.h>
#include <arrow/table.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec.h"
#include "custom_execution_plan/numbers_exec_codec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "exec_fixtures.h"
#include "quiver/catalog/session_context.h"
#include "quiver/datasource/data_source_exec.h"
#include "quiver/datasource/memory_source.h"
#include "quiver/distributed/codec/plan_codec.h"
#include "quiver/exec/aggregate/aggregate_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/limit/global_limit_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/exec/sort/sort_exec.h"
#include "quiver/exec/source/values_exec.h"
#include "quiver/exec/union/union_exec.h"
#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/case_expr.h"
#include "quiver/physical/expr/cast_expr.h"
#include "quiver/physical/expr/in_list_expr.h"
#include "quiver/physical/expr/like_expr.h"
#include "quiver/physical/expr/literal_expr.h"
#include "quiver/physical/expr/scalar_function_expr.h"
#include "quiver/physical/expr/truth_test_expr.h"

namespace quiver::distributed::codec {
namespace {

using exec::testing::col;
using exec::testing::int64s;
using exec::testing::make_context;
using exec::testing::strings;
using physical::ExecutionPlanPtr;

// Returns the rows of a table as sorted text lines (order-insensitive comparison).
std::vector<std::string> sorted_rows(const arrow::Table& table) {
  std::vector<std::string> rows(static_cast<size_t>(table.num_rows()));
  for (int c = 0; c < table.num_columns(); ++c) {
    int64_t row = 0;
    for (const auto& chunk : table.column(c)->chunks()) {
      for (int64_t i = 0; i < chunk->length(); ++i, ++row) {
        rows[static_cast<size_t>(row)] += chunk->GetScalar(i).ValueOrDie()->ToString() + "|";
      }
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Encodes and decodes `plan`, checks display and rows agree, and returns the decoded plan.
ExecutionPlanPtr round_trip(const ExecutionPlanPtr& plan, const ExtensionCodecs& codecs = {}) {
  auto bytes = encode_plan(*plan, codecs);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  if (!bytes.ok()) return nullptr;
  auto decoded = decode_plan(*bytes, codecs);
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  if (!decoded.ok()) return nullptr;
  EXPECT_EQ(physical::display_plan(**decoded), physical::display_plan(*plan));
  EXPECT_TRUE((*decoded)->schema()->Equals(*plan->schema(), /*check_metadata=*/true));
  auto expected = physical::collect(plan, make_context());
  auto actual = physical::collect(*decoded, make_context());
  EXPECT_TRUE(expected.ok()) << expected.status().ToString();
  EXPECT_TRUE(actual.ok()) << actual.status().ToString();
  if (expected.ok() && actual.ok()) EXPECT_EQ(sorted_rows(**actual), sorted_rows(**expected));
  return *decoded;
}

std::shared_ptr<arrow::Schema> people_schema() {
  return arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
}

// A memory scan of two partitions over (id, name).
ExecutionPlanPtr people_scan(std::optional<std::vector<int>> projection = std::nullopt) {
  auto schema = people_schema();
  auto b1 = arrow::RecordBatch::Make(schema, 3,
                                     {int64s({1, 2, std::nullopt}), strings({"ann", "bob", "cy"})});
  auto b2 = arrow::RecordBatch::Make(schema, 2, {int64s({4, 5}), strings({"dee", std::nullopt})});
  auto source =
      datasource::MemorySource::Make(schema, {{b1}, {b2}}, std::move(projection)).ValueOrDie();
  return std::make_shared<datasource::DataSourceExec>(source);
}

TEST(CodecPlanTest, MemoryScanWithProjectionRoundTrips) {
  auto decoded = round_trip(people_scan(std::vector<int>{1}));
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(decoded->schema()->num_fields(), 1);
  EXPECT_EQ(decoded->output_partitions(), 2);
}

TEST(CodecPlanTest, FilterProjectionAndExpressionsRoundTrip) {
  auto scan = people_scan();
  const auto& schema = *scan->schema();
  auto in_list = physical::make_in_list(col("id", 0),
                                        {physical::make_literal(arrow::MakeScalar(int64_t{1})),
                                         physical::make_literal(arrow::MakeScalar(int64_t{4}))},
                                        /*negated=*/true, schema)
                     .ValueOrDie();
  auto predicate = physical::make_binary(
      physical::make_binary(col("id", 0), logical::BinaryOp::kGt,
                            physical::make_literal(arrow::MakeScalar(int64_t{0}))),
      logical::BinaryOp::kOr, physical::make_is_true(in_list));
  auto filter = exec::FilterExec::Make(predicate, scan).ValueOrDie();
  auto upper = physical::make_scalar_function("upper", {col("name", 1)}, schema).ValueOrDie();
  auto case_expr =
      physical::make_case(
          nullptr,
          {{physical::make_like(col("name", 1), physical::make_literal(arrow::MakeScalar("b%"))),
            physical::make_literal(arrow::MakeScalar("B"))}},
          physical::make_cast(col("id", 0), arrow::utf8()), schema)
          .ValueOrDie();
  auto projection =
      exec::ProjectionExec::Make({{upper, "upper_name"},
                                  {case_expr, "tag"},
                                  {physical::make_try_cast(col("name", 1), arrow::int32()), "n"}},
                                 filter)
          .ValueOrDie();
  auto decoded = round_trip(projection);
  ASSERT_NE(decoded, nullptr);
  EXPECT_NE(physical::display_plan(*decoded).find("upper(name@1)"), std::string::npos);
}

TEST(CodecPlanTest, AggregateRepartitionSortAndLimitRoundTrip) {
  auto scan = people_scan();
  auto partial =
      exec::AggregateExec::Make(exec::AggregateMode::kPartial, {{col("name", 1), "name"}},
                                {{"count", {col("id", 0)}, false, nullptr, "count(id)"},
                                 {"avg", {col("id", 0)}, false, nullptr, "avg(id)"}},
                                scan)
          .ValueOrDie();
  auto repartition =
      exec::RepartitionExec::Make(partial, physical::Partitioning::hash({col("name", 0)}, 3))
          .ValueOrDie();
  auto final_agg =
      exec::AggregateExec::Make(exec::AggregateMode::kFinalPartitioned, {{col("name", 0), "name"}},
                                {{"count", {col("id", 0)}, false, nullptr, "count(id)"},
                                 {"avg", {col("id", 0)}, false, nullptr, "avg(id)"}},
                                repartition, scan->schema())
          .ValueOrDie();
  auto sort = exec::SortExec::Make({{col("name", 0), false, true}}, final_agg,
                                   /*preserve_partitioning=*/false, int64_t{3})
                  .ValueOrDie();
  auto limit = exec::GlobalLimitExec::Make(sort, 1, std::nullopt).ValueOrDie();
  round_trip(limit);
}

TEST(CodecPlanTest, UnionValuesAndCoalesceRoundTrip) {
  auto schema =
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8())});
  auto values =
      exec::ValuesExec::from_rows(
          schema, {{arrow::MakeScalar(int64_t{7}), arrow::MakeScalar("z")},
                   {arrow::MakeNullScalar(arrow::int64()), arrow::MakeNullScalar(arrow::utf8())}})
          .ValueOrDie();
  auto union_all = exec::UnionExec::Make({people_scan(), values}).ValueOrDie();
  auto coalesce = exec::CoalescePartitionsExec::Make(union_all).ValueOrDie();
  round_trip(coalesce);
}

TEST(CodecPlanTest, UnknownNodeFailsNamingIt) {
  auto schema = exec::testing::int64_schema({"a"});
  auto leaf = std::make_shared<exec::testing::TestSourceExec>(
      schema, std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{{}});
  auto filter = exec::FilterExec::Make(
                    physical::make_binary(col("a", 0), logical::BinaryOp::kEq,
                                          physical::make_literal(arrow::MakeScalar(int64_t{1}))),
                    leaf)
                    .ValueOrDie();
  auto bytes = encode_plan(*filter);
  ASSERT_FALSE(bytes.ok());
  EXPECT_TRUE(bytes.status().IsNotImplemented());
  EXPECT_NE(bytes.status().message().find("no codec for node TestSourceExec"), std::string::npos)
      << bytes.status().ToString();
}

// An expression type the codec does not know (a user's own PhysicalExpr).
class DoubledExpr final : public physical::PhysicalExpr {
 public:
  arrow::Result<std::shared_ptr<arrow::DataType>> data_type(const arrow::Schema&) const override {
    return arrow::int64();
  }
  arrow::Result<bool> nullable(const arrow::Schema&) const override { return true; }
  arrow::Result<arrow::Datum> evaluate(const arrow::RecordBatch& batch) const override {
    return batch.column(0);
  }
  std::vector<physical::PhysicalExprPtr> children() const override { return {}; }
  arrow::Result<physical::PhysicalExprPtr> with_new_children(
      std::vector<physical::PhysicalExprPtr>) const override {
    return std::make_shared<DoubledExpr>();
  }
  std::string to_string() const override { return "doubled(a)"; }
};

TEST(CodecPlanTest, UnknownExpressionFailsNamingIt) {
  auto projection =
      exec::ProjectionExec::Make({{std::make_shared<DoubledExpr>(), "d"}}, people_scan())
          .ValueOrDie();
  auto bytes = encode_plan(*projection);
  ASSERT_FALSE(bytes.ok());
  EXPECT_TRUE(bytes.status().IsNotImplemented());
  EXPECT_NE(bytes.status().message().find("no codec for expression doubled(a)"), std::string::npos)
      << bytes.status().ToString();
}

TEST(CodecPlanTest, NumbersExecCrossesThroughItsExtensionCodec) {
  ExtensionCodecs codecs{std::make_shared<examples::NumbersExecCodec>()};
  auto numbers = examples::NumbersExec::Make({{0, 6}, {6, 11}}).ValueOrDie();
  auto filter = exec::FilterExec::Make(
                    physical::make_binary(col("number", 0), logical::BinaryOp::kGtEq,
                                          physical::make_literal(arrow::MakeScalar(int64_t{3}))),
                    numbers)
                    .ValueOrDie();
  auto decoded = round_trip(filter, codecs);
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(decoded->children()[0]->display(), "NumbersExec: t0:[0-6), t1:[6-11)");

  // Without the codec on the encoding side the node is unknown...
  auto no_codec = encode_plan(*filter);
  ASSERT_FALSE(no_codec.ok());
  EXPECT_NE(no_codec.status().message().find("no codec for node NumbersExec"), std::string::npos);
  // ...and without it on the decoding side too.
  auto bytes = encode_plan(*filter, codecs).ValueOrDie();
  auto missing = decode_plan(bytes);
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotImplemented());
  EXPECT_NE(missing.status().message().find("NumbersExec"), std::string::npos);
}

TEST(CodecPlanTest, NumbersQueryThroughSqlRoundTrips) {
  auto session = catalog::SessionContext::Make();
  ASSERT_TRUE(session->register_config_extension(examples::NumbersConfig{}).ok());
  ASSERT_TRUE(
      session
          ->register_table_function("numbers", std::make_shared<examples::NumbersTableFunction>())
          .ok());
  auto frame =
      session->sql("SELECT number % 3 AS k, count(*) FROM numbers(0, 50) GROUP BY k").ValueOrDie();
  auto plan = frame->physical_plan().ValueOrDie();
  round_trip(plan, {std::make_shared<examples::NumbersExecCodec>()});
}

TEST(CodecPlanTest, MalformedBytesAreAnError) {
  auto decoded = decode_plan("\xff\xff\xff not a plan");
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.status().IsInvalid()) << decoded.status().ToString();
  auto numbers = examples::NumbersExecCodec().try_decode("NumbersExec", "\x01\x05", {});
  ASSERT_FALSE(numbers.ok());
  EXPECT_TRUE(numbers.status().IsInvalid());
}

}  // namespace
}  // namespace quiver::distributed::codec
