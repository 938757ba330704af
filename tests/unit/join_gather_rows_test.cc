// gather_rows: the join's row gather agrees with Arrow's Take for every column kind, NULL rows
// (kGatherNullRow), repeated and unordered indices, and sliced inputs.

#include <arrow/array/builder_decimal.h>
#include <arrow/builder.h>
#include <arrow/compute/api_vector.h>
#include <gtest/gtest.h>

#include "exec_fixtures.h"
#include "quiver/exec/join/gather_rows.h"

namespace quiver::exec {
namespace {

std::shared_ptr<arrow::RecordBatch> mixed_batch() {
  arrow::Int64Builder i64;
  arrow::Int32Builder i32;
  arrow::DoubleBuilder f64;
  arrow::BooleanBuilder b;
  arrow::StringBuilder s;
  arrow::Decimal128Builder d(arrow::decimal128(12, 2));
  arrow::Int8Builder i8;
  for (int i = 0; i < 20; ++i) {
    if (i % 4 == 1) {
      (void)i64.AppendNull();
      (void)s.AppendNull();
      (void)d.AppendNull();
    } else {
      (void)i64.Append(i * 1000);
      (void)s.Append("row" + std::to_string(i));
      (void)d.Append(arrow::Decimal128(i * 12345));
    }
    (void)i32.Append(-i);
    (void)f64.Append(i / 3.0);
    (void)b.Append(i % 3 == 0);
    (void)i8.Append(static_cast<int8_t>(i));
  }
  auto schema =
      arrow::schema({arrow::field("i64", arrow::int64()), arrow::field("i32", arrow::int32()),
                     arrow::field("f64", arrow::float64()), arrow::field("b", arrow::boolean()),
                     arrow::field("s", arrow::utf8()), arrow::field("d", arrow::decimal128(12, 2)),
                     arrow::field("i8", arrow::int8())});
  return arrow::RecordBatch::Make(
      schema, 20,
      {i64.Finish().ValueOrDie(), i32.Finish().ValueOrDie(), f64.Finish().ValueOrDie(),
       b.Finish().ValueOrDie(), s.Finish().ValueOrDie(), d.Finish().ValueOrDie(),
       i8.Finish().ValueOrDie()});
}

void expect_like_take(const arrow::RecordBatch& batch, const std::vector<uint32_t>& indices) {
  QUIVER_ASSIGN_OR_FAIL(got,
                        gather_rows(batch, indices.data(), static_cast<int64_t>(indices.size())));
  arrow::UInt32Builder builder;
  for (const uint32_t i : indices) {
    if (i == kGatherNullRow) {
      ASSERT_TRUE(builder.AppendNull().ok());
    } else {
      ASSERT_TRUE(builder.Append(i).ok());
    }
  }
  auto index_array = builder.Finish().ValueOrDie();
  ASSERT_EQ(got.size(), static_cast<size_t>(batch.num_columns()));
  for (int c = 0; c < batch.num_columns(); ++c) {
    auto want = arrow::compute::Take(batch.column(c), index_array).ValueOrDie();
    ASSERT_TRUE(got[static_cast<size_t>(c)]->ValidateFull().ok());
    EXPECT_TRUE(got[static_cast<size_t>(c)]->Equals(*want.make_array()))
        << batch.schema()->field(c)->name() << ": " << got[static_cast<size_t>(c)]->ToString()
        << " vs " << want.make_array()->ToString();
  }
}

TEST(JoinGatherRowsTest, AgreesWithTake) {
  const auto batch = mixed_batch();
  expect_like_take(*batch, {3, 1, 1, 19, 0, 5, 2});
  expect_like_take(*batch, {kGatherNullRow, 4, kGatherNullRow, 1, 7});
  expect_like_take(*batch, {kGatherNullRow});
  expect_like_take(*batch, {});
  // A slice: row i of the slice is row i + 5 of the batch.
  const auto sliced = batch->Slice(5, 10);
  expect_like_take(*sliced, {0, 9, 3, kGatherNullRow, 4, 4});
}

}  // namespace
}  // namespace quiver::exec
