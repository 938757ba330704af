// The paginated HTTP JSON source's page-body scanner (records at a JSON pointer forwarded as
// NDJSON, the whole body's syntax checked) next to the JSON stream's record splitter over the
// same records. Run with `build/quiver_bench --benchmark_filter=HttpJson`.
#include <benchmark/benchmark.h>

#include "quiver/datasource/http_json/envelope_scanner.h"
#include "quiver/datasource/json_stream/record_splitter.h"

namespace {

namespace hj = quiver::datasource::http_json;
namespace qj = quiver::datasource::json;

constexpr int kRows = 200000;

/// One page body of kRows records under "/data" (about 23 MB), with a cursor before them.
const std::string& body() {
  static const std::string text = [] {
    std::string out = R"({"meta":{"next":"abc"},"data":[)";
    for (int i = 0; i < kRows; ++i) {
      out += (i ? ",\n" : "") + std::string(R"({"id": )") + std::to_string(i) +
             R"(, "name": "user_)" + std::to_string(i * 7919 % 100000) +
             R"(", "score": 12.5, "active": true, "tags": ["a", "bb"], )" +
             R"("geo": {"lat": 48.85, "lon": 2.35}})";
    }
    return out + "]}";
  }();
  return text;
}

void BM_HttpJsonEnvelopeScanner(benchmark::State& state) {
  const std::string_view text = body();
  for (auto _ : state) {
    hj::EnvelopeScanner scanner(hj::JsonPointer::Parse("/data").ValueOrDie(),
                                {{"cursor", hj::JsonPointer::Parse("/meta/next").ValueOrDie()}},
                                qj::JsonFormat::kAuto);
    std::string out;
    for (size_t i = 0; i < text.size(); i += 65536) {
      out.clear();
      if (!scanner.feed(text.substr(i, 65536), &out).ok()) state.SkipWithError("scan failed");
    }
    if (!scanner.finish().ok() || scanner.records() != kRows) state.SkipWithError("bad end");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_HttpJsonEnvelopeScanner)->Unit(benchmark::kMillisecond);

/// The JSON stream's splitter over the same array (what reads the scanner's output next).
void BM_HttpJsonRecordSplitterBaseline(benchmark::State& state) {
  const std::string& full = body();
  const size_t open = full.find('[');
  const std::string_view text = std::string_view(full).substr(open, full.size() - open - 1);
  for (auto _ : state) {
    qj::JsonRecordSplitter splitter(qj::JsonFormat::kArray);
    int64_t records = 0;
    for (size_t i = 0; i < text.size(); i += 65536) {
      splitter.feed(text.substr(i, 65536));
      qj::JsonRecord record;
      while (splitter.next(&record).ValueOrDie()) ++records;
    }
    benchmark::DoNotOptimize(records);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_HttpJsonRecordSplitterBaseline)->Unit(benchmark::kMillisecond);

}  // namespace
