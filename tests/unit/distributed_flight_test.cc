// Distributed queries over real Arrow Flight workers (an in-process cluster on loopback ports):
// stage plans cross as plan-codec bytes, workers read the stages below theirs from each other,
// worker errors come back with their kind, unreachable workers are named, and no task state is
// left on any worker after a query. Also the codec of the distributed nodes themselves.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/table.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <future>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec_codec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "distributed_fixtures.h"
#include "quiver/distributed/codec/plan_codec.h"
#include "quiver/distributed/display.h"
#include "quiver/distributed/distributed_exec.h"
#include "quiver/distributed/distributed_leaf_exec.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/network/network_coalesce_exec.h"
#include "quiver/distributed/worker/flight_transport.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/source/empty_exec.h"

namespace quiver::distributed {
namespace {

const char* const kSeedQuery = "SELECT DISTINCT number FROM numbers(0, 100) ORDER BY number";

using testing::numbers_codecs;

common::ConfigOptions numbers_config() {
  common::ConfigOptions options;
  EXPECT_TRUE(options.register_extension(examples::NumbersConfig{}).ok());
  return options;
}

std::shared_ptr<catalog::SessionContext> numbers_session(const std::vector<std::string>& urls,
                                                         ChannelOptions channels = {}) {
  return testing::flight_numbers_session(urls, 16, std::move(channels));
}

using testing::rows_of;

arrow::Result<std::shared_ptr<arrow::Table>> try_run(catalog::SessionContext& session,
                                                     const std::string& sql) {
  ARROW_ASSIGN_OR_RAISE(auto df, session.sql(sql));
  return df->collect();
}

TEST(FlightDistributedTest, SeedQueryOnFourWorkersMatchesSingleNode) {
  auto cluster = start_in_process_flight_cluster(4, numbers_codecs(), numbers_config);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  auto session = numbers_session((*cluster)->urls());
  auto single = numbers_session({});

  auto plan = session->sql(kSeedQuery).ValueOrDie()->physical_plan().ValueOrDie();
  ASSERT_EQ(plan->name(), "DistributedExec");
  const std::string text = display_distributed_plan(*plan);
  EXPECT_NE(text.find("[Stage 2] => NetworkCoalesceExec"), std::string::npos) << text;
  EXPECT_NE(text.find("[Stage 1] => NetworkShuffleExec"), std::string::npos) << text;

  auto expected = rows_of(testing::run(*single, kSeedQuery), false);
  ASSERT_EQ(expected.size(), 100u);
  EXPECT_EQ(rows_of(testing::run(*session, kSeedQuery), false), expected);
  EXPECT_EQ((*cluster)->task_count(), 0u);

  // A grouped aggregate with partial states crossing the shuffle, and a changed user option
  // (numbers.numbers_per_task) that must reach the workers' estimator-split leaves.
  const std::string grouped =
      "SELECT number % 7 AS k, count(*) AS c, sum(number) AS s, avg(number) AS a "
      "FROM numbers(0, 10000) GROUP BY number % 7 ORDER BY k";
  ASSERT_TRUE(session->set_option("numbers.numbers_per_task", "1000").ok());
  auto grouped_expected = rows_of(testing::run(*single, grouped), false);
  ASSERT_EQ(grouped_expected.size(), 7u);
  EXPECT_EQ(rows_of(testing::run(*session, grouped), false), grouped_expected);
  EXPECT_EQ((*cluster)->task_count(), 0u);
}

TEST(FlightDistributedTest, SplitFileScansMatchSingleNode) {
  auto cluster = start_in_process_flight_cluster(3, numbers_codecs(), numbers_config);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  auto session = numbers_session((*cluster)->urls());
  ASSERT_TRUE(session->set_option("execution.target_partitions", "2").ok());
  ASSERT_TRUE(session->set_option("distributed.bytes_per_partition", "10KB").ok());
  auto single = numbers_session({});
  const std::string sql =
      "SELECT \"RainToday\", count(*) AS c, round(avg(\"MaxTemp\"), 6) AS t, "
      "max(\"Rainfall\") AS r FROM weather GROUP BY \"RainToday\"";  // (sums in any order)
  auto plan = session->sql(sql).ValueOrDie()->physical_plan().ValueOrDie();
  ASSERT_EQ(plan->name(), "DistributedExec");
  EXPECT_NE(display_distributed_plan(*plan).find("DistributedLeafExec: DataSourceExec"),
            std::string::npos);
  auto expected = rows_of(testing::run(*single, sql), true);
  ASSERT_EQ(expected.size(), 2u);
  EXPECT_EQ(rows_of(testing::run(*session, sql), true), expected);
  EXPECT_EQ((*cluster)->task_count(), 0u);
}

// A leaf whose partitions yield one row and then fail with Invalid naming the task.
class FailingExec final : public physical::ExecutionPlan {
 public:
  FailingExec() {
    properties_.schema = arrow::schema({arrow::field("x", arrow::int64())});
    properties_.partitioning = physical::Partitioning::unknown(1);
  }
  std::string_view name() const override { return "FailingExec"; }
  const physical::PlanProperties& properties() const override { return properties_; }
  std::vector<physical::ExecutionPlanPtr> children() const override { return {}; }
  arrow::Result<physical::ExecutionPlanPtr> with_new_children(
      std::vector<physical::ExecutionPlanPtr>) const override {
    return shared_from_this();
  }
  std::string display() const override { return "FailingExec"; }
  arrow::Result<physical::RecordBatchStreamPtr> execute(
      int partition, const std::shared_ptr<physical::TaskContext>& context) const override {
    ARROW_RETURN_NOT_OK(physical::check_partition(*this, partition));
    return std::make_unique<Stream>(properties_.schema, context->distributed().task_index);
  }

 private:
  class Stream final : public physical::RecordBatchStream {
   public:
    Stream(std::shared_ptr<arrow::Schema> schema, int task)
        : schema_(std::move(schema)), task_(task) {}
    std::shared_ptr<arrow::Schema> schema() const override { return schema_; }
    arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
      if (sent_) {
        return arrow::Status::Invalid("column x: value out of range in task ", task_);
      }
      sent_ = true;
      arrow::Int64Builder builder;
      ARROW_RETURN_NOT_OK(builder.Append(1));
      ARROW_ASSIGN_OR_RAISE(auto array, builder.Finish());
      return arrow::RecordBatch::Make(schema_, 1, {array});
    }

   private:
    std::shared_ptr<arrow::Schema> schema_;
    int task_;
    bool sent_ = false;
  };
  physical::PlanProperties properties_;
};

class FailingExecCodec final : public codec::PhysicalExtensionCodec {
 public:
  arrow::Result<std::optional<codec::EncodedExtension>> try_encode(
      const physical::ExecutionPlan& node) const override {
    if (dynamic_cast<const FailingExec*>(&node) == nullptr) return std::nullopt;
    return codec::EncodedExtension{"FailingExec", ""};
  }
  arrow::Result<physical::ExecutionPlanPtr> try_decode(
      const std::string& name, std::string_view,
      std::vector<physical::ExecutionPlanPtr>) const override {
    if (name != "FailingExec") return nullptr;
    return std::make_shared<FailingExec>();
  }
};

TEST(FlightDistributedTest, AFailingTaskReturnsTheWorkersErrorKindAndMessage) {
  codec::ExtensionCodecs codecs{std::make_shared<FailingExecCodec>()};
  auto cluster = start_in_process_flight_cluster(2, codecs);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  const auto urls = (*cluster)->urls();
  // Stage 1: FailingExec on two tasks; the head gathers them.
  auto boundary = NetworkCoalesceExec::Make(std::make_shared<FailingExec>(), BoundaryPlan{1, 2, 1})
                      .ValueOrDie();
  auto head = exec::CoalescePartitionsExec::Make(boundary).ValueOrDie();
  auto transport = std::make_shared<FlightTransport>(codec_plan_encoder(codecs),
                                                     std::make_shared<ChannelResolver>());
  auto root = DistributedExec::Make(head, std::make_shared<StaticWorkerResolver>(urls), transport)
                  .ValueOrDie();

  auto context = std::make_shared<physical::TaskContext>(common::ConfigOptions{});
  auto stream = root->execute(0, context);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  arrow::Status failure;
  while (true) {
    auto batch = (*stream)->next();
    if (!batch.ok()) {
      failure = batch.status();
      break;
    }
    if (*batch == nullptr) break;
  }
  ASSERT_FALSE(failure.ok()) << "the query did not fail";
  EXPECT_TRUE(failure.IsInvalid()) << failure.ToString();
  EXPECT_NE(failure.message().find("column x: value out of range in task"), std::string::npos)
      << failure.ToString();
  EXPECT_NE(failure.message().find("worker grpc://127.0.0.1:"), std::string::npos)
      << failure.ToString();
  stream->reset();
  EXPECT_EQ((*cluster)->task_count(), 0u);
}

TEST(FlightDistributedTest, WorkersWithoutTheUserCodecSayWhichNode) {
  auto cluster = start_in_process_flight_cluster(2, {}, numbers_config);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  auto session = numbers_session((*cluster)->urls());
  auto result = try_run(*session, kSeedQuery);
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsNotImplemented()) << result.status().ToString();
  EXPECT_NE(result.status().message().find("no codec for node NumbersExec"), std::string::npos)
      << result.status().ToString();
  EXPECT_EQ((*cluster)->task_count(), 0u);
}

// Returns a loopback port nothing listens on (bound, then released).
int closed_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(FlightDistributedTest, AnUnreachableWorkerFailsNamingItsUrl) {
  auto cluster = start_in_process_flight_cluster(1, numbers_codecs(), numbers_config);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  const std::string dead = "grpc://127.0.0.1:" + std::to_string(closed_port());
  ChannelOptions channels;
  channels.call_timeout = std::chrono::seconds(2);
  channels.connect_timeout = std::chrono::seconds(2);
  auto session = numbers_session({(*cluster)->urls()[0], dead}, channels);
  auto pending = std::async(std::launch::async, [&] { return try_run(*session, kSeedQuery); });
  // Bounded by the channel timeouts; a hang would fail here instead of blocking the suite.
  ASSERT_EQ(pending.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  auto result = pending.get();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(dead), std::string::npos) << result.status().ToString();
  EXPECT_EQ((*cluster)->task_count(), 0u);
}

TEST(FlightDistributedTest, DistributedNodesRoundTripThroughThePlanCodec) {
  auto session = testing::make_session(3, 2);
  ASSERT_TRUE(session.session->set_option("distributed.bytes_per_partition", "10KB").ok());
  auto plan =
      session.session->sql("SELECT \"RainToday\", count(*) FROM weather GROUP BY \"RainToday\"")
          .ValueOrDie()
          ->physical_plan()
          .ValueOrDie();
  ASSERT_EQ(plan->name(), "DistributedExec");
  const auto& head = static_cast<const DistributedExec&>(*plan).head();
  auto bytes = codec::encode_plan(*head);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto decoded = codec::decode_plan(*bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(physical::display_plan(**decoded), physical::display_plan(*head));
  const auto stages = stages_under(head);
  ASSERT_FALSE(stages.empty());
  const auto decoded_stages = stages_under(*decoded);
  ASSERT_EQ(decoded_stages.size(), stages.size());
  for (size_t i = 0; i < stages.size(); ++i) {
    EXPECT_EQ(decoded_stages[i].number, stages[i].number);
    EXPECT_EQ(decoded_stages[i].task_count, stages[i].task_count);
  }

  // A routed boundary keeps its query id, stage and per-task workers.
  const NetworkBoundary* boundary = nullptr;
  physical::ExecutionPlanPtr node = head;
  while (boundary == nullptr && !node->children().empty()) {
    boundary = dynamic_cast<const NetworkBoundary*>(node.get());
    if (boundary == nullptr) node = node->children()[0];
  }
  ASSERT_NE(boundary, nullptr);
  StageRouting routing{"q-test", boundary->plan().stage, {}};
  for (int t = 0; t < boundary->plan().input_tasks; ++t) {
    routing.task_workers.push_back("grpc://127.0.0.1:" + std::to_string(9000 + t));
  }
  auto routed = boundary->with_input_and_routing(boundary->input(), routing).ValueOrDie();
  auto routed_back = codec::decode_plan(codec::encode_plan(*routed).ValueOrDie()).ValueOrDie();
  const auto* back = dynamic_cast<const NetworkBoundary*>(routed_back.get());
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->name(), boundary->name());
  ASSERT_TRUE(back->routing().has_value());
  EXPECT_EQ(back->routing()->query_id, "q-test");
  EXPECT_EQ(back->routing()->stage, routing.stage);
  EXPECT_EQ(back->routing()->task_workers, routing.task_workers);

  // The split file scan travels with its task count.
  bool found_leaf = false;
  std::function<void(const physical::ExecutionPlanPtr&)> walk =
      [&](const physical::ExecutionPlanPtr& p) {
        if (const auto* leaf = dynamic_cast<const DistributedLeafExec*>(p.get())) {
          found_leaf = true;
          EXPECT_GT(leaf->task_count(), 1);
          EXPECT_NE(leaf->display().find("DataSourceExec"), std::string::npos);
        }
        for (const auto& child : p->children()) walk(child);
      };
  walk(*decoded);
  EXPECT_TRUE(found_leaf) << display_distributed_plan(*plan);
}

TEST(FlightDistributedTest, MalformedBoundaryRoutingIsRejected) {
  auto leaf =
      exec::EmptyExec::Make(arrow::schema({arrow::field("x", arrow::int64())}), false).ValueOrDie();
  auto planned =
      NetworkCoalesceExec::Make(leaf, BoundaryPlan{1, 2, 1}, StageRouting{"q", 1, {"grpc://a:1"}})
          .ValueOrDie();  // one worker for two tasks
  auto bytes = codec::encode_plan(*planned).ValueOrDie();
  auto decoded = codec::decode_plan(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(decoded.status().IsInvalid()) << decoded.status().ToString();
}

}  // namespace
}  // namespace quiver::distributed
