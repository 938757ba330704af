// Tests of the exchanges: BoundedChannel, the hash partitioner, CoalescePartitionsExec and
// RepartitionExec (row conservation, hash placement, errors, early drop, sequential readers).

#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "exec_fixtures.h"
#include "quiver/exec/exchange/bounded_channel.h"
#include "quiver/exec/exchange/coalesce_partitions_exec.h"
#include "quiver/exec/exchange/hash_partitioner.h"
#include "quiver/exec/exchange/repartition_exec.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

TEST(BoundedChannelTest, DeliversInOrderAndEndsWhenSendersClose) {
  BoundedChannel<int> channel(1, 2, 2);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(channel.send(0, i));
    channel.close_sender();
  });
  channel.close_sender();  // the second sender sends nothing
  std::vector<int> got;
  while (auto item = channel.receive(0)) got.push_back(*item);
  producer.join();
  ASSERT_EQ(got.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(got[static_cast<size_t>(i)], i);
}

TEST(BoundedChannelTest, BlocksAtCapacityUntilReceived) {
  BoundedChannel<int> channel(1, 1, 2);
  ASSERT_TRUE(channel.send(0, 1));
  ASSERT_TRUE(channel.send(0, 2));
  std::atomic<bool> sent{false};
  std::thread producer([&] {
    channel.send(0, 3);
    sent = true;
  });
  // The third send cannot complete before a receive makes room (no receiver is waiting).
  EXPECT_EQ(channel.buffered(0), 2u);
  EXPECT_EQ(*channel.receive(0), 1);
  producer.join();
  EXPECT_TRUE(sent.load());
  EXPECT_EQ(channel.buffered(0), 2u);
}

TEST(BoundedChannelTest, CancelAndDropReleaseBlockedSenders) {
  BoundedChannel<int> channel(2, 1, 1);
  ASSERT_TRUE(channel.send(0, 1));
  std::thread producer([&] { EXPECT_FALSE(channel.send(0, 2)); });
  channel.drop_receiver(0);
  producer.join();
  EXPECT_FALSE(channel.all_receivers_dropped());
  channel.drop_receiver(1);
  EXPECT_TRUE(channel.all_receivers_dropped());

  BoundedChannel<int> other(1, 1, 1);
  std::thread receiver([&] { EXPECT_FALSE(other.receive(0).has_value()); });
  other.cancel();
  receiver.join();
}

TEST(BoundedChannelTest, AWaitingReceiverLetsSendersPastAFullOutput) {
  // One thread reads output 1 while output 0 is full: the sender must not block forever.
  BoundedChannel<int> channel(2, 1, 1);
  std::thread producer([&] {
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(channel.send(0, i));
    EXPECT_TRUE(channel.send(1, 42));
    channel.close_sender();
  });
  EXPECT_EQ(*channel.receive(1), 42);
  producer.join();
  int count = 0;
  while (channel.receive(0)) ++count;
  EXPECT_EQ(count, 5);
}

TEST(BoundedChannelTest, AWokenReceiverNoLongerLetsSendersPastCapacity) {
  // The receiver waits on the empty output, the sender's first item wakes it. However long the
  // woken receiver takes to run (a loaded machine can delay it by milliseconds), a receiver
  // that has an item is not starved: the sender stops at `capacity` again. (Before the fix the
  // escape stayed open until the receiver ran, and the sender flooded the output.)
  for (int trial = 0; trial < 20; ++trial) {
    BoundedChannel<int> channel(1, 1, 2);
    std::thread producer([&] {
      // Gives the receiver time to start waiting (if it has not, the trial is merely weaker).
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      for (int i = 0; channel.send(0, i); ++i) {
      }
    });
    ASSERT_EQ(*channel.receive(0), 0);
    EXPECT_LE(channel.buffered(0), 2u) << "trial " << trial;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_LE(channel.buffered(0), 2u) << "trial " << trial;
    channel.cancel();
    producer.join();
  }
}

TEST(HashPartitionerTest, IsDeterministicAndIndependentOfIntegerWidth) {
  auto a = int64s({1, 2, 3, std::nullopt, 5});
  QUIVER_ASSIGN_OR_FAIL(h1, hash_rows({a}, 5));
  QUIVER_ASSIGN_OR_FAIL(h2, hash_rows({a}, 5));
  EXPECT_EQ(h1, h2);
  QUIVER_ASSIGN_OR_FAIL(as32, arrow::compute::Cast(*a, arrow::int32()));
  QUIVER_ASSIGN_OR_FAIL(h3, hash_rows({as32}, 5));
  EXPECT_EQ(h1, h3);
  // Fixed values, so a change of the function (which would break shuffles between versions)
  // is noticed.
  QUIVER_ASSIGN_OR_FAIL(fixed, hash_rows({int64s({0, 1})}, 2));
  EXPECT_EQ(fixed[0], 7058444493416231145ULL);
  EXPECT_EQ(fixed[1], 15155353323972939045ULL);
  std::set<uint64_t> distinct(h1.begin(), h1.end());
  EXPECT_EQ(distinct.size(), 5u);

  QUIVER_ASSIGN_OR_FAIL(dict, arrow::compute::DictionaryEncode(strings({"x", "y", "x"})));
  QUIVER_ASSIGN_OR_FAIL(hd, hash_rows({dict.make_array()}, 3));
  QUIVER_ASSIGN_OR_FAIL(hs, hash_rows({strings({"x", "y", "x"})}, 3));
  EXPECT_EQ(hd, hs);
}

TEST(HashPartitionerTest, SplitsEveryRowOnceAndEqualKeysTogether) {
  auto batch = int64_batch({"k"}, {{1, 2, 3, 1, 2, 3, std::nullopt, std::nullopt}});
  QUIVER_ASSIGN_OR_FAIL(parts, hash_partition(*batch, {col("k", 0)}, 3));
  ASSERT_EQ(parts.size(), 3u);
  std::map<std::optional<int64_t>, std::set<int>> where;
  int64_t total = 0;
  for (int p = 0; p < 3; ++p) {
    total += parts[static_cast<size_t>(p)]->length();
    for (int64_t i = 0; i < parts[static_cast<size_t>(p)]->length(); ++i) {
      const auto row = parts[static_cast<size_t>(p)]->Value(i);
      auto key = batch->column(0)->IsNull(row)
                     ? std::nullopt
                     : std::optional<int64_t>(
                           static_cast<const arrow::Int64Array&>(*batch->column(0)).Value(row));
      where[key].insert(p);
    }
  }
  EXPECT_EQ(total, 8);
  for (const auto& [key, partitions] : where) EXPECT_EQ(partitions.size(), 1u);
}

TEST(CoalescePartitionsExecTest, MergesEveryPartition) {
  auto source = numbers_source(1000, 8, 10);
  QUIVER_ASSIGN_OR_FAIL(coalesce, CoalescePartitionsExec::Make(source));
  EXPECT_EQ(coalesce->display(), "CoalescePartitionsExec");
  EXPECT_EQ(coalesce->output_partitions(), 1);
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(coalesce, make_context()));
  auto values = int64_column(*table, 0);
  std::set<std::optional<int64_t>> distinct(values.begin(), values.end());
  EXPECT_EQ(values.size(), 1000u);
  EXPECT_EQ(distinct.size(), 1000u);
  EXPECT_EQ(coalesce->metrics().output_rows(), 1000);
}

TEST(CoalescePartitionsExecTest, PropagatesErrorsAndStopsOnDrop) {
  auto source = numbers_source(1000, 4, 10);
  source->fail_at(2, 3, arrow::Status::IOError("bad input"));
  QUIVER_ASSIGN_OR_FAIL(coalesce, CoalescePartitionsExec::Make(source));
  auto result = physical::collect(coalesce, make_context());
  ASSERT_FALSE(result.ok());
  EXPECT_TRUE(result.status().IsIOError());

  auto endless = std::make_shared<TestSourceExec>(
      int64_schema({"a"}),
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>(
          4, {int64_batch({"a"}, {{1, 2, 3}})}),
      /*endless=*/true);
  QUIVER_ASSIGN_OR_FAIL(merged, CoalescePartitionsExec::Make(endless));
  {
    QUIVER_ASSIGN_OR_FAIL(stream, merged->execute(0, make_context()));
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(stream->next().ok());
  }  // dropping the stream joins the input threads
  const int64_t pulled = endless->pulled();
  EXPECT_GE(pulled, 10);
  EXPECT_EQ(endless->pulled(), pulled);  // nothing runs any more
}

class RepartitionTest : public ::testing::TestWithParam<std::tuple<int, int, int64_t>> {};

TEST_P(RepartitionTest, EveryRowArrivesExactlyOnce) {
  const auto [inputs, outputs, batch_rows] = GetParam();
  for (bool hash : {true, false}) {
    auto source = numbers_source(2000, inputs, batch_rows, /*groups=*/37);
    auto partitioning = hash ? physical::Partitioning::hash({col("g", 1)}, outputs)
                             : physical::Partitioning::round_robin(outputs);
    QUIVER_ASSIGN_OR_FAIL(repartition, RepartitionExec::Make(source, partitioning));
    EXPECT_EQ(repartition->output_partitions(), outputs);
    // Read the outputs one after the other from this thread (no deadlock allowed).
    QUIVER_ASSIGN_OR_FAIL(parts, collect_partitions(repartition, make_context()));
    std::multiset<int64_t> seen;
    std::map<int64_t, std::set<int>> group_partitions;
    for (int p = 0; p < outputs; ++p) {
      for (const auto& b : parts[static_cast<size_t>(p)]) {
        const auto& v = static_cast<const arrow::Int64Array&>(*b->column(0));
        const auto& g = static_cast<const arrow::Int64Array&>(*b->column(1));
        for (int64_t i = 0; i < b->num_rows(); ++i) {
          seen.insert(v.Value(i));
          group_partitions[g.Value(i)].insert(p);
        }
      }
    }
    ASSERT_EQ(seen.size(), 2000u);
    EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 2000u);
    if (hash) {
      for (const auto& [group, partitions] : group_partitions) {
        EXPECT_EQ(partitions.size(), 1u) << "group " << group << " split over partitions";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, RepartitionTest,
                         ::testing::Values(std::make_tuple(1, 16, 7), std::make_tuple(16, 16, 1),
                                           std::make_tuple(3, 1, 50), std::make_tuple(2, 5, 2000),
                                           std::make_tuple(16, 3, 13)));

TEST(RepartitionExecTest, DisplaysLikeDataFusion) {
  auto source = numbers_source(10, 1, 10);
  QUIVER_ASSIGN_OR_FAIL(rr, RepartitionExec::Make(source, physical::Partitioning::round_robin(16)));
  EXPECT_EQ(rr->display(), "RepartitionExec: partitioning=RoundRobinBatch(16), input_partitions=1");
  QUIVER_ASSIGN_OR_FAIL(h,
                        RepartitionExec::Make(rr, physical::Partitioning::hash({col("v", 0)}, 16)));
  EXPECT_EQ(h->display(), "RepartitionExec: partitioning=Hash([v@0], 16), input_partitions=16");
}

TEST(RepartitionExecTest, ConcurrentConsumersGetEveryRow) {
  auto source = numbers_source(5000, 4, 3, /*groups=*/101);
  QUIVER_ASSIGN_OR_FAIL(
      h, RepartitionExec::Make(source, physical::Partitioning::hash({col("g", 1)}, 8)));
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(h, make_context()));
  EXPECT_EQ(table->num_rows(), 5000);
  EXPECT_EQ(h->metrics().output_rows(), 5000);
}

TEST(RepartitionExecTest, InputErrorsReachEveryOutput) {
  auto source = numbers_source(1000, 3, 10);
  source->fail_at(1, 2, arrow::Status::IOError("broken partition"));
  QUIVER_ASSIGN_OR_FAIL(h, RepartitionExec::Make(source, physical::Partitioning::round_robin(4)));
  auto ctx = make_context();
  std::vector<physical::RecordBatchStreamPtr> streams;
  for (int p = 0; p < 4; ++p) {
    QUIVER_ASSIGN_OR_FAIL(s, h->execute(p, ctx));
    streams.push_back(std::move(s));
  }
  for (auto& s : streams) {
    auto result = physical::collect_stream(*s);
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.status().IsIOError()) << result.status().ToString();
  }
}

TEST(RepartitionExecTest, DroppingEveryOutputStopsTheProducers) {
  auto endless = std::make_shared<TestSourceExec>(
      int64_schema({"a"}),
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>(
          3, {int64_batch({"a"}, {{1, 2, 3, 4}})}),
      /*endless=*/true);
  QUIVER_ASSIGN_OR_FAIL(
      h, RepartitionExec::Make(endless, physical::Partitioning::hash({col("a", 0)}, 4)));
  {
    auto ctx = make_context();
    std::vector<physical::RecordBatchStreamPtr> streams;
    for (int p = 0; p < 4; ++p) {
      QUIVER_ASSIGN_OR_FAIL(s, h->execute(p, ctx));
      streams.push_back(std::move(s));
    }
    // Read a little from one output only, then drop everything (some never read).
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(streams[0]->next().ok());
  }
  const int64_t pulled = endless->pulled();
  EXPECT_GT(pulled, 0);
  EXPECT_EQ(endless->pulled(), pulled);  // the producers are joined: nothing pulls any more
}

TEST(RepartitionExecTest, TwoContextsRunSideBySide) {
  auto source = numbers_source(300, 2, 7);
  QUIVER_ASSIGN_OR_FAIL(h, RepartitionExec::Make(source, physical::Partitioning::round_robin(3)));
  std::vector<std::shared_ptr<physical::TaskContext>> contexts = {make_context(), make_context()};
  std::vector<std::vector<physical::RecordBatchStreamPtr>> streams(2);
  for (int p = 0; p < 3; ++p) {
    for (size_t c = 0; c < 2; ++c) {
      QUIVER_ASSIGN_OR_FAIL(s, h->execute(p, contexts[c]));
      streams[c].push_back(std::move(s));
    }
  }
  for (size_t c = 0; c < 2; ++c) {
    int64_t rows = 0;
    for (auto& s : streams[c]) {
      QUIVER_ASSIGN_OR_FAIL(batches, physical::collect_stream(*s));
      for (const auto& b : batches) rows += b->num_rows();
    }
    EXPECT_EQ(rows, 300) << "context " << c;
  }
}

TEST(RepartitionExecTest, BufferedBatchesAreReservedUntilReadOrDropped) {
  auto source = numbers_source(100, 1, 10);
  QUIVER_ASSIGN_OR_FAIL(rr, RepartitionExec::Make(source, physical::Partitioning::round_robin(2)));
  auto ctx = make_context();
  QUIVER_ASSIGN_OR_FAIL(first, rr->execute(0, ctx));
  QUIVER_ASSIGN_OR_FAIL(second, rr->execute(1, ctx));
  QUIVER_ASSIGN_OR_FAIL(batches, physical::collect_stream(*first));
  EXPECT_EQ(batches.size(), 5u);
  // Output 1 was never read: its five batches are buffered and accounted for.
  EXPECT_GT(ctx->memory_pool()->reserved(), 0);
  second.reset();
  EXPECT_EQ(ctx->memory_pool()->reserved(), 0);
}

TEST(RepartitionExecTest, CanRunTwice) {
  auto source = numbers_source(100, 2, 10);
  QUIVER_ASSIGN_OR_FAIL(h, RepartitionExec::Make(source, physical::Partitioning::round_robin(3)));
  for (int run = 0; run < 2; ++run) {
    QUIVER_ASSIGN_OR_FAIL(table, physical::collect(h, make_context()));
    EXPECT_EQ(table->num_rows(), 100);
  }
}

}  // namespace
}  // namespace quiver::exec
