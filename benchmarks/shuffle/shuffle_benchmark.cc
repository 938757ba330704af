// Shuffle throughput: the same hash shuffle of generated rows (key Int64, value Int64, d Double;
// 24 bytes of Arrow data per row) measured two ways:
//   Local   - one in-process RepartitionExec, Hash([key], P), all P outputs drained concurrently;
//   Flight  - a two-stage distributed plan over an in-process Flight cluster on loopback: producer
//             tasks generate and hash-repartition their share, consumer tasks read their
//             partitions through a NetworkShuffleExec (and drop every row with `key < 0`, so
//             nothing but the shuffle moves data).
// Both report bytes/s (rows * 24 bytes / wall time) and rows/s; compare the two for the ratio.
// Usage: quiver_shuffle_bench [--rows N] [--workers W] [--partitions P] [--explain] [--check]
//        [google-benchmark flags]. --check keeps every row past the consumers (key >= 0) and
// gathers them to the coordinator, to verify that all rows cross the shuffle (not a throughput
// figure then).

#include <arrow/compute/initialize.h>
#include <arrow/record_batch.h>
#include <arrow/scalar.h>
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec.h"
#include "custom_execution_plan/numbers_exec_codec.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "quiver/catalog/session_context.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/network/network_coalesce_exec.h"
#include "quiver/distributed/network/network_shuffle_exec.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/repartition_exec.h"
#include "quiver/exec/filter/filter_exec.h"
#include "quiver/exec/projection/projection_exec.h"
#include "quiver/exec/union/union_exec.h"
#include "quiver/physical/expr/binary_expr.h"
#include "quiver/physical/expr/cast_expr.h"
#include "quiver/physical/expr/column_expr.h"
#include "quiver/physical/expr/literal_expr.h"

namespace {

using quiver::physical::ExecutionPlanPtr;

constexpr int64_t kBytesPerRow = 24;  // three 8-byte columns, no nulls

struct ShuffleOptions {
  int64_t rows = 8'000'000;
  int workers = 4;
  int partitions = 8;
  bool check = false;    // Flight: keep every row (key >= 0) and expect all of them back
  bool explain = false;  // print the distributed plan
};

ShuffleOptions g_options;

// Bytes per second of each benchmark of this run, for the closing summary.
double g_local_bytes_per_second = 0;
double g_flight_bytes_per_second = 0;

// (number) -> (key = number, value = number * 3, d = CAST(number AS DOUBLE)) over `input`.
arrow::Result<ExecutionPlanPtr> three_columns(ExecutionPlanPtr input) {
  using namespace quiver::physical;
  auto number = std::make_shared<ColumnExpr>("number", 0);
  auto three = std::make_shared<LiteralExpr>(std::make_shared<arrow::Int64Scalar>(3));
  std::vector<quiver::exec::ProjectionExpr> exprs{
      {number, "key"},
      {std::make_shared<BinaryExpr>(number, quiver::logical::BinaryOp::kMultiply, three), "value"},
      {std::make_shared<CastExpr>(number, arrow::float64(), false), "d"}};
  return quiver::exec::ProjectionExec::Make(std::move(exprs), std::move(input));
}

// The hash repartition of the three columns: Hash([key], partitions).
arrow::Result<ExecutionPlanPtr> hash_on_key(ExecutionPlanPtr input, int partitions) {
  auto key = std::make_shared<quiver::physical::ColumnExpr>("key", 0);
  return quiver::exec::RepartitionExec::Make(
      std::move(input), quiver::physical::Partitioning::hash({key}, partitions));
}

// Splits [0, rows) into `parts` near-equal ranges.
std::vector<quiver::examples::NumberRange> split(int64_t rows, int parts) {
  std::vector<quiver::examples::NumberRange> ranges;
  for (int i = 0; i < parts; ++i) {
    ranges.push_back({rows * i / parts, rows * (i + 1) / parts});
  }
  return ranges;
}

// Drains every output partition of `plan` on its own thread; returns the rows read.
arrow::Result<int64_t> drain_concurrently(
    const ExecutionPlanPtr& plan, const std::shared_ptr<quiver::physical::TaskContext>& ctx) {
  const int n = plan->properties().partitioning.count;
  std::vector<quiver::physical::RecordBatchStreamPtr> streams;
  for (int p = 0; p < n; ++p) {
    ARROW_ASSIGN_OR_RAISE(auto stream, plan->execute(p, ctx));
    streams.push_back(std::move(stream));
  }
  std::atomic<int64_t> rows{0};
  std::vector<arrow::Status> statuses(n);
  std::vector<std::thread> threads;
  for (int p = 0; p < n; ++p) {
    threads.emplace_back([&, p] {
      while (true) {
        auto batch = streams[p]->next();
        if (!batch.ok()) {
          statuses[p] = batch.status();
          return;
        }
        if (*batch == nullptr) return;
        rows += (*batch)->num_rows();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& st : statuses) ARROW_RETURN_NOT_OK(st);
  return rows.load();
}

// Reports bytes and rows processed; returns the bytes per second of the timed runs.
double report(benchmark::State& state, int64_t rows_per_run,
              std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  state.SetBytesProcessed(state.iterations() * rows_per_run * kBytesPerRow);
  state.SetItemsProcessed(state.iterations() * rows_per_run);
  state.counters["rows"] = static_cast<double>(rows_per_run);
  if (seconds <= 0) return 0;
  return static_cast<double>(state.iterations() * rows_per_run * kBytesPerRow) / seconds;
}

// (a) In-process: W generator partitions -> projection -> RepartitionExec Hash([key], P).
void BM_LocalRepartition(benchmark::State& state) {
  const ShuffleOptions o = g_options;
  auto session = quiver::catalog::SessionContext::Make();
  std::vector<ExecutionPlanPtr> leaves;
  for (const auto& range : split(o.rows, o.workers)) {
    leaves.push_back(quiver::examples::NumbersExec::Make({range}).ValueOrDie());
  }
  auto plan = hash_on_key(
      three_columns(quiver::exec::UnionExec::Make(leaves).ValueOrDie()).ValueOrDie(), o.partitions);
  if (!plan.ok()) {
    state.SkipWithError(plan.status().ToString().c_str());
    return;
  }
  std::chrono::steady_clock::duration elapsed{};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto rows = drain_concurrently(*plan, session->task_context());
    elapsed += std::chrono::steady_clock::now() - start;
    if (!rows.ok() || *rows != o.rows) {
      state.SkipWithError(rows.ok() ? "wrong row count" : rows.status().ToString().c_str());
      return;
    }
  }
  g_local_bytes_per_second = report(state, o.rows, elapsed);
}

// (b) Over Flight: Coalesce <- NetworkCoalesce <- Filter(key < 0) <- NetworkShuffle <-
// RepartitionExec Hash([key], P) <- projection <- NumbersExec split into W producer tasks.
void BM_FlightShuffle(benchmark::State& state) {
  const ShuffleOptions o = g_options;
  const quiver::distributed::codec::ExtensionCodecs codecs{
      std::make_shared<quiver::examples::NumbersExecCodec>()};
  auto cluster = quiver::distributed::start_in_process_flight_cluster(o.workers, codecs, [] {
    quiver::common::ConfigOptions options;
    (void)options.register_extension(quiver::examples::NumbersConfig{});
    return options;
  });
  if (!cluster.ok()) {
    state.SkipWithError(cluster.status().ToString().c_str());
    return;
  }
  auto session = quiver::catalog::SessionContext::Make();
  auto st = session->register_config_extension(quiver::examples::NumbersConfig{});
  if (st.ok()) {
    st = session->set_option("numbers.numbers_per_task",
                             std::to_string((o.rows + o.workers - 1) / o.workers));
  }
  if (st.ok()) {
    st = quiver::distributed::enable_flight_distributed(
        *session, (*cluster)->urls(), codecs,
        {std::make_shared<quiver::examples::NumbersTaskEstimator>()});
  }
  if (!st.ok()) {
    state.SkipWithError(st.ToString().c_str());
    return;
  }
  auto build = [&]() -> arrow::Result<ExecutionPlanPtr> {
    using namespace quiver::physical;
    ARROW_ASSIGN_OR_RAISE(auto leaf, quiver::examples::NumbersExec::Make({{0, o.rows}}));
    ARROW_ASSIGN_OR_RAISE(auto projected, three_columns(leaf));
    ARROW_ASSIGN_OR_RAISE(auto repartitioned, hash_on_key(projected, o.partitions));
    ARROW_ASSIGN_OR_RAISE(auto shuffle,
                          quiver::distributed::NetworkShuffleExec::Make(repartitioned));
    auto key_lt_zero = std::make_shared<BinaryExpr>(
        std::make_shared<ColumnExpr>("key", 0),
        o.check ? quiver::logical::BinaryOp::kGtEq : quiver::logical::BinaryOp::kLt,
        std::make_shared<LiteralExpr>(std::make_shared<arrow::Int64Scalar>(0)));
    ARROW_ASSIGN_OR_RAISE(auto filter, quiver::exec::FilterExec::Make(key_lt_zero, shuffle));
    ARROW_ASSIGN_OR_RAISE(auto gather, quiver::distributed::NetworkCoalesceExec::Make(filter));
    ExecutionPlanPtr plan;
    ARROW_ASSIGN_OR_RAISE(plan, quiver::exec::CoalescePartitionsExec::Make(gather));
    const auto options = session->options_snapshot();
    for (const auto& rule : session->physical_optimizer_rules()) {
      ARROW_ASSIGN_OR_RAISE(plan, rule->optimize(plan, options));
    }
    return plan;
  };
  auto plan = build();
  if (!plan.ok()) {
    state.SkipWithError(plan.status().ToString().c_str());
    return;
  }
  if ((*plan)->name() != "DistributedExec") {
    state.SkipWithError("the plan was not distributed");
    return;
  }
  if (o.explain) std::cerr << quiver::distributed::display_distributed_plan(**plan) << "\n";
  const int64_t expected_rows = o.check ? o.rows : 0;
  std::chrono::steady_clock::duration elapsed{};
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    auto rows = drain_concurrently(*plan, session->task_context());
    elapsed += std::chrono::steady_clock::now() - start;
    if (!rows.ok() || *rows != expected_rows) {
      state.SkipWithError(rows.ok() ? "wrong row count" : rows.status().ToString().c_str());
      return;
    }
  }
  g_flight_bytes_per_second = report(state, o.rows, elapsed);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const std::string& flag) -> const char* {
      if (arg == flag && i + 1 < argc) return argv[++i];
      if (arg.rfind(flag + "=", 0) == 0) return argv[i] + flag.size() + 1;
      return nullptr;
    };
    if (const char* v = value("--rows")) {
      g_options.rows = std::atoll(v);
    } else if (const char* v = value("--workers")) {
      g_options.workers = std::atoi(v);
    } else if (const char* v = value("--partitions")) {
      g_options.partitions = std::atoi(v);
    } else if (arg == "--check") {
      g_options.check = true;
    } else if (arg == "--explain") {
      g_options.explain = true;
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << st.ToString() << "\n";
    return 2;
  }
  benchmark::RegisterBenchmark("shuffle/local_repartition", BM_LocalRepartition)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(3);
  benchmark::RegisterBenchmark("shuffle/flight_network_shuffle", BM_FlightShuffle)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(3);
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_local_bytes_per_second > 0 && g_flight_bytes_per_second > 0) {
    std::cout << "local RepartitionExec: " << g_local_bytes_per_second / 1e9 << " GB/s, "
              << g_local_bytes_per_second / kBytesPerRow / 1e6 << " M rows/s\n"
              << "Flight NetworkShuffleExec (" << g_options.workers
              << " workers): " << g_flight_bytes_per_second / 1e9 << " GB/s, "
              << g_flight_bytes_per_second / kBytesPerRow / 1e6 << " M rows/s\n"
              << "ratio local / Flight: " << g_local_bytes_per_second / g_flight_bytes_per_second
              << "\n";
  }
  return 0;
}
