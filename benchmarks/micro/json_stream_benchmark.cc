// NDJSON bytes to Arrow batches: Quiver's JSON stream reader next to simdjson's plain parse of
// the same bytes (iterate_many, every value read) and Arrow's own JSON reader. Run with
// `build/quiver_bench --benchmark_filter=Json`; the ratios come from one run's bytes_per_second.
#include <arrow/io/memory.h>
#include <arrow/json/reader.h>
#include <arrow/table.h>
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <random>

#include "quiver/datasource/json_stream/json_batch_reader.h"

namespace {

namespace qj = quiver::datasource::json;

constexpr int kRows = 200000;

/// The same NDJSON text for every benchmark (about 20 MB).
const std::string& ndjson() {
  static const std::string text = [] {
    std::mt19937 rng(42);
    std::string out;
    for (int i = 0; i < kRows; ++i) {
      out += "{\"id\": " + std::to_string(i) + ", \"name\": \"user_" +
             std::to_string(rng() % 100000) +
             "\", \"score\": " + std::to_string((rng() % 100000) / 100.0) +
             ", \"active\": " + (rng() % 2 ? "true" : "false") + ", \"tags\": [\"a\", \"bb\"]" +
             ", \"geo\": {\"lat\": 48.85, \"lon\": 2.35}}\n";
    }
    return out;
  }();
  return text;
}

std::shared_ptr<arrow::Schema> schema() {
  return arrow::schema(
      {arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
       arrow::field("score", arrow::float64()), arrow::field("active", arrow::boolean()),
       arrow::field("tags", arrow::list(arrow::utf8())),
       arrow::field("geo", arrow::struct_({arrow::field("lat", arrow::float64()),
                                           arrow::field("lon", arrow::float64())}))});
}

void report(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * ndjson().size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kRows);
}

/// Quiver: 64 KiB chunks -> splitter -> simdjson On-Demand -> Arrow builders, 8192-row batches.
void BM_JsonStreamToArrow(benchmark::State& state) {
  const auto& text = ndjson();
  std::vector<int> projection;
  if (state.range(0) == 1) projection = {0, 2};  // two of six fields
  for (auto _ : state) {
    std::vector<std::string> chunks;
    for (size_t i = 0; i < text.size(); i += 65536) chunks.push_back(text.substr(i, 65536));
    auto builder = qj::JsonBatchBuilder::Make(schema(), projection, {}).ValueOrDie();
    qj::JsonBatchReader reader(std::make_unique<qj::VectorChunkStream>(std::move(chunks)),
                               std::move(builder), qj::JsonFormat::kNdjson, 8192);
    int64_t rows = 0;
    while (auto batch = reader.next().ValueOrDie()) rows += batch->num_rows();
    if (rows != kRows) state.SkipWithError("wrong row count");
  }
  report(state);
}
BENCHMARK(BM_JsonStreamToArrow)
    ->Arg(0)
    ->Arg(1)
    ->ArgName("projected")
    ->Unit(benchmark::kMillisecond);

/// simdjson alone: iterate_many over the whole text, reading every value (no Arrow).
void BM_JsonSimdjsonPlainParse(benchmark::State& state) {
  simdjson::padded_string padded(ndjson());
  simdjson::ondemand::parser parser;
  for (auto _ : state) {
    auto docs = parser.iterate_many(padded).value();
    int64_t sum = 0;
    for (auto doc : docs) {
      auto obj = doc.get_object().value();
      for (auto field : obj) {
        auto v = field.value().value();
        switch (v.type().value()) {
          case simdjson::ondemand::json_type::number:
            sum += static_cast<int64_t>(v.get_double().value());
            break;
          case simdjson::ondemand::json_type::string:
            sum += static_cast<int64_t>(v.get_string().value().size());
            break;
          case simdjson::ondemand::json_type::boolean:
            sum += v.get_bool().value();
            break;
          case simdjson::ondemand::json_type::array:
            for (auto e : v.get_array()) sum += static_cast<int64_t>(e.get_string().value().size());
            break;
          case simdjson::ondemand::json_type::object:
            for (auto f : v.get_object())
              sum += static_cast<int64_t>(f.value().get_double().value());
            break;
          default:
            break;
        }
      }
    }
    benchmark::DoNotOptimize(sum);
  }
  report(state);
}
BENCHMARK(BM_JsonSimdjsonPlainParse)->Unit(benchmark::kMillisecond);

/// Arrow's own JSON reader (arrow::json::TableReader, one thread, explicit schema).
void BM_JsonArrowTableReader(benchmark::State& state) {
  auto buffer = arrow::Buffer::FromString(ndjson());
  for (auto _ : state) {
    auto read_options = arrow::json::ReadOptions::Defaults();
    read_options.use_threads = false;
    read_options.block_size = 1 << 20;
    auto parse_options = arrow::json::ParseOptions::Defaults();
    parse_options.explicit_schema = schema();
    auto input = std::make_shared<arrow::io::BufferReader>(buffer);
    auto reader = arrow::json::TableReader::Make(arrow::default_memory_pool(), input, read_options,
                                                 parse_options)
                      .ValueOrDie();
    auto table = reader->Read().ValueOrDie();
    if (table->num_rows() != kRows) state.SkipWithError("wrong row count");
  }
  report(state);
}
BENCHMARK(BM_JsonArrowTableReader)->Unit(benchmark::kMillisecond);

}  // namespace
