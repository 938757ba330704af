// The Arrow Flight worker and transport, on real servers bound to loopback ports: task submission
// and partition fetches across workers, compression, typed errors, unreachable workers,
// cancellation by dropping a stream or ending a task, idle expiry, and token authentication.

#include <arrow/array.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/flight/types.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>
#include <arrow/util/compression.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <set>
#include <thread>

#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/distributed/worker/in_process_cluster.h"
#include "quiver/distributed/worker/worker.h"

namespace quiver::distributed {
namespace {

using std::chrono::milliseconds;

// Streams of GeneratedRowsExec that exist right now (on any worker of this process).
std::atomic<int> live_generated_streams{0};

// A test leaf: `partitions` output partitions of `rows` rows each (endless when rows < 0), with
// columns task, partition, value = task * 1'000'000 + partition * 1'000 + row. With a failure
// kind, each partition fails after its first batch with that kind.
class GeneratedRowsExec final : public physical::ExecutionPlan {
 public:
  GeneratedRowsExec(int partitions, int64_t rows, arrow::StatusCode fail_kind)
      : partitions_(partitions), rows_(rows), fail_kind_(fail_kind) {
    properties_.schema = arrow::schema({arrow::field("task", arrow::int32(), false),
                                        arrow::field("partition", arrow::int32(), false),
                                        arrow::field("value", arrow::int64(), false)});
    properties_.partitioning = physical::Partitioning::unknown(partitions);
  }

  std::string_view name() const override { return "GeneratedRowsExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr>) const override {
    return shared_from_this();
  }
  std::string display() const override { return "GeneratedRowsExec"; }

  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override {
    ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
    return std::make_unique<Stream>(*this, partition, context);
  }

  // Encodes the parameters as text: "rows;<partitions>;<rows>;<fail kind>".
  std::string encode() const {
    return "rows;" + std::to_string(partitions_) + ";" + std::to_string(rows_) + ";" +
           std::to_string(static_cast<int>(fail_kind_));
  }

 private:
  class Stream final : public physical::RecordBatchStream {
   public:
    Stream(const GeneratedRowsExec& plan, int partition,
           std::shared_ptr<physical::TaskContext> context)
        : plan_(plan), partition_(partition), context_(std::move(context)) {
      ++live_generated_streams;
    }
    ~Stream() override { --live_generated_streams; }
    std::shared_ptr<arrow::Schema> schema() const override { return plan_.properties_.schema; }
    arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
      if (plan_.fail_kind_ != arrow::StatusCode::OK && next_row_ > 0) {
        return arrow::Status(plan_.fail_kind_, "generated failure in partition " +
                                                   std::to_string(partition_) + " after row " +
                                                   std::to_string(next_row_));
      }
      int64_t n = context_->batch_size();
      if (plan_.rows_ >= 0) n = std::min(n, plan_.rows_ - next_row_);
      if (n <= 0) return nullptr;
      const int task = context_->distributed().task_index;
      arrow::Int32Builder tasks, partitions;
      arrow::Int64Builder values;
      for (int64_t i = 0; i < n; ++i) {
        ARROW_RETURN_NOT_OK(tasks.Append(task));
        ARROW_RETURN_NOT_OK(partitions.Append(partition_));
        ARROW_RETURN_NOT_OK(
            values.Append(task * 1'000'000LL + partition_ * 1'000LL + next_row_ + i));
      }
      next_row_ += n;
      ARROW_ASSIGN_OR_RAISE(auto a, tasks.Finish());
      ARROW_ASSIGN_OR_RAISE(auto b, partitions.Finish());
      ARROW_ASSIGN_OR_RAISE(auto c, values.Finish());
      return arrow::RecordBatch::Make(schema(), n, {a, b, c});
    }

   private:
    const GeneratedRowsExec& plan_;
    int partition_;
    std::shared_ptr<physical::TaskContext> context_;
    int64_t next_row_ = 0;
  };

  int partitions_;
  int64_t rows_;
  arrow::StatusCode fail_kind_;
  physical::PlanProperties properties_;
};

arrow::Result<std::string> encode_test_plan(const physical::ExecutionPlanPtr& plan) {
  auto rows = std::dynamic_pointer_cast<const GeneratedRowsExec>(plan);
  if (rows == nullptr) {
    return arrow::Status::NotImplemented("test codec cannot encode ", plan->name());
  }
  return rows->encode();
}

arrow::Result<physical::ExecutionPlanPtr> decode_test_plan(std::string_view bytes) {
  std::vector<std::string_view> parts;
  for (std::string_view rest = bytes;;) {
    auto end = rest.find(';');
    parts.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  int64_t numbers[3] = {0, 0, 0};
  bool ok = parts.size() == 4 && parts[0] == "rows";
  for (size_t i = 1; ok && i < 4; ++i) {
    auto [ptr, ec] =
        std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), numbers[i - 1]);
    ok = ec == std::errc() && ptr == parts[i].data() + parts[i].size();
  }
  if (!ok || numbers[0] < 1)
    return arrow::Status::Invalid("test codec: cannot decode '", bytes, "'");
  return std::make_shared<GeneratedRowsExec>(static_cast<int>(numbers[0]), numbers[1],
                                             static_cast<arrow::StatusCode>(numbers[2]));
}

physical::ExecutionPlanPtr rows_plan(int partitions, int64_t rows,
                                     arrow::StatusCode fail_kind = arrow::StatusCode::OK) {
  return std::make_shared<GeneratedRowsExec>(partitions, rows, fail_kind);
}

WorkerOptions worker_options() {
  WorkerOptions options;
  options.service.decoder = decode_test_plan;
  return options;
}

TaskSpec task_spec(std::string query, int task, int task_count, physical::ExecutionPlanPtr plan,
                   std::map<std::string, std::string> options = {}) {
  TaskSpec spec;
  spec.key = TaskKey{std::move(query), 1, task};
  spec.task_count = task_count;
  spec.plan = std::move(plan);
  spec.options = std::move(options);
  return spec;
}

std::unique_ptr<FlightTransport> make_transport(ChannelOptions options = {}) {
  return std::make_unique<FlightTransport>(encode_test_plan,
                                           std::make_shared<ChannelResolver>(std::move(options)));
}

// Waits (bounded) for `condition`; returns whether it became true.
template <typename Condition>
bool eventually(Condition condition) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return condition();
}

// Reads a whole partition; returns the batches.
std::vector<std::shared_ptr<arrow::RecordBatch>> fetch_all(Transport& transport,
                                                           const std::string& url,
                                                           const TaskSpec& spec, int partition) {
  auto stream = transport.fetch_partition(url, spec.key, partition, spec.plan->schema());
  EXPECT_TRUE(stream.ok()) << stream.status().ToString();
  if (!stream.ok()) return {};
  auto batches = physical::collect_stream(**stream);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  return batches.ok() ? *batches : std::vector<std::shared_ptr<arrow::RecordBatch>>{};
}

std::vector<int64_t> values_of(const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
  std::vector<int64_t> out;
  for (const auto& batch : batches) {
    auto values = std::static_pointer_cast<arrow::Int64Array>(batch->column(2));
    for (int64_t i = 0; i < values->length(); ++i) out.push_back(values->Value(i));
  }
  return out;
}

TEST(FlightWorkerTest, SubmitsAndFetchesEveryPartitionFromTwoWorkers) {
  auto cluster = InProcessCluster::start(2, worker_options()).ValueOrDie();
  auto urls = cluster->urls();
  ASSERT_EQ(urls.size(), 2u);
  EXPECT_NE(urls[0], urls[1]);
  auto transport = make_transport();
  std::vector<TaskSpec> specs;
  for (int t = 0; t < 2; ++t) {
    specs.push_back(task_spec("q1", t, 2, rows_plan(3, 10), {{"execution.batch_size", "4"}}));
    ASSERT_TRUE(transport->submit_task(urls[t], specs.back()).ok());
    // Submitting again is idempotent.
    ASSERT_TRUE(transport->submit_task(urls[t], specs.back()).ok());
  }
  EXPECT_EQ(cluster->worker(0).task_count(), 1u);
  EXPECT_EQ(cluster->worker(1).task_count(), 1u);

  std::multiset<int64_t> seen;
  for (int t = 0; t < 2; ++t) {
    for (int p = 0; p < 3; ++p) {
      auto batches = fetch_all(*transport, urls[t], specs[t], p);
      for (const auto& batch : batches) {
        EXPECT_LE(batch->num_rows(), 4) << "the task's execution.batch_size reached the worker";
        auto tasks = std::static_pointer_cast<arrow::Int32Array>(batch->column(0));
        for (int64_t i = 0; i < tasks->length(); ++i) EXPECT_EQ(tasks->Value(i), t);
      }
      for (auto v : values_of(batches)) seen.insert(v);
    }
  }
  std::multiset<int64_t> expected;
  for (int t = 0; t < 2; ++t)
    for (int p = 0; p < 3; ++p)
      for (int r = 0; r < 10; ++r) expected.insert(t * 1'000'000LL + p * 1'000LL + r);
  EXPECT_EQ(seen, expected);
  // Every partition was read to its end: the workers freed the tasks.
  EXPECT_EQ(cluster->task_count(), 0u);
  for (int t = 0; t < 2; ++t) EXPECT_TRUE(transport->end_task(urls[t], specs[t].key).ok());
}

TEST(FlightWorkerTest, CompressionNoneLz4AndZstdGiveIdenticalData) {
  auto cluster = InProcessCluster::start(1, worker_options()).ValueOrDie();
  auto url = cluster->urls()[0];
  auto transport = make_transport();
  std::vector<std::shared_ptr<arrow::Table>> tables;
  for (std::string codec : {"none", "lz4", "zstd"}) {
    auto spec = task_spec("q-" + codec, 0, 1, rows_plan(1, 5000),
                          {{"distributed.compression", codec}, {"execution.batch_size", "1000"}});
    ASSERT_TRUE(transport->submit_task(url, spec).ok()) << codec;
    auto batches = fetch_all(*transport, url, spec, 0);
    tables.push_back(arrow::Table::FromRecordBatches(spec.plan->schema(), batches).ValueOrDie());
  }
  ASSERT_EQ(tables[0]->num_rows(), 5000);
  EXPECT_TRUE(tables[0]->Equals(*tables[1]));
  EXPECT_TRUE(tables[0]->Equals(*tables[2]));

  auto bad = task_spec("q-bad", 0, 1, rows_plan(1, 5), {{"distributed.compression", "snappy"}});
  auto st = transport->submit_task(url, bad);
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_NE(st.message().find("distributed.compression"), std::string::npos) << st.ToString();
  EXPECT_EQ(cluster->task_count(), 0u);
}

TEST(FlightWorkerTest, CompressionOptionPicksTheIpcCodec) {
  EXPECT_EQ(ipc_write_options_for("none").ValueOrDie().codec, nullptr);
  EXPECT_EQ(ipc_write_options_for("lz4").ValueOrDie().codec->compression_type(),
            arrow::Compression::LZ4_FRAME);
  EXPECT_EQ(ipc_write_options_for("zstd").ValueOrDie().codec->compression_type(),
            arrow::Compression::ZSTD);
  EXPECT_EQ(ipc_write_options_for("auto").ValueOrDie().codec->compression_type(),
            arrow::Compression::LZ4_FRAME);  // what auto sends to readers on other hosts
  EXPECT_TRUE(ipc_write_options_for("gzip").status().IsInvalid());
}

TEST(FlightWorkerTest, LocalPeersAreLoopbackAddressesAndUnixSockets) {
  EXPECT_TRUE(is_local_peer("ipv4:127.0.0.1:50051"));
  EXPECT_TRUE(is_local_peer("ipv4:127.0.1.1:1"));
  EXPECT_TRUE(is_local_peer("ipv6:[::1]:50051"));
  EXPECT_TRUE(is_local_peer("ipv6:%5B::1%5D:50051"));
  EXPECT_TRUE(is_local_peer("ipv6:[::ffff:127.0.0.1]:50051"));
  EXPECT_TRUE(is_local_peer("unix:/tmp/worker.sock"));
  EXPECT_FALSE(is_local_peer("ipv4:10.0.0.12:50051"));
  EXPECT_FALSE(is_local_peer("ipv4:128.0.0.1:50051"));
  EXPECT_FALSE(is_local_peer("ipv6:[2001:db8::1]:50051"));
  EXPECT_FALSE(is_local_peer(""));
}

TEST(FlightWorkerTest, ManyPartitionsFetchedConcurrently) {
  auto cluster = InProcessCluster::start(2, worker_options()).ValueOrDie();
  auto urls = cluster->urls();
  auto transport = make_transport();
  constexpr int kPartitions = 8;
  std::vector<TaskSpec> specs;
  for (int t = 0; t < 2; ++t) {
    specs.push_back(
        task_spec("q-many", t, 2, rows_plan(kPartitions, 300), {{"execution.batch_size", "32"}}));
    ASSERT_TRUE(transport->submit_task(urls[t], specs.back()).ok());
  }
  std::vector<std::vector<int64_t>> got(2 * kPartitions);
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    for (int p = 0; p < kPartitions; ++p) {
      readers.emplace_back([&, t, p] {
        got[t * kPartitions + p] = values_of(fetch_all(*transport, urls[t], specs[t], p));
      });
    }
  }
  for (auto& reader : readers) reader.join();
  for (int t = 0; t < 2; ++t) {
    for (int p = 0; p < kPartitions; ++p) {
      const auto& values = got[t * kPartitions + p];
      ASSERT_EQ(values.size(), 300u);
      for (int r = 0; r < 300; ++r) EXPECT_EQ(values[r], t * 1'000'000LL + p * 1'000LL + r);
    }
  }
  EXPECT_EQ(cluster->task_count(), 0u);
}

TEST(FlightWorkerTest, AFailingTaskKeepsItsErrorKindAndMessage) {
  auto cluster = InProcessCluster::start(1, worker_options()).ValueOrDie();
  auto url = cluster->urls()[0];
  auto transport = make_transport();
  for (auto kind : {arrow::StatusCode::Invalid, arrow::StatusCode::NotImplemented,
                    arrow::StatusCode::IOError, arrow::StatusCode::UnknownError}) {
    auto spec = task_spec("q-fail-" + std::to_string(static_cast<int>(kind)), 0, 1,
                          rows_plan(2, 100, kind), {{"execution.batch_size", "10"}});
    ASSERT_TRUE(transport->submit_task(url, spec).ok());
    auto stream = transport->fetch_partition(url, spec.key, 1, spec.plan->schema()).ValueOrDie();
    auto first = stream->next();
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_NE(*first, nullptr);
    auto second = stream->next();
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.status().code(), kind) << second.status().ToString();
    const auto& message = second.status().message();
    EXPECT_NE(message.find("generated failure in partition 1 after row 10"), std::string::npos)
        << message;
    EXPECT_NE(message.find(url), std::string::npos) << message;
    EXPECT_NE(message.find(spec.key.to_string()), std::string::npos) << message;
    // After the error the stream stays ended.
    auto after = stream->next();
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(*after, nullptr);
    // Partition 0 was never fetched, so the task stays until it is ended.
    EXPECT_EQ(cluster->task_count(), 1u);
    ASSERT_TRUE(transport->end_task(url, spec.key).ok());
    EXPECT_EQ(cluster->task_count(), 0u);
  }
}

TEST(FlightWorkerTest, WorkerSideUserErrorsArriveAsInvalid) {
  auto cluster = InProcessCluster::start(1, worker_options()).ValueOrDie();
  auto url = cluster->urls()[0];
  auto transport = make_transport();
  // An option the worker does not know (its extension is not registered there).
  auto spec = task_spec("q-opt", 0, 1, rows_plan(1, 5), {{"numbers.numbers_per_task", "20"}});
  auto st = transport->submit_task(url, spec);
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_NE(st.message().find("numbers.numbers_per_task"), std::string::npos) << st.ToString();
  // A partition of a task that was never submitted.
  auto stream = transport->fetch_partition(url, TaskKey{"nope", 1, 0}, 0, nullptr);
  arrow::Status fetch_status = stream.status();
  if (stream.ok()) fetch_status = (*stream)->next().status();
  EXPECT_TRUE(fetch_status.IsInvalid()) << fetch_status.ToString();
  EXPECT_NE(fetch_status.message().find("nope/s1/t0"), std::string::npos)
      << fetch_status.ToString();
  // The same partition fetched twice is an internal error.
  auto twice = task_spec("q-twice", 0, 1, rows_plan(2, 5));
  ASSERT_TRUE(transport->submit_task(url, twice).ok());
  fetch_all(*transport, url, twice, 0);
  auto again = transport->fetch_partition(url, twice.key, 0, twice.plan->schema());
  arrow::Status again_status = again.status();
  if (again.ok()) again_status = (*again)->next().status();
  EXPECT_EQ(again_status.code(), arrow::StatusCode::UnknownError) << again_status.ToString();
  ASSERT_TRUE(transport->end_task(url, twice.key).ok());
  EXPECT_EQ(cluster->task_count(), 0u);
}

TEST(FlightWorkerTest, AnUnreachableWorkerFailsNamingItsUrl) {
  std::string url;
  {
    auto worker = Worker::start(worker_options()).ValueOrDie();
    url = worker->url();
  }  // the port is closed now
  ChannelOptions options;
  options.call_timeout = milliseconds(2000);
  options.connect_timeout = milliseconds(1000);
  auto transport = make_transport(options);
  auto spec = task_spec("q-gone", 0, 1, rows_plan(1, 5));
  auto started = std::chrono::steady_clock::now();
  auto st = transport->submit_task(url, spec);
  auto elapsed = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(url), std::string::npos) << st.ToString();
  // A liveness bound (the call timeout is 2 s), not a performance assertion.
  EXPECT_LT(elapsed, std::chrono::seconds(15));

  auto stream = transport->fetch_partition(url, spec.key, 0, spec.plan->schema());
  arrow::Status fetch_status = stream.status();
  if (stream.ok()) fetch_status = (*stream)->next().status();
  ASSERT_FALSE(fetch_status.ok());
  EXPECT_NE(fetch_status.message().find(url), std::string::npos) << fetch_status.ToString();

  auto malformed = transport->submit_task("not a url", spec);
  EXPECT_TRUE(malformed.IsInvalid()) << malformed.ToString();
  EXPECT_NE(malformed.message().find("not a url"), std::string::npos);
}

// A TCP port that accepts connections into its backlog but never speaks: a hung worker.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  ~SilentListener() {
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(FlightWorkerTest, AWorkerThatNeverAnswersFailsWithinTheTimeouts) {
  SilentListener silent;
  ASSERT_GT(silent.port(), 0);
  const std::string url = "grpc://127.0.0.1:" + std::to_string(silent.port());
  ChannelOptions options;
  options.call_timeout = milliseconds(1000);
  options.connect_timeout = milliseconds(1000);
  auto transport = make_transport(options);
  auto spec = task_spec("q-silent", 0, 1, rows_plan(1, 5));
  auto started = std::chrono::steady_clock::now();
  // A data stream (no call deadline) on a fresh connection, then a control call.
  auto stream = transport->fetch_partition(url, spec.key, 0, spec.plan->schema());
  arrow::Status fetch_status = stream.status();
  if (stream.ok()) fetch_status = (*stream)->next().status();
  ASSERT_FALSE(fetch_status.ok());
  EXPECT_NE(fetch_status.message().find(url), std::string::npos) << fetch_status.ToString();
  auto st = transport->submit_task(url, spec);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find(url), std::string::npos) << st.ToString();
  // A liveness bound (both timeouts are 1 s), not a performance assertion.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

TEST(FlightWorkerTest, DroppingAFetchStreamCancelsThePartition) {
  auto cluster = InProcessCluster::start(1, worker_options()).ValueOrDie();
  auto url = cluster->urls()[0];
  auto transport = make_transport();
  auto spec =
      task_spec("q-drop", 0, 1, rows_plan(1, /*endless*/ -1), {{"execution.batch_size", "64"}});
  ASSERT_TRUE(transport->submit_task(url, spec).ok());
  {
    auto stream = transport->fetch_partition(url, spec.key, 0, spec.plan->schema()).ValueOrDie();
    for (int i = 0; i < 3; ++i) {
      auto batch = stream->next();
      ASSERT_TRUE(batch.ok()) << batch.status().ToString();
      ASSERT_NE(*batch, nullptr);
    }
    EXPECT_EQ(live_generated_streams.load(), 1);
  }  // dropped while the worker still produces
  EXPECT_TRUE(eventually([] { return live_generated_streams.load() == 0; }));
  EXPECT_TRUE(eventually([&] { return cluster->task_count() == 0; }));
}

TEST(FlightWorkerTest, EndingATaskCancelsItsRunningPartitions) {
  auto cluster = InProcessCluster::start(1, worker_options()).ValueOrDie();
  auto url = cluster->urls()[0];
  auto transport = make_transport();
  auto spec = task_spec("q-end", 0, 1, rows_plan(2, -1), {{"execution.batch_size", "16"}});
  ASSERT_TRUE(transport->submit_task(url, spec).ok());
  auto stream = transport->fetch_partition(url, spec.key, 0, spec.plan->schema()).ValueOrDie();
  ASSERT_NE(stream->next().ValueOrDie(), nullptr);
  ASSERT_TRUE(transport->end_task(url, spec.key).ok());
  EXPECT_EQ(cluster->task_count(), 0u);
  // Batches already in flight may still arrive; then the stream reports the cancellation.
  arrow::Status end_status;
  for (int i = 0; i < 1'000'000; ++i) {
    auto batch = stream->next();
    if (!batch.ok()) {
      end_status = batch.status();
      break;
    }
    ASSERT_NE(*batch, nullptr) << "an endless partition ended without an error";
  }
  EXPECT_TRUE(end_status.IsCancelled()) << end_status.ToString();
  EXPECT_TRUE(eventually([] { return live_generated_streams.load() == 0; }));
  EXPECT_TRUE(transport->end_task(url, spec.key).ok()) << "end_task is idempotent";
}

TEST(FlightWorkerTest, IdleTasksExpire) {
  auto options = worker_options();
  options.service.idle_timeout = milliseconds(100);
  auto cluster = InProcessCluster::start(1, options).ValueOrDie();
  auto transport = make_transport();
  auto spec = task_spec("q-idle", 0, 1, rows_plan(1, 5));
  ASSERT_TRUE(transport->submit_task(cluster->urls()[0], spec).ok());
  EXPECT_TRUE(eventually([&] { return cluster->task_count() == 0; }));
}

TEST(FlightWorkerTest, ATokenIsRequiredWhenConfigured) {
  auto options = worker_options();
  options.token = "s3cret";
  auto cluster = InProcessCluster::start(1, options).ValueOrDie();
  auto url = cluster->urls()[0];
  auto spec = task_spec("q-auth", 0, 1, rows_plan(1, 7));

  for (std::string token : {"", "wrong"}) {
    ChannelOptions channel;
    channel.token = token;
    auto st = make_transport(channel)->submit_task(url, spec);
    ASSERT_FALSE(st.ok()) << "token '" << token << "' accepted";
    auto detail = arrow::flight::FlightStatusDetail::UnwrapStatus(st);
    ASSERT_NE(detail, nullptr) << st.ToString();
    EXPECT_EQ(detail->code(), arrow::flight::FlightStatusCode::Unauthenticated) << st.ToString();
    EXPECT_NE(st.message().find(url), std::string::npos) << st.ToString();
  }
  EXPECT_EQ(cluster->task_count(), 0u);

  ChannelOptions channel;
  channel.token = "s3cret";
  auto transport = make_transport(channel);
  ASSERT_TRUE(transport->submit_task(url, spec).ok());
  EXPECT_EQ(values_of(fetch_all(*transport, url, spec, 0)).size(), 7u);
}

TEST(FlightWorkerTest, ANonLoopbackBindNeedsAToken) {
  auto options = worker_options();
  options.host = "0.0.0.0";
  auto refused = Worker::start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.status().IsInvalid());
  EXPECT_NE(refused.status().message().find("token"), std::string::npos);

  options.token = "s3cret";
  auto worker = Worker::start(options);
  ASSERT_TRUE(worker.ok()) << worker.status().ToString();
  EXPECT_GT((*worker)->port(), 0);
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_FALSE(is_loopback_host("10.0.0.1"));
}

TEST(FlightWorkerTest, ABusyPortFailsToStartNamingIt) {
  auto first = Worker::start(worker_options()).ValueOrDie();
  auto options = worker_options();
  options.port = first->port();
  auto second = Worker::start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsIOError()) << second.status().ToString();
  EXPECT_NE(second.status().message().find(std::to_string(first->port())), std::string::npos);
}

TEST(FlightWorkerTest, ServingStopsOnSigterm) {
  auto worker = Worker::start(worker_options()).ValueOrDie();
  auto url = worker->url();
  arrow::Status served;
  std::thread serving([&] { served = worker->serve_until_signal(); });
  ASSERT_TRUE(eventually([&] { return worker->serving(); }));
  ASSERT_EQ(::raise(SIGTERM), 0);
  serving.join();
  EXPECT_TRUE(served.ok()) << served.ToString();
  // The worker no longer listens.
  auto st = make_transport()->submit_task(url, task_spec("q-after", 0, 1, rows_plan(1, 1)));
  EXPECT_FALSE(st.ok());
}

}  // namespace
}  // namespace quiver::distributed
