#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "exec_fixtures.h"
#include "quiver/datasource/json_stream/json_batch_reader.h"
#include "quiver/datasource/json_stream/schema_inference.h"
#include "quiver/datasource/json_stream_exec.h"

namespace quiver::datasource::json {
namespace {

/// Builds an array from its JSON description (Arrow's test helper).
std::shared_ptr<arrow::Array> from_json(const std::shared_ptr<arrow::DataType>& type,
                                        const std::string& text) {
  return arrow::json::ArrayFromJSONString(type, text).ValueOrDie();
}

/// Splits `text` into chunks of `size` bytes.
std::vector<std::string> chunks_of(const std::string& text, size_t size) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size(); i += size) out.push_back(text.substr(i, size));
  return out;
}

/// Reads `text` cut into `chunk` byte chunks and returns the concatenated table.
arrow::Result<std::shared_ptr<arrow::Table>> read_all(const std::string& text, size_t chunk,
                                                      std::shared_ptr<arrow::Schema> schema,
                                                      JsonParseOptions options = {},
                                                      std::vector<int> projection = {},
                                                      int64_t batch_size = 2) {
  ARROW_ASSIGN_OR_RAISE(auto builder, JsonBatchBuilder::Make(schema, projection, options));
  JsonBatchReader reader(std::make_unique<VectorChunkStream>(chunks_of(text, chunk)),
                         std::move(builder), options.format, batch_size);
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  while (true) {
    ARROW_ASSIGN_OR_RAISE(auto batch, reader.next());
    if (!batch) break;
    EXPECT_LE(batch->num_rows(), batch_size);
    batches.push_back(batch);
  }
  return arrow::Table::FromRecordBatches(reader.schema(), batches);
}

std::shared_ptr<arrow::Schema> simple_schema() {
  return arrow::schema({arrow::field("id", arrow::int64()), arrow::field("name", arrow::utf8()),
                        arrow::field("score", arrow::float64())});
}

const char* kNdjson =
    "{\"id\": 1, \"name\": \"a\\\"b}\", \"score\": 1.5}\n"
    "{\"id\": 2, \"name\": \"{[\\\\\", \"score\": 2}\n"
    "\n{\"score\": null, \"id\": 3}\n";

TEST(JsonStream, NdjsonRecordsStraddleEveryChunkSize) {
  for (size_t chunk = 1; chunk <= 20; ++chunk) {
    auto table = read_all(kNdjson, chunk, simple_schema());
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    ASSERT_EQ((*table)->num_rows(), 3) << "chunk " << chunk;
    auto flat = (*table)->CombineChunksToBatch().ValueOrDie();
    EXPECT_EQ(flat->column(0)->ToString(), from_json(arrow::int64(), "[1, 2, 3]")->ToString());
    EXPECT_TRUE(flat->column(1)->Equals(from_json(arrow::utf8(), R"(["a\"b}", "{[\\", null])")))
        << flat->column(1)->ToString();
    EXPECT_TRUE(flat->column(2)->Equals(from_json(arrow::float64(), "[1.5, 2, null]")));
  }
}

TEST(JsonStream, ArrayAndNdjsonGiveTheSameRows) {
  const std::string array = "[ {\"id\": 1, \"name\": \"x\"} ,\n{\"id\": 2, \"score\": 0.25} ]  ";
  const std::string ndjson = "{\"id\": 1, \"name\": \"x\"}\n{\"id\": 2, \"score\": 0.25}";
  for (size_t chunk : {1, 3, 100}) {
    auto a = read_all(array, chunk, simple_schema());
    auto n = read_all(ndjson, chunk, simple_schema());
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_TRUE((*a)->Equals(**n));
    EXPECT_EQ((*a)->num_rows(), 2);
  }
  EXPECT_EQ(read_all("[]", 1, simple_schema()).ValueOrDie()->num_rows(), 0);
  auto unclosed = read_all("[{\"id\": 1}", 4, simple_schema());
  EXPECT_NE(unclosed.status().message().find("closing ']'"), std::string::npos);
}

TEST(JsonStream, MalformedJsonNamesRecordAndOffset) {
  const std::string text = "{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3,, \"name\": \"z\"}\n";
  auto result = read_all(text, 5, simple_schema());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("record 2 at byte 20"), std::string::npos)
      << result.status().ToString();
  EXPECT_NE(result.status().message().find("malformed JSON"), std::string::npos);
  auto truncated = read_all("{\"id\": 1}\n{\"id\": 2", 3, simple_schema());
  EXPECT_NE(truncated.status().message().find("record 1 at byte 10: the input ends inside"),
            std::string::npos)
      << truncated.status().ToString();
  auto not_object = read_all("{\"id\": 1} 42", 3, simple_schema());
  EXPECT_NE(not_object.status().message().find("record 1 at byte 10: expected a JSON object"),
            std::string::npos)
      << not_object.status().ToString();
}

TEST(JsonStream, DriftErrorIsTheDefault) {
  auto unknown = read_all("{\"id\": 1}\n{\"id\": 2, \"extra\": true}\n", 7, simple_schema());
  EXPECT_NE(unknown.status().message().find(
                "record 1 at byte 10, field 'extra': field not in the schema"),
            std::string::npos)
      << unknown.status().ToString();
  auto mistyped = read_all("{\"id\": 1.5}", 7, simple_schema());
  EXPECT_NE(mistyped.status().message().find("field 'id': expected an integer, found 1.5"),
            std::string::npos)
      << mistyped.status().ToString();
  auto text_for_number = read_all("{\"score\": \"high\"}", 7, simple_schema());
  EXPECT_FALSE(text_for_number.ok());
}

TEST(JsonStream, DriftWidenAcceptsLosslessValuesOnly) {
  JsonParseOptions options;
  options.drift = DriftPolicy::kWiden;
  auto table = read_all("{\"id\": 2.0, \"name\": 17, \"score\": 3}\n{\"name\": {\"k\": [1]}}", 4,
                        simple_schema(), options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto flat = (*table)->CombineChunksToBatch().ValueOrDie();
  EXPECT_TRUE(flat->column(0)->Equals(from_json(arrow::int64(), "[2, null]")));
  EXPECT_TRUE(flat->column(1)->Equals(from_json(arrow::utf8(), R"(["17", "{\"k\": [1]}"])")))
      << flat->column(1)->ToString();
  EXPECT_FALSE(read_all("{\"id\": 2.5}", 4, simple_schema(), options).ok());
  EXPECT_FALSE(read_all("{\"other\": 1}", 4, simple_schema(), options).ok());
}

TEST(JsonStream, DriftRawKeepsTheWholeRecord) {
  JsonParseOptions options;
  options.drift = DriftPolicy::kRaw;
  const std::string text =
      "{\"id\": 1, \"name\": \"ok\"}\n{\"id\": \"two\", \"name\": \"b\"}\n{\"id\": 3, \"new\": "
      "1}\n";
  auto table = read_all(text, 6, simple_schema(), options);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto flat = (*table)->CombineChunksToBatch().ValueOrDie();
  ASSERT_EQ(flat->schema()->field(3)->name(), "_raw");
  EXPECT_TRUE(flat->column(0)->Equals(from_json(arrow::int64(), "[1, null, 3]")));
  EXPECT_TRUE(flat->column(1)->Equals(from_json(arrow::utf8(), R"(["ok", "b", null])")));
  EXPECT_TRUE(flat->column(3)->Equals(from_json(
      arrow::utf8(), R"([null, "{\"id\": \"two\", \"name\": \"b\"}", "{\"id\": 3, \"new\": 1}"])")))
      << flat->column(3)->ToString();
}

TEST(JsonStream, ProjectionSkipsUnselectedFields) {
  // "name" is declared but not selected: its value (even of the wrong type) is never built.
  auto table = read_all("{\"id\": 1, \"name\": [1, {\"x\": 2}], \"score\": 0.5}", 4,
                        simple_schema(), {}, {2, 0});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  ASSERT_EQ((*table)->num_columns(), 2);
  EXPECT_EQ((*table)->schema()->field(0)->name(), "score");
  EXPECT_EQ((*table)->schema()->field(1)->name(), "id");
}

TEST(JsonStream, NestedDatesTimestampsDecimals) {
  auto schema = arrow::schema(
      {arrow::field("d", arrow::date32()),
       arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MILLI)),
       arrow::field("amount", arrow::decimal128(10, 2)),
       arrow::field("s", arrow::struct_({arrow::field("a", arrow::int32()),
                                         arrow::field("tags", arrow::list(arrow::utf8()))})),
       arrow::field("flag", arrow::boolean())});
  const std::string text =
      "{\"d\": \"2024-02-29\", \"ts\": \"2024-01-01T00:00:01.5Z\", \"amount\": 12.3, "
      "\"s\": {\"tags\": [\"x\", null], \"a\": 7}, \"flag\": true}\n"
      "{\"amount\": \"-0.05\", \"s\": null, \"flag\": false}\n";
  auto table = read_all(text, 9, schema);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto flat = (*table)->CombineChunksToBatch().ValueOrDie();
  EXPECT_TRUE(flat->column(0)->Equals(from_json(arrow::date32(), "[19782, null]")));
  EXPECT_TRUE(flat->column(1)->Equals(
      from_json(arrow::timestamp(arrow::TimeUnit::MILLI), "[1704067201500, null]")));
  EXPECT_TRUE(flat->column(2)->Equals(from_json(arrow::decimal128(10, 2), R"(["12.30", "-0.05"])")))
      << flat->column(2)->ToString();
  EXPECT_TRUE(flat->column(3)->Equals(
      from_json(schema->field(3)->type(), R"([{"a": 7, "tags": ["x", null]}, null])")))
      << flat->column(3)->ToString();
  auto lossy = read_all("{\"amount\": 1.234}", 9, schema);
  EXPECT_NE(lossy.status().message().find("field 'amount': '1.234' does not fit decimal128(10, 2)"),
            std::string::npos)
      << lossy.status().ToString();
  auto bad_nested = read_all("{\"s\": {\"a\": \"x\"}}", 9, schema);
  EXPECT_NE(bad_nested.status().message().find("field 's.a'"), std::string::npos)
      << bad_nested.status().ToString();
}

TEST(JsonStream, InfersSchemaFromASample) {
  const std::string text =
      "{\"id\": 1, \"name\": null, \"geo\": {\"lat\": 1}, \"tags\": []}\n"
      "{\"id\": 2, \"geo\": {\"lat\": 2.5, \"alt\": true}, \"tags\": [\"x\"], \"score\": 3}\n"
      "{\"id\": \"late\", \"later\": 1}\n";
  VectorChunkStream input(chunks_of(text, 7));
  auto schema = infer_json_schema(input, JsonFormat::kAuto, 2, DriftPolicy::kError);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ((*schema)->ToString(),
            "id: int64\nname: string\ngeo: struct<lat: double, alt: bool>\n"
            "tags: list<item: string>\nscore: int64");
  // The third record is outside the sample; inside it, the conflict is an error or a widening.
  VectorChunkStream all(chunks_of(text, 7));
  auto conflict = infer_json_schema(all, JsonFormat::kAuto, 10, DriftPolicy::kError);
  EXPECT_NE(conflict.status().message().find("record 2 at byte 126, field 'id': a string where "
                                             "earlier records hold an integer"),
            std::string::npos)
      << conflict.status().ToString();
  VectorChunkStream widened(chunks_of(text, 7));
  auto wide = infer_json_schema(widened, JsonFormat::kAuto, 10, DriftPolicy::kWiden).ValueOrDie();
  EXPECT_EQ(wide->field(0)->type()->ToString(), "string");
  EXPECT_EQ(wide->field(5)->name(), "later");
  // Read back with the widened schema: the integer ids are kept as their text.
  JsonParseOptions options;
  options.drift = DriftPolicy::kWiden;
  auto table = read_all(text, 7, wide, options).ValueOrDie()->CombineChunksToBatch().ValueOrDie();
  EXPECT_TRUE(table->column(0)->Equals(from_json(arrow::utf8(), R"(["1", "2", "late"])")));
}

/// An endless NDJSON source counting the records it produced.
class EndlessStream final : public ByteChunkStream {
 public:
  explicit EndlessStream(std::shared_ptr<std::atomic<int64_t>> produced)
      : produced_(std::move(produced)) {}
  arrow::Result<std::shared_ptr<arrow::Buffer>> next() override {
    std::string chunk;
    for (int i = 0; i < kPerChunk; ++i) {
      chunk += "{\"id\": " + std::to_string(next_id_++) + ", \"name\": \"row\"}\n";
    }
    produced_->fetch_add(kPerChunk);
    return arrow::Buffer::FromString(std::move(chunk));
  }
  static constexpr int kPerChunk = 10;

 private:
  std::shared_ptr<std::atomic<int64_t>> produced_;
  int64_t next_id_ = 0;
};

TEST(JsonStreamExec, SlowConsumerBoundsAnEndlessProducer) {
  auto produced = std::make_shared<std::atomic<int64_t>>(0);
  StreamConfig config;
  config.batch_size = 50;
  config.max_buffered_items = 200;
  auto node = JsonStreamExec::Make(
                  simple_schema(),
                  [produced](int) -> arrow::Result<std::unique_ptr<ByteChunkStream>> {
                    return std::make_unique<EndlessStream>(produced);
                  },
                  1, {0}, {}, config)
                  .ValueOrDie();
  EXPECT_EQ(node->batch_size(), 50);
  EXPECT_EQ(node->channel_capacity(), 3u);
  auto stream = node->execute(0, exec::testing::make_context()).ValueOrDie();
  int64_t consumed = 0;
  int64_t expected_id = 0;
  // The bound is exact, not a timing estimate: the producer holds at most 200 records (3 waiting
  // batches and the one being built or blocked in send) plus the rest of one 10-record chunk, so
  // a slow or descheduled consumer thread cannot make it fail. The first receive waits on the
  // empty channel while the producer starts (the case where a woken consumer that is slow to run
  // once let the producer flood the channel); later ones come after the producer had time to
  // fill it.
  for (int i = 0; i < 8; ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto batch = stream->next().ValueOrDie();
    ASSERT_NE(batch, nullptr);
    ASSERT_EQ(batch->num_rows(), 50);
    auto ids = std::static_pointer_cast<arrow::Int64Array>(batch->column(0));
    for (int64_t r = 0; r < ids->length(); ++r) ASSERT_EQ(ids->Value(r), expected_id++);
    consumed += batch->num_rows();
    // Records read from the source beyond those consumed: at most the buffer plus one chunk.
    EXPECT_LE(produced->load() - consumed, config.max_buffered_items + EndlessStream::kPerChunk);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_LE(produced->load() - consumed, config.max_buffered_items + EndlessStream::kPerChunk);
  stream.reset();  // cancels and joins the producer of an endless stream
  EXPECT_EQ(node->display(), "JsonStreamExec: partitions=1, projection=[id], drift=error");
}

TEST(JsonStreamExec, ClampsBatchSizeAndCapacityWithinTheBuffer) {
  auto factory = [](int) -> arrow::Result<std::unique_ptr<ByteChunkStream>> {
    return values_as_ndjson({});
  };
  // (capacity + 1) * batch_size never exceeds max_buffered_items.
  for (int64_t max : {2, 3, 7, 200, 201}) {
    for (int64_t batch : {1, 2, 5, 50, 1000}) {
      StreamConfig config;
      config.batch_size = batch;
      config.max_buffered_items = max;
      auto node = JsonStreamExec::Make(simple_schema(), factory, 1, {}, {}, config).ValueOrDie();
      EXPECT_GE(node->channel_capacity(), 1u);
      EXPECT_LE(node->batch_size(), batch);
      EXPECT_LE(static_cast<int64_t>(node->channel_capacity() + 1) * node->batch_size(), max)
          << "max " << max << ", batch " << batch;
    }
  }
  // One record cannot be honoured: a batch is built while another waits.
  StreamConfig one;
  one.max_buffered_items = 1;
  auto rejected = JsonStreamExec::Make(simple_schema(), factory, 1, {}, {}, one);
  EXPECT_EQ(rejected.status().message(), "JsonStreamExec: max_buffered_items must be >= 2, got 1");
}

TEST(JsonStreamExec, CollectsEveryPartitionAndReportsErrors) {
  auto node =
      JsonStreamExec::Make(
          simple_schema(),
          [](int p) -> arrow::Result<std::unique_ptr<ByteChunkStream>> {
            return values_as_ndjson({"{\"id\": " + std::to_string(p) + "}", "{\"id\": 10}"});
          },
          3, {}, {}, StreamConfig{})
          .ValueOrDie();
  auto table = physical::collect(node, exec::testing::make_context()).ValueOrDie();
  EXPECT_EQ(table->num_rows(), 6);
  auto bad = JsonStreamExec::Make(
                 simple_schema(),
                 [](int) -> arrow::Result<std::unique_ptr<ByteChunkStream>> {
                   return values_as_ndjson({"{\"id\": 1}", "{\"id\": true}"});
                 },
                 1, {}, {}, StreamConfig{})
                 .ValueOrDie();
  auto result = physical::collect(bad, exec::testing::make_context());
  EXPECT_NE(result.status().message().find("record 1 at byte 10, field 'id'"), std::string::npos)
      << result.status().ToString();
}

}  // namespace
}  // namespace quiver::datasource::json
