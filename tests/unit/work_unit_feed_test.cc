// Work unit feeds (distributed/feed): a test leaf (FeedScanExec) reads units that a coordinator-
// side provider discovers at run time. Checked on the in-process transport and over Flight
// workers: order per partition, back-pressure (how far the provider gets while nobody reads),
// provider errors naming the feed and partition, cancellation freeing the tasks, many
// partitions and tasks, and the handle's codec form.

#include "quiver/distributed/feed/work_unit_feed.h"

#include <arrow/array.h>
#include <arrow/array/builder_primitive.h>
#include <arrow/record_batch.h>
#include <arrow/table.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "quiver/distributed/distributed_context.h"
#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/distributed_planner.h"
#include "quiver/distributed/feed/feed_pumps.h"
#include "quiver/distributed/feed/work_unit_inbox.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/in_process_transport.h"
#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/distributed/worker/task_wire.h"
#include "quiver/distributed/worker_resolver.h"

namespace quiver::distributed {
namespace {

using namespace std::chrono_literals;

// Units are int64 values partition * 1000 + index. Counts how many units were pulled; fails at
// (fail_partition, fail_index) when set; `units` per partition (-1 = endless).
struct TestProvider {
  using WorkUnit = int64_t;
  int64_t units = 5;
  int fail_partition = -1;
  int64_t fail_index = -1;
  std::chrono::milliseconds delay{0};
  std::shared_ptr<std::atomic<int64_t>> pulled = std::make_shared<std::atomic<int64_t>>(0);

  static std::string encode(const int64_t& unit) { return std::to_string(unit); }
  static arrow::Result<int64_t> decode(std::string_view bytes) {
    return std::stoll(std::string(bytes));
  }
  arrow::Result<WorkUnitGenerator<int64_t>> feed(int partition,
                                                 const physical::TaskContext& context) const {
    int64_t next = 0;
    auto self = *this;
    const physical::TaskContext* ctx = &context;
    return WorkUnitGenerator<int64_t>([=]() mutable -> arrow::Result<std::optional<int64_t>> {
      if (self.units >= 0 && next >= self.units) return std::nullopt;
      if (self.delay.count() > 0) std::this_thread::sleep_for(self.delay);
      if (ctx->cancelled()) return arrow::Status::Cancelled("stopped");
      if (partition == self.fail_partition && next == self.fail_index) {
        return arrow::Status::IOError("the source refused page ", next);
      }
      self.pulled->fetch_add(1);
      return std::optional<int64_t>(partition * 1000 + next++);
    });
  }
};

using TestFeed = WorkUnitFeed<TestProvider>;

// A leaf of `partitions` partitions over `tasks` tasks; one row (task, partition, unit) per unit.
class FeedScanExec final : public physical::ExecutionPlan {
 public:
  FeedScanExec(TestFeed feed, int partitions, int tasks)
      : feed_(std::move(feed)), partitions_(partitions), tasks_(tasks) {
    properties_.schema = schema_of();
    properties_.partitioning = physical::Partitioning::unknown((partitions + tasks - 1) / tasks);
  }
  static std::shared_ptr<arrow::Schema> schema_of() {
    return arrow::schema({arrow::field("task", arrow::int64()),
                          arrow::field("partition", arrow::int64()),
                          arrow::field("unit", arrow::int64())});
  }
  const TestFeed& feed() const { return feed_; }
  int partitions() const { return partitions_; }
  int tasks() const { return tasks_; }
  std::string_view name() const override { return "FeedScanExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr>) const override {
    return shared_from_this();
  }
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& ctx) const override {
    ARROW_ASSIGN_OR_RAISE(auto units, feed_.feed(partition, ctx));
    const int64_t task = ctx->distributed().task_index;
    const int64_t global = task * output_partitions() + partition;
    auto schema = schema_of();
    return physical::make_generator_stream(
        schema, [=]() mutable -> arrow::Result<std::shared_ptr<arrow::RecordBatch>> {
          ARROW_ASSIGN_OR_RAISE(auto unit, units());
          if (!unit) return nullptr;
          arrow::Int64Builder a, b, c;
          ARROW_RETURN_NOT_OK(a.Append(task));
          ARROW_RETURN_NOT_OK(b.Append(global));
          ARROW_RETURN_NOT_OK(c.Append(*unit));
          ARROW_ASSIGN_OR_RAISE(auto x, a.Finish());
          ARROW_ASSIGN_OR_RAISE(auto y, b.Finish());
          ARROW_ASSIGN_OR_RAISE(auto z, c.Finish());
          return arrow::RecordBatch::Make(schema, 1, {x, y, z});
        });
  }
  std::string display() const override { return "FeedScanExec"; }

 private:
  TestFeed feed_;
  int partitions_;
  int tasks_;
  physical::PlanProperties properties_;
};

class FeedScanEstimator final : public TaskEstimator {
 public:
  explicit FeedScanEstimator(int tasks) : tasks_(tasks) {}
  std::optional<TaskEstimation> task_estimation(const physical::ExecutionPlan& leaf,
                                                const common::ConfigOptions&) const override {
    if (dynamic_cast<const FeedScanExec*>(&leaf) == nullptr) return std::nullopt;
    return TaskEstimation::desired(tasks_);
  }
  arrow::Result<physical::ExecutionPlanPtr> scale_up_leaf_node(
      const physical::ExecutionPlanPtr& leaf, int task_count,
      const common::ConfigOptions&) const override {
    const auto* scan = dynamic_cast<const FeedScanExec*>(leaf.get());
    if (scan == nullptr) return nullptr;
    return std::make_shared<FeedScanExec>(scan->feed(), scan->partitions(), task_count);
  }

 private:
  int tasks_;
};

class FeedScanCodec final : public codec::PhysicalExtensionCodec {
 public:
  arrow::Result<std::optional<codec::EncodedExtension>> try_encode(
      const physical::ExecutionPlan& node) const override {
    const auto* scan = dynamic_cast<const FeedScanExec*>(&node);
    if (scan == nullptr) return std::nullopt;
    return codec::EncodedExtension{"FeedScanExec", std::to_string(scan->partitions()) + " " +
                                                       std::to_string(scan->tasks()) + " " +
                                                       scan->feed().to_proto()};
  }
  arrow::Result<physical::ExecutionPlanPtr> try_decode(
      const std::string& name, std::string_view bytes,
      std::vector<physical::ExecutionPlanPtr>) const override {
    if (name != "FeedScanExec") return physical::ExecutionPlanPtr();
    const size_t a = bytes.find(' ');
    const size_t b = bytes.find(' ', a + 1);
    ARROW_ASSIGN_OR_RAISE(auto feed, TestFeed::from_proto(bytes.substr(b + 1)));
    EXPECT_EQ(feed.provider(), nullptr);  // the provider never crosses the wire
    return std::make_shared<FeedScanExec>(std::move(feed),
                                          std::stoi(std::string(bytes.substr(0, a))),
                                          std::stoi(std::string(bytes.substr(a + 1, b - a - 1))));
  }
};

// A coordinator (planner + transport) over in-process or Flight workers.
struct Cluster {
  std::shared_ptr<InProcessTransport> in_process;
  std::unique_ptr<InProcessCluster> flight;
  std::shared_ptr<Transport> transport;
  std::vector<std::string> urls;

  static Cluster make(bool use_flight, int workers) {
    Cluster c;
    if (use_flight) {
      codec::ExtensionCodecs codecs = {std::make_shared<FeedScanCodec>()};
      c.flight = start_in_process_flight_cluster(workers, codecs).ValueOrDie();
      c.urls = c.flight->urls();
      c.transport = std::make_shared<FlightTransport>(codec_plan_encoder(codecs),
                                                      std::make_shared<ChannelResolver>());
    } else {
      c.urls = in_process_worker_urls(workers);
      c.in_process = InProcessTransport::Make(c.urls);
      c.transport = c.in_process;
    }
    return c;
  }
  // Plans `leaf` distributed over `tasks` tasks, with FeedScanExec registered as a feed leaf.
  physical::ExecutionPlanPtr plan(const std::shared_ptr<FeedScanExec>& leaf, int tasks) const {
    DistributedPlanner planner({std::make_shared<FeedScanEstimator>(tasks)},
                               std::make_shared<StaticWorkerResolver>(urls), transport);
    planner.work_unit_feeds()->add_node<FeedScanExec>(
        [](const FeedScanExec& e) { return &e.feed(); });
    auto plan = planner.plan(leaf, common::ConfigOptions{}).ValueOrDie();
    EXPECT_NE(dynamic_cast<const DistributedExec*>(plan.get()), nullptr);
    return plan;
  }
  size_t live_tasks() const {
    return in_process != nullptr ? in_process->live_tasks() : flight->task_count();
  }
};

std::shared_ptr<physical::TaskContext> new_context() {
  return std::make_shared<physical::TaskContext>(common::ConfigOptions{});
}

// Units per global partition, in arrival order.
std::map<int64_t, std::vector<int64_t>> units_by_partition(const arrow::Table& table) {
  std::map<int64_t, std::vector<int64_t>> out;
  auto combined = table.CombineChunks().ValueOrDie();
  auto partitions = std::static_pointer_cast<arrow::Int64Array>(combined->column(1)->chunk(0));
  auto units = std::static_pointer_cast<arrow::Int64Array>(combined->column(2)->chunk(0));
  for (int64_t i = 0; i < combined->num_rows(); ++i) {
    out[partitions->Value(i)].push_back(units->Value(i));
  }
  return out;
}

void expect_in_order(const arrow::Table& table, int partitions, int64_t units) {
  auto got = units_by_partition(table);
  ASSERT_EQ(static_cast<int>(got.size()), partitions);
  for (const auto& [partition, values] : got) {
    ASSERT_EQ(static_cast<int64_t>(values.size()), units) << "partition " << partition;
    for (int64_t i = 0; i < units; ++i) EXPECT_EQ(values[i], partition * 1000 + i);
  }
}

void wait_until(const std::function<bool()>& done) {
  for (int i = 0; i < 200 && !done(); ++i) std::this_thread::sleep_for(25ms);
}

class WorkUnitFeedTest : public ::testing::TestWithParam<bool> {};

TEST(WorkUnitFeedSingleNode, HandleCallsTheProviderDirectly) {
  auto provider = std::make_shared<TestProvider>();
  auto leaf = std::make_shared<FeedScanExec>(TestFeed(provider, "test"), 3, 1);
  auto table = physical::collect(leaf, new_context()).ValueOrDie();
  expect_in_order(*table, 3, 5);
}

TEST(WorkUnitFeedSingleNode, HandleCodecCarriesIdAndNameOnly) {
  TestFeed feed(std::make_shared<TestProvider>(), "pages");
  auto decoded = TestFeed::from_proto(feed.to_proto()).ValueOrDie();
  EXPECT_EQ(decoded.handle().id(), feed.handle().id());
  EXPECT_EQ(decoded.handle().name(), "pages");
  EXPECT_EQ(decoded.provider(), nullptr);
  EXPECT_NE(TestFeed(std::make_shared<TestProvider>(), "pages").handle().id(), feed.handle().id());
  EXPECT_FALSE(TestFeed::from_proto("garbage").ok());
  // Without a provider and without delivery, reading is a clear error.
  auto st = decoded.feed(0, new_context()).status();
  EXPECT_NE(st.message().find("work unit feed 'pages' partition 0"), std::string::npos) << st;
}

TEST_P(WorkUnitFeedTest, DeliversUnitsInOrderPerPartition) {
  auto cluster = Cluster::make(GetParam(), 3);
  auto provider = std::make_shared<TestProvider>();
  provider->units = 7;
  auto plan = cluster.plan(std::make_shared<FeedScanExec>(TestFeed(provider, "test"), 6, 3), 3);
  auto table = physical::collect(plan, new_context()).ValueOrDie();
  expect_in_order(*table, 6, 7);
  // Each task produced the rows of its own partitions: task t owns [2t, 2t+2).
  auto combined = table->CombineChunks().ValueOrDie();
  auto tasks = std::static_pointer_cast<arrow::Int64Array>(combined->column(0)->chunk(0));
  auto parts = std::static_pointer_cast<arrow::Int64Array>(combined->column(1)->chunk(0));
  for (int64_t i = 0; i < combined->num_rows(); ++i)
    EXPECT_EQ(parts->Value(i) / 2, tasks->Value(i));
  wait_until([&] { return cluster.live_tasks() == 0; });
  EXPECT_EQ(cluster.live_tasks(), 0u);
}

TEST_P(WorkUnitFeedTest, ManyPartitionsAndTasks) {
  const int workers = GetParam() ? 4 : 8;
  auto cluster = Cluster::make(GetParam(), workers);
  auto provider = std::make_shared<TestProvider>();
  provider->units = 4;
  const int partitions = workers * 6;
  auto plan = cluster.plan(
      std::make_shared<FeedScanExec>(TestFeed(provider, "test"), partitions, workers), workers);
  auto table = physical::collect(plan, new_context()).ValueOrDie();
  expect_in_order(*table, partitions, 4);
}

TEST_P(WorkUnitFeedTest, ProviderErrorFailsTheQueryNamingFeedAndPartition) {
  auto cluster = Cluster::make(GetParam(), 2);
  auto provider = std::make_shared<TestProvider>();
  provider->fail_partition = 3;
  provider->fail_index = 2;
  auto plan = cluster.plan(std::make_shared<FeedScanExec>(TestFeed(provider, "pages"), 4, 2), 2);
  auto result = physical::collect(plan, new_context());
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("work unit feed 'pages' partition 3"), std::string::npos)
      << result.status();
  EXPECT_NE(result.status().message().find("the source refused page 2"), std::string::npos)
      << result.status();
  wait_until([&] { return cluster.live_tasks() == 0; });
  EXPECT_EQ(cluster.live_tasks(), 0u);
}

TEST_P(WorkUnitFeedTest, DroppingTheQueryStopsThePumpsAndFreesTheTasks) {
  auto cluster = Cluster::make(GetParam(), 2);
  auto provider = std::make_shared<TestProvider>();
  provider->units = -1;  // endless
  provider->delay = 1ms;
  auto plan = cluster.plan(std::make_shared<FeedScanExec>(TestFeed(provider, "test"), 4, 2), 2);
  {
    auto stream = plan->execute(0, new_context()).ValueOrDie();
    for (int i = 0; i < 20; ++i) ASSERT_NE(stream->next().ValueOrDie(), nullptr);
  }  // dropped: the pumps are stopped and joined here
  const int64_t after_drop = provider->pulled->load();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(provider->pulled->load(), after_drop);
  wait_until([&] { return cluster.live_tasks() == 0; });
  EXPECT_EQ(cluster.live_tasks(), 0u);
}

TEST_P(WorkUnitFeedTest, BackPressureStopsTheProviderWhileNobodyReads) {
  auto cluster = Cluster::make(GetParam(), 1);
  auto provider = std::make_shared<TestProvider>();
  provider->units = 1000;
  TestFeed feed(provider, "test");
  auto leaf = std::make_shared<FeedScanExec>(feed, 1, 1);
  TaskSpec spec{TaskKey{"bp", 1, 0}, 1, leaf, {}, {feed.handle().id()}};
  ASSERT_TRUE(cluster.transport->submit_task(cluster.urls[0], spec).ok());
  auto pumps = std::make_unique<FeedPumps>(cluster.transport, *new_context());
  pumps->start(cluster.urls[0], spec.key, FeedUse{feed.handle(), 1});
  // Nobody reads the task: the provider gets one unit past the queue's capacity, no further.
  wait_until([&] { return provider->pulled->load() >= int64_t(kWorkUnitQueueCapacity) + 1; });
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(provider->pulled->load(), int64_t(kWorkUnitQueueCapacity) + 1);
  // Reading the partition drains the queue and lets the provider run to its end, in order.
  auto stream = cluster.transport->fetch_partition(cluster.urls[0], spec.key, 0, nullptr);
  ASSERT_TRUE(stream.ok()) << stream.status();
  int64_t expected = 0;
  while (true) {
    auto batch = (*stream)->next().ValueOrDie();
    if (batch == nullptr) break;
    auto units = std::static_pointer_cast<arrow::Int64Array>(batch->column(2));
    for (int64_t i = 0; i < units->length(); ++i) EXPECT_EQ(units->Value(i), expected++);
  }
  EXPECT_EQ(expected, 1000);
  stream->reset();
  ASSERT_TRUE(cluster.transport->end_task(cluster.urls[0], spec.key).ok());
  pumps->stop();
  EXPECT_EQ(provider->pulled->load(), 1000);
}

TEST_P(WorkUnitFeedTest, UndeclaredFeedIsAClearError) {
  auto cluster = Cluster::make(GetParam(), 1);
  TestFeed feed(std::make_shared<TestProvider>(), "pages");
  auto leaf = std::make_shared<FeedScanExec>(feed, 1, 1);
  TaskSpec spec{TaskKey{"undeclared", 1, 0}, 1, leaf, {}, {}};
  ASSERT_TRUE(cluster.transport->submit_task(cluster.urls[0], spec).ok());
  auto stream = cluster.transport->fetch_partition(cluster.urls[0], spec.key, 0, nullptr);
  arrow::Status st = stream.status();
  if (stream.ok()) st = (*stream)->next().status();
  EXPECT_NE(st.message().find("with_distributed_work_unit_feed"), std::string::npos) << st;
  (void)cluster.transport->end_task(cluster.urls[0], spec.key);
}

INSTANTIATE_TEST_SUITE_P(Transports, WorkUnitFeedTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Flight" : "InProcess"; });

TEST(WorkUnitFeedWire, TaskMessageTicketAndMessagesRoundTrip) {
  TaskMessage task{TaskKey{"q", 2, 1}, 3, "plan", {{"a", "b"}}, {"f1", "f2"}};
  auto decoded = decode_task_message(encode_task_message(task)).ValueOrDie();
  EXPECT_EQ(decoded.work_unit_feeds, (std::vector<std::string>{"f1", "f2"}));
  EXPECT_EQ(decoded.plan_bytes, "plan");
  auto ticket = decode_feed_ticket(encode_feed_ticket({TaskKey{"q", 2, 1}, "f2", 7})).ValueOrDie();
  EXPECT_EQ(ticket.key, (TaskKey{"q", 2, 1}));
  EXPECT_EQ(ticket.feed_id, "f2");
  EXPECT_EQ(ticket.partition, 7);
  EXPECT_FALSE(decode_feed_ticket("QFTCK1\x01").ok());
  auto unit = decode_feed_message(
      encode_feed_message({FeedMessage::Kind::kUnit, std::string("x\0y", 3), {}}));
  EXPECT_EQ(unit.ValueOrDie().unit, std::string("x\0y", 3));
  auto error =
      decode_feed_message(
          encode_feed_message({FeedMessage::Kind::kError, {}, arrow::Status::IOError("no")}))
          .ValueOrDie();
  EXPECT_TRUE(error.error.IsIOError());
  EXPECT_EQ(error.error.message(), "no");
  EXPECT_EQ(decode_feed_message(encode_feed_message({FeedMessage::Kind::kEnd, {}, {}}))->kind,
            FeedMessage::Kind::kEnd);
  EXPECT_FALSE(decode_feed_message("").ok());
  EXPECT_FALSE(decode_feed_message("Z").ok());
}

TEST(WorkUnitQueue, BoundedFifoWithEndErrorAndClose) {
  WorkUnitQueue queue(2);
  ASSERT_TRUE(queue.push("a").ok());
  ASSERT_TRUE(queue.push("b").ok());
  std::atomic<bool> stop{false};
  std::thread blocked([&] { EXPECT_TRUE(queue.push("c", [&] { return stop.load(); }).ok()); });
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(queue.size(), 2u);  // "c" waits for room
  EXPECT_EQ(*queue.pop().ValueOrDie(), "a");
  blocked.join();
  EXPECT_EQ(*queue.pop().ValueOrDie(), "b");
  EXPECT_EQ(*queue.pop().ValueOrDie(), "c");
  queue.fail(arrow::Status::IOError("boom"));
  EXPECT_EQ(queue.pop().status().message(), "boom");
  WorkUnitQueue ended(1);
  ended.finish();
  EXPECT_FALSE(ended.pop().ValueOrDie().has_value());
  WorkUnitQueue closed(1);
  ASSERT_TRUE(closed.push("x").ok());
  std::thread waiter([&] { EXPECT_TRUE(closed.push("y").IsCancelled()); });
  std::this_thread::sleep_for(50ms);
  closed.close();
  waiter.join();
  EXPECT_TRUE(closed.pop().status().IsCancelled());
}

}  // namespace
}  // namespace quiver::distributed
