// Top-k (SortExec with fetch) prunes incoming batches against its current k-th row; it must give
// exactly the rows of a full sort cut to k, whatever the direction, null placement, NaNs and ties.

#include <arrow/array/builder_primitive.h>
#include <arrow/table.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "exec_fixtures.h"
#include "quiver/exec/sort/sort_exec.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;

// Many small batches of (key double with nulls, NaNs and ties; id int64).
std::shared_ptr<TestSourceExec> noisy_source(uint32_t seed) {
  auto schema =
      arrow::schema({arrow::field("key", arrow::float64()), arrow::field("id", arrow::int64())});
  std::mt19937 rng(seed);
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  // Shuffled ids, so a later row can win a tie against the current k-th row.
  std::vector<int64_t> ids_pool(60 * 40);
  for (size_t i = 0; i < ids_pool.size(); ++i) ids_pool[i] = static_cast<int64_t>(i);
  std::shuffle(ids_pool.begin(), ids_pool.end(), rng);
  size_t next_id = 0;
  for (int b = 0; b < 60; ++b) {
    arrow::DoubleBuilder keys;
    arrow::Int64Builder ids;
    const int rows = 1 + static_cast<int>(rng() % 40);
    for (int r = 0; r < rows; ++r) {
      const uint32_t pick = rng() % 20;
      if (pick == 0) {
        EXPECT_TRUE(keys.AppendNull().ok());
      } else if (pick == 1) {
        EXPECT_TRUE(keys.Append(std::nan("")).ok());
      } else {
        EXPECT_TRUE(keys.Append(static_cast<double>(rng() % 50)).ok());  // many ties
      }
      EXPECT_TRUE(ids.Append(ids_pool[next_id++]).ok());
    }
    batches.push_back(arrow::RecordBatch::Make(
        schema, rows, {keys.Finish().ValueOrDie(), ids.Finish().ValueOrDie()}));
  }
  return std::make_shared<TestSourceExec>(
      schema, std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{batches});
}

TEST(TopKTest, EqualsAFullSortCutToK) {
  for (bool ascending : {true, false}) {
    for (bool nulls_first : {true, false}) {
      for (int64_t k : {1, 5, 37, 200, 5000}) {
        auto source = noisy_source(static_cast<uint32_t>(k * 4 + ascending * 2 + nulls_first));
        // Tie-break on id so both plans have one right answer.
        physical::LexOrdering ordering = {{col("key", 0), ascending, nulls_first},
                                          {col("id", 1), true, false}};
        QUIVER_ASSIGN_OR_FAIL(topk, SortExec::Make(ordering, source, false, k));
        QUIVER_ASSIGN_OR_FAIL(full, SortExec::Make(ordering, source, false, std::nullopt));
        QUIVER_ASSIGN_OR_FAIL(got, physical::collect(topk, make_context(16)));
        QUIVER_ASSIGN_OR_FAIL(all, physical::collect(full, make_context(16)));
        auto expected = all->Slice(0, std::min<int64_t>(k, all->num_rows()));
        ASSERT_EQ(got->num_rows(), expected->num_rows());
        EXPECT_EQ(int64_column(*got, 1), int64_column(*expected, 1))
            << "ascending=" << ascending << " nulls_first=" << nulls_first << " k=" << k;
      }
    }
  }
}

}  // namespace
}  // namespace quiver::exec
