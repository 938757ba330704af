// Micro-benchmark: HashJoinExec, inner join of a 1M-row probe side with a 100k-row build side on
// one Int64 key (every probe row matches one build row). Reports probe rows/s. The /1 and /2
// arguments are the probe partitions; BM_HashJoinInnerTwoKeys joins on (k, k % 7), which takes
// the general (Grouper) path instead of the one-integer-key map. The keys are 0..100k (the map is
// a direct array); BM_HashJoinInnerInt64Sparse spreads them 1000003 apart (a hashed map).

#include <arrow/builder.h>
#include <arrow/table.h>
#include <benchmark/benchmark.h>

#include "quiver/common/config.h"
#include "quiver/datasource/data_source_exec.h"
#include "quiver/datasource/memory_source.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/physical/expr/column_expr.h"

namespace {

using quiver::exec::HashJoinExec;
using quiver::exec::JoinType;
using quiver::exec::PartitionMode;

// `rows` rows of (k, k2 = k % 7, v) in `partitions` partitions of 8192-row batches; k = key(i).
template <typename Key>
quiver::physical::ExecutionPlanPtr int64_source(int64_t rows, int partitions, Key key) {
  auto schema =
      arrow::schema({arrow::field("k", arrow::int64()), arrow::field("k2", arrow::int64()),
                     arrow::field("v", arrow::int64())});
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> parts(
      static_cast<size_t>(partitions));
  int batch_index = 0;
  for (int64_t start = 0; start < rows; start += 8192, ++batch_index) {
    const int64_t n = std::min<int64_t>(8192, rows - start);
    arrow::Int64Builder k, k2, v;
    for (int64_t i = start; i < start + n; ++i) {
      (void)k.Append(key(i));
      (void)k2.Append(key(i) % 7);
      (void)v.Append(i);
    }
    auto batch = arrow::RecordBatch::Make(
        schema, n, {k.Finish().ValueOrDie(), k2.Finish().ValueOrDie(), v.Finish().ValueOrDie()});
    parts[static_cast<size_t>(batch_index % partitions)].push_back(std::move(batch));
  }
  auto source = quiver::datasource::MemorySource::Make(schema, std::move(parts)).ValueOrDie();
  return std::make_shared<quiver::datasource::DataSourceExec>(std::move(source));
}

void run_join(benchmark::State& state, bool two_keys, int64_t spread = 1) {
  const int partitions = static_cast<int>(state.range(0));
  constexpr int64_t kBuildRows = 100'000;
  constexpr int64_t kProbeRows = 1'000'000;
  auto left = int64_source(kBuildRows, 1, [spread](int64_t i) { return i * spread; });
  auto right = int64_source(kProbeRows, partitions,
                            [spread](int64_t i) { return (i * 7919) % kBuildRows * spread; });
  std::vector<quiver::exec::JoinOn> on = {
      {quiver::physical::make_column("k", 0), quiver::physical::make_column("k", 0)}};
  if (two_keys) {
    on.push_back({quiver::physical::make_column("k2", 1), quiver::physical::make_column("k2", 1)});
  }
  auto join = HashJoinExec::Make(left, right, std::move(on), std::nullopt, JoinType::kInner,
                                 PartitionMode::kCollectLeft)
                  .ValueOrDie();
  int64_t output_rows = 0;
  for (auto _ : state) {
    auto context = std::make_shared<quiver::physical::TaskContext>(quiver::common::ConfigOptions());
    auto table = quiver::physical::collect(join, context);
    if (!table.ok()) {
      state.SkipWithError(table.status().ToString().c_str());
      return;
    }
    output_rows = (*table)->num_rows();
    benchmark::DoNotOptimize(table);
  }
  state.SetItemsProcessed(state.iterations() * kProbeRows);
  state.counters["output_rows"] = static_cast<double>(output_rows);
}
void BM_HashJoinInnerInt64(benchmark::State& state) { run_join(state, false); }
void BM_HashJoinInnerTwoKeys(benchmark::State& state) { run_join(state, true); }
void BM_HashJoinInnerInt64Sparse(benchmark::State& state) { run_join(state, false, 1000003); }
BENCHMARK(BM_HashJoinInnerTwoKeys)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HashJoinInnerInt64)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_HashJoinInnerInt64Sparse)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
