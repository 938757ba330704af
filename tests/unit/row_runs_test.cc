// RowRuns / gather_runs (FilterExec's materialization of the kept rows) agree with Arrow's
// Filter for all-true, all-false, single-run and mixed selections, on sliced inputs and every
// column type it copies itself (fixed width, Decimal128, boolean, utf8, large utf8, binary) plus
// one it leaves to Arrow's Take (a list); all-true is the input itself, one run a zero-copy slice.
#include "quiver/exec/filter/row_runs.h"

#include <arrow/api.h>
#include <arrow/compute/api_vector.h>
#include <gtest/gtest.h>

#include <random>

namespace quiver::exec {
namespace {

// A column of `type` with `n` random values, about a quarter NULL when `nulls`.
std::shared_ptr<arrow::Array> random_column(const std::shared_ptr<arrow::DataType>& type, int64_t n,
                                            bool nulls, uint32_t seed) {
  std::mt19937 rng(seed);
  std::unique_ptr<arrow::ArrayBuilder> builder;
  EXPECT_TRUE(arrow::MakeBuilder(arrow::default_memory_pool(), type, &builder).ok());
  for (int64_t i = 0; i < n; ++i) {
    if (nulls && rng() % 4 == 0) {
      EXPECT_TRUE(builder->AppendNull().ok());
      continue;
    }
    const int64_t v = static_cast<int64_t>(rng() % 100000) - 50000;
    std::shared_ptr<arrow::Scalar> scalar;
    switch (type->id()) {
      case arrow::Type::BOOL:
        scalar = arrow::MakeScalar(v % 2 == 0);
        break;
      case arrow::Type::DECIMAL128:
        scalar = std::make_shared<arrow::Decimal128Scalar>(arrow::Decimal128(v) * 1000003, type);
        break;
      case arrow::Type::STRING:
      case arrow::Type::LARGE_STRING:
      case arrow::Type::BINARY:
      case arrow::Type::LARGE_BINARY:
        scalar = arrow::MakeScalar(type, std::string(static_cast<size_t>(v & 15), 'a' + v % 26))
                     .ValueOrDie();
        break;
      case arrow::Type::LIST:
        scalar = std::make_shared<arrow::ListScalar>(
            arrow::MakeArrayFromScalar(arrow::Int32Scalar(static_cast<int32_t>(v)), v & 3)
                .ValueOrDie());
        break;
      default:
        scalar = arrow::MakeScalar(arrow::int64(), v).ValueOrDie()->CastTo(type).ValueOrDie();
    }
    EXPECT_TRUE(builder->AppendScalar(*scalar).ok());
  }
  return builder->Finish().ValueOrDie();
}

std::vector<std::shared_ptr<arrow::DataType>> types() {
  return {arrow::int8(),
          arrow::int16(),
          arrow::int32(),
          arrow::int64(),
          arrow::float64(),
          arrow::date32(),
          arrow::boolean(),
          arrow::decimal128(15, 2),
          arrow::utf8(),
          arrow::large_utf8(),
          arrow::binary(),
          arrow::large_binary(),
          arrow::list(arrow::int32())};
}

// Selections over `n` rows: all, none, one run, every other row, long runs, random 98%.
std::vector<std::vector<bool>> selections(int64_t n) {
  std::mt19937 rng(3);
  std::vector<std::vector<bool>> out(6, std::vector<bool>(static_cast<size_t>(n)));
  for (int64_t i = 0; i < n; ++i) {
    const auto k = static_cast<size_t>(i);
    out[0][k] = true;
    out[1][k] = false;
    out[2][k] = i >= n / 3 && i < n / 2;
    out[3][k] = i % 2 == 0;
    out[4][k] = (i / 37) % 3 != 1;
    out[5][k] = rng() % 50 != 0;
  }
  return out;
}

std::shared_ptr<arrow::BooleanArray> mask_of(const std::vector<bool>& keep) {
  arrow::BooleanBuilder builder;
  for (bool k : keep) EXPECT_TRUE(builder.Append(k).ok());
  return std::static_pointer_cast<arrow::BooleanArray>(builder.Finish().ValueOrDie());
}

TEST(RowRunsTest, GatherAgreesWithArrowFilter) {
  for (const auto& type : types()) {
    for (bool nulls : {false, true}) {
      const auto full = random_column(type, 700, nulls, 9);
      for (const auto& column : {full, full->Slice(13, 600)}) {
        for (const auto& keep : selections(column->length())) {
          const auto mask = mask_of(keep);
          const RowRuns runs = RowRuns::from_bitmap(mask->values()->data(), 0, mask->length());
          auto ours = gather_runs(column, runs).ValueOrDie();
          auto reference = arrow::compute::Filter(column, mask).ValueOrDie().make_array();
          ASSERT_TRUE(ours->ValidateFull().ok()) << type->ToString();
          ASSERT_TRUE(ours->Equals(*reference))
              << type->ToString() << " nulls=" << nulls << " offset=" << column->offset();
          ASSERT_EQ(ours->null_count(), reference->null_count());
          // The same rows given as positions.
          std::vector<int32_t> rows;
          for (size_t i = 0; i < keep.size(); ++i) {
            if (keep[i]) rows.push_back(static_cast<int32_t>(i));
          }
          auto by_rows = gather_runs(column, RowRuns::from_indices(rows)).ValueOrDie();
          ASSERT_TRUE(by_rows->Equals(*reference)) << type->ToString();
        }
      }
    }
  }
}

TEST(RowRunsTest, AllRowsAreZeroCopyAndOneRunIsASlice) {
  auto column = random_column(arrow::decimal128(15, 2), 100, true, 4);
  auto batch =
      arrow::RecordBatch::Make(arrow::schema({arrow::field("d", column->type())}), 100, {column});
  std::vector<bool> all(100, true);
  auto mask = mask_of(all);
  RowRuns runs = RowRuns::from_bitmap(mask->values()->data(), 0, 100);
  EXPECT_EQ(gather_runs(batch, runs).ValueOrDie(), batch);
  EXPECT_EQ(gather_runs(column, runs).ValueOrDie(), column);
  runs = RowRuns::from_indices({10, 11, 12, 13});
  auto slice = gather_runs(batch, runs).ValueOrDie();
  EXPECT_EQ(slice->num_rows(), 4);
  EXPECT_EQ(slice->column(0)->data()->buffers[1], column->data()->buffers[1]);
  EXPECT_TRUE(slice->column(0)->Equals(*column->Slice(10, 4)));
  EXPECT_EQ(gather_runs(batch, RowRuns::from_indices({})).ValueOrDie()->num_rows(), 0);
}

TEST(RowRunsTest, RunsOfBitmapAndIndices) {
  const uint8_t bits[] = {0b10110110, 0b00000001};  // rows 1,2,4,5,7,8
  RowRuns runs = RowRuns::from_bitmap(bits, 1, 9);  // from bit 1: rows 0,1,3,4,6,7
  EXPECT_EQ(runs.count, 6);
  EXPECT_EQ(runs.num_runs, 3);
  // Runs of 2 rows are short: the rows are listed one by one.
  EXPECT_EQ(runs.rows, (std::vector<int32_t>{0, 1, 3, 4, 6, 7}));
  EXPECT_TRUE(runs.runs.empty());
  EXPECT_EQ(RowRuns::from_indices({0, 1, 3, 4, 6, 7}).rows, runs.rows);
  // Long runs across word boundaries: rows 10..99 and 130..199.
  std::vector<uint8_t> wide(25, 0);
  std::vector<int32_t> listed;
  for (int i = 0; i < 200; ++i) {
    if ((i >= 10 && i < 100) || i >= 130) {
      wide[static_cast<size_t>(i / 8)] |= static_cast<uint8_t>(1 << (i % 8));
      listed.push_back(i);
    }
  }
  for (const RowRuns& r :
       {RowRuns::from_bitmap(wide.data(), 0, 200), RowRuns::from_indices(listed)}) {
    EXPECT_EQ(r.count, 160);
    EXPECT_EQ(r.num_runs, 2);
    ASSERT_EQ(r.runs.size(), 2u);
    EXPECT_EQ(r.runs[1].start, 130);
    EXPECT_EQ(r.runs[1].length, 70);
    EXPECT_TRUE(r.rows.empty());
  }
}

}  // namespace
}  // namespace quiver::exec
