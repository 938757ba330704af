// Micro-benchmarks: each query of benchmarks/queries.txt run through the whole engine
// (SQL -> plan -> execution) over the Parquet table written by benchmarks/gen_benchdata.py.
// Reports input rows/s. Usage: quiver_bench --data DIR [google-benchmark flags].

#include <arrow/compute/initialize.h>
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "quiver/catalog/session_context.h"

namespace {

struct BenchQuery {
  std::string name;
  std::string sql;
};

std::vector<BenchQuery> load_queries(const std::string& path) {
  std::vector<BenchQuery> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto bar = line.find('|');
    if (bar == std::string::npos) continue;
    out.push_back({line.substr(0, bar), line.substr(bar + 1)});
  }
  return out;
}

void run_query(benchmark::State& state, const std::string& data_dir, const std::string& sql) {
  auto ctx = quiver::catalog::SessionContext::Make();
  if (auto st = ctx->register_parquet("t", data_dir); !st.ok()) {
    state.SkipWithError(st.ToString().c_str());
    return;
  }
  const int64_t input_rows = ctx->get_table("t").ValueOrDie()->num_rows().value_or(0);
  int64_t output_rows = 0;
  for (auto _ : state) {
    auto df = ctx->sql(sql);
    if (!df.ok()) {
      state.SkipWithError(df.status().ToString().c_str());
      return;
    }
    auto table = (*df)->collect();
    if (!table.ok()) {
      state.SkipWithError(table.status().ToString().c_str());
      return;
    }
    output_rows = (*table)->num_rows();
    benchmark::DoNotOptimize(table);
  }
  state.SetItemsProcessed(state.iterations() * input_rows);
  state.counters["output_rows"] = static_cast<double>(output_rows);
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir = "build/benchdata";
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (arg.rfind("--data=", 0) == 0) {
      data_dir = arg.substr(7);
    } else {
      rest.push_back(argv[i]);
    }
  }
  if (auto st = arrow::compute::Initialize(); !st.ok()) {
    std::cerr << st.ToString() << "\n";
    return 2;
  }
  const auto queries = load_queries(QUIVER_BENCH_QUERIES);
  for (const auto& q : queries) {
    benchmark::RegisterBenchmark(
        q.name.c_str(),
        [data_dir, sql = q.sql](benchmark::State& s) { run_query(s, data_dir, sql); })
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
