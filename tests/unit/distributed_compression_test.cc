// `distributed.compression` on the wire: Flight workers count the record batches they send by the
// codec found in the IPC bodies (LZ4 frame / Zstandard magic numbers after the 8-byte length
// prefix), one query per setting; an unknown value fails the query naming the option.

#include <gtest/gtest.h>

#include "custom_execution_plan/numbers_config.h"
#include "custom_execution_plan/numbers_exec_codec.h"
#include "custom_execution_plan/numbers_table_function.h"
#include "custom_execution_plan/numbers_task_estimator.h"
#include "distributed_fixtures.h"
#include "quiver/distributed/flight_cluster.h"
#include "quiver/distributed/worker/wire_codecs.h"

namespace quiver::distributed {
namespace {

const char* const kQuery =
    "SELECT number % 7 AS k, count(*) AS c FROM numbers(0, 10000) GROUP BY number % 7 ORDER BY k";

struct Counts {
  int64_t none = 0, lz4 = 0, zstd = 0;
};

Counts counts_of(InProcessCluster& cluster) {
  Counts out;
  for (int i = 0; i < cluster.size(); ++i) {
    const auto& c = cluster.worker(i).wire_codecs();
    out.none += c.none.load();
    out.lz4 += c.lz4.load();
    out.zstd += c.zstd.load();
  }
  return out;
}

class CompressionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    codec::ExtensionCodecs codecs{std::make_shared<examples::NumbersExecCodec>()};
    auto cluster = start_in_process_flight_cluster(3, codecs, [] {
      common::ConfigOptions options;
      EXPECT_TRUE(options.register_extension(examples::NumbersConfig{}).ok());
      return options;
    });
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    session_ = catalog::SessionContext::Make();
    ASSERT_TRUE(session_->register_config_extension(examples::NumbersConfig{}).ok());
    ASSERT_TRUE(
        session_
            ->register_table_function("numbers", std::make_shared<examples::NumbersTableFunction>())
            .ok());
    ASSERT_TRUE(session_->set_option("numbers.numbers_per_task", "1000").ok());
    ASSERT_TRUE(enable_flight_distributed(*session_, cluster_->urls(), codecs,
                                          {std::make_shared<examples::NumbersTaskEstimator>()})
                    .ok());
  }

  // Runs kQuery and returns the batches the workers sent meanwhile, by codec.
  Counts run_and_count() {
    const Counts before = counts_of(*cluster_);
    auto table = testing::run(*session_, kQuery);
    EXPECT_NE(table, nullptr);
    if (table != nullptr) EXPECT_EQ(table->num_rows(), 7);
    const Counts after = counts_of(*cluster_);
    return {after.none - before.none, after.lz4 - before.lz4, after.zstd - before.zstd};
  }

  std::unique_ptr<InProcessCluster> cluster_;
  std::shared_ptr<catalog::SessionContext> session_;
};

// The default (auto) sends plain bodies: every reader of these loopback workers is on their host.
TEST_F(CompressionTest, AutoIsTheDefaultAndSendsPlainBodiesOnOneHost) {
  const Counts sent = run_and_count();
  EXPECT_GT(sent.none, 0);
  EXPECT_EQ(sent.lz4, 0);
  EXPECT_EQ(sent.zstd, 0);
}

TEST_F(CompressionTest, Lz4CompressesWithLz4) {
  ASSERT_TRUE(session_->set_option("distributed.compression", "lz4").ok());
  const Counts sent = run_and_count();
  EXPECT_GT(sent.lz4, 0);
  EXPECT_EQ(sent.zstd, 0);
  EXPECT_EQ(sent.none, 0);
}

TEST_F(CompressionTest, ZstdCompressesWithZstd) {
  ASSERT_TRUE(session_->set_option("distributed.compression", "zstd").ok());
  const Counts sent = run_and_count();
  EXPECT_GT(sent.zstd, 0);
  EXPECT_EQ(sent.lz4, 0);
  EXPECT_EQ(sent.none, 0);
}

TEST_F(CompressionTest, NoneSendsPlainBodies) {
  ASSERT_TRUE(session_->set_option("distributed.compression", "none").ok());
  const Counts sent = run_and_count();
  EXPECT_GT(sent.none, 0);
  EXPECT_EQ(sent.lz4, 0);
  EXPECT_EQ(sent.zstd, 0);
}

TEST_F(CompressionTest, AnUnknownCodecFailsTheQueryNamingTheOption) {
  ASSERT_TRUE(session_->set_option("distributed.compression", "snappy").ok());
  auto df = session_->sql(kQuery);
  ASSERT_TRUE(df.ok()) << df.status().ToString();
  auto result = (*df)->collect();
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsInvalid()) << result.status().ToString();
  EXPECT_NE(result.status().message().find("distributed.compression"), std::string::npos);
  EXPECT_NE(result.status().message().find("'snappy'"), std::string::npos);
  EXPECT_EQ(cluster_->task_count(), 0u);  // nothing was submitted
}

TEST(WireCodecTest, ReadsTheFrameMagicAfterTheLengthPrefix) {
  auto buffer = [](std::vector<uint8_t> bytes) {
    return arrow::Buffer::FromString(std::string(bytes.begin(), bytes.end()));
  };
  EXPECT_EQ(body_buffer_codec(*buffer({8, 0, 0, 0, 0, 0, 0, 0, 0x04, 0x22, 0x4D, 0x18})), "lz4");
  EXPECT_EQ(body_buffer_codec(*buffer({8, 0, 0, 0, 0, 0, 0, 0, 0x28, 0xB5, 0x2F, 0xFD})), "zstd");
  EXPECT_EQ(body_buffer_codec(*buffer({1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0})), "none");
  EXPECT_EQ(body_buffer_codec(*buffer({1, 2, 3})), "");
}

}  // namespace
}  // namespace quiver::distributed
