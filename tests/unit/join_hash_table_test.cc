// IntKeyMap (direct and hashed, one by one and batched) and JoinHashTable's integer-key path:
// NULL keys, duplicates, empty builds, and tables over several chunks.

#include "quiver/exec/join/join_hash_table.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>

#include "exec_fixtures.h"

namespace quiver::exec {
namespace {

using testing::int64s;
using Opt = std::optional<int64_t>;

/// The ids IntKeyMap must give: dense, in first-seen order.
std::vector<uint32_t> first_seen_ids(const std::vector<int64_t>& keys) {
  std::unordered_map<int64_t, uint32_t> ids;
  std::vector<uint32_t> out;
  for (int64_t k : keys)
    out.push_back(ids.emplace(k, static_cast<uint32_t>(ids.size())).first->second);
  return out;
}

void expect_map_agrees(const std::vector<int64_t>& keys, const std::vector<int64_t>& probes,
                       bool expect_direct) {
  const IntKeyRange range{*std::min_element(keys.begin(), keys.end()),
                          *std::max_element(keys.begin(), keys.end())};
  const auto n = static_cast<int64_t>(keys.size());
  const auto expected = first_seen_ids(keys);
  std::unordered_map<int64_t, uint32_t> reference;
  for (size_t i = 0; i < keys.size(); ++i) reference.emplace(keys[i], expected[i]);
  for (const bool with_range : {false, true}) {
    SCOPED_TRACE(with_range ? "with range" : "hashed");
    IntKeyMap batched(n, with_range ? std::optional(range) : std::nullopt);
    IntKeyMap single(n, with_range ? std::optional(range) : std::nullopt);
    EXPECT_EQ(batched.is_direct(), with_range && expect_direct);
    std::vector<uint32_t> ids(keys.size());
    batched.insert_all(keys.data(), n, ids.data());
    EXPECT_EQ(ids, expected);
    for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(single.insert(keys[i]), expected[i]);
    EXPECT_EQ(batched.size(), static_cast<uint32_t>(reference.size()));
    std::vector<uint32_t> found(probes.size());
    batched.find_all(probes.data(), static_cast<int64_t>(probes.size()), found.data());
    for (size_t i = 0; i < probes.size(); ++i) {
      const auto it = reference.find(probes[i]);
      const uint32_t want = it == reference.end() ? IntKeyMap::kMissing : it->second;
      EXPECT_EQ(found[i], want) << "probe " << probes[i];
      EXPECT_EQ(single.find(probes[i]), want) << "probe " << probes[i];
    }
  }
}

TEST(IntKeyMapTest, DirectAndHashedAgreeWithFirstSeenIds) {
  std::mt19937_64 rng(3);
  // Narrow keys with duplicates (direct when the range is given), probes also outside it.
  std::uniform_int_distribution<int64_t> narrow(-50, 150);
  std::vector<int64_t> keys, probes;
  for (int i = 0; i < 300; ++i) keys.push_back(narrow(rng));
  for (int i = 0; i < 500; ++i) probes.push_back(narrow(rng) * 2 - 100);
  probes.push_back(std::numeric_limits<int64_t>::min());
  probes.push_back(std::numeric_limits<int64_t>::max());
  expect_map_agrees(keys, probes, /*expect_direct=*/true);
  // Wide keys: hashed even with the range.
  std::vector<int64_t> wide = {std::numeric_limits<int64_t>::min(), 0, -1,       1,
                               std::numeric_limits<int64_t>::max(), 0, 1LL << 40};
  for (int i = 0; i < 200; ++i) wide.push_back(static_cast<int64_t>(rng()) >> (i % 40));
  std::vector<int64_t> wide_probes = wide;
  for (int i = 0; i < 200; ++i) wide_probes.push_back(static_cast<int64_t>(rng()));
  expect_map_agrees(wide, wide_probes, /*expect_direct=*/false);
}

TEST(IntKeyMapTest, NarrowTypesAreWidened) {
  const std::vector<int8_t> keys = {-128, 127, 0, -128, 5};
  IntKeyMap map(5, IntKeyRange{-128, 127});
  std::vector<uint32_t> ids(keys.size());
  map.insert_all(keys.data(), 5, ids.data());
  EXPECT_EQ(ids, (std::vector<uint32_t>{0, 1, 2, 0, 3}));
  const std::vector<int8_t> probes = {5, 6, -128};
  std::vector<uint32_t> found(3);
  map.find_all(probes.data(), 3, found.data());
  EXPECT_EQ(found, (std::vector<uint32_t>{3, IntKeyMap::kMissing, 0}));
}

TEST(IntKeyMapTest, KeyRangeSkipsNulls) {
  EXPECT_FALSE(int_key_range(*int64s({Opt(), Opt()})).has_value());
  const auto range = int_key_range(*int64s({Opt(), Opt(7), Opt(-3), Opt(), Opt(4)}));
  ASSERT_TRUE(range.has_value());
  EXPECT_EQ(range->min, -3);
  EXPECT_EQ(range->max, 7);
  // A slice starts at its own first row.
  const auto sliced = int_key_range(*int64s({Opt(100), Opt(2), Opt(), Opt(3)})->Slice(1));
  EXPECT_EQ(sliced->min, 2);
  EXPECT_EQ(sliced->max, 3);
}

std::shared_ptr<arrow::RecordBatch> key_batch(const std::vector<Opt>& keys) {
  auto column = int64s(keys);
  return arrow::RecordBatch::Make(arrow::schema({arrow::field("k", arrow::int64())}),
                                  column->length(), {column});
}

/// Returns, for each probe key, the build rows of its group (empty when none).
std::vector<std::vector<uint32_t>> matches(const JoinHashTable& table,
                                           const std::vector<Opt>& probe) {
  auto ids = table.lookup({int64s(probe)}, static_cast<int64_t>(probe.size())).ValueOrDie();
  std::vector<std::vector<uint32_t>> out;
  for (const uint32_t g : ids) {
    out.emplace_back();
    if (g == JoinHashTable::kNoGroup) continue;
    for (uint32_t i = table.offsets()[g]; i < table.offsets()[g + 1]; ++i) {
      out.back().push_back(table.rows()[i]);
    }
  }
  return out;
}

TEST(JoinHashTableTest, IntKeysWithNullsAndDuplicates) {
  auto pool = std::make_shared<physical::QueryMemoryPool>(0);
  // Narrow keys (a direct map) and the same shape with one far key (hashed).
  for (const int64_t far : {int64_t{9}, int64_t{1} << 50}) {
    SCOPED_TRACE(far);
    const std::vector<Opt> build = {Opt(5), Opt(), Opt(7), Opt(5), Opt(), Opt(far)};
    const std::vector<Opt> probe = {Opt(7), Opt(), Opt(5), Opt(3), Opt(far), Opt(-1)};
    for (const bool null_equals_null : {false, true}) {
      physical::MemoryReservation reservation(pool, "test");
      QUIVER_ASSIGN_OR_FAIL(table, JoinHashTable::Make(key_batch(build), {int64s(build)},
                                                       null_equals_null, reservation));
      const std::vector<uint32_t> nulls =
          null_equals_null ? std::vector<uint32_t>{1, 4} : std::vector<uint32_t>{};
      EXPECT_EQ(matches(*table, probe),
                (std::vector<std::vector<uint32_t>>{{2}, nulls, {0, 3}, {}, {5}, {}}));
      EXPECT_TRUE(table->key_is_null(1));
      EXPECT_FALSE(table->key_is_null(0));
      EXPECT_EQ(table->num_groups(), null_equals_null ? 4u : 3u);
    }
  }
}

TEST(JoinHashTableTest, EmptyBuildMatchesNothing) {
  auto pool = std::make_shared<physical::QueryMemoryPool>(0);
  physical::MemoryReservation reservation(pool, "test");
  for (const bool null_equals_null : {false, true}) {
    QUIVER_ASSIGN_OR_FAIL(
        table, JoinHashTable::Make(key_batch({}), {int64s({})}, null_equals_null, reservation));
    EXPECT_EQ(table->num_rows(), 0);
    EXPECT_EQ(matches(*table, {Opt(1), Opt(), Opt(0)}),
              (std::vector<std::vector<uint32_t>>{{}, {}, {}}));
  }
}

TEST(JoinHashTableTest, ChunkedRowsAreTakenAcrossChunks) {
  auto pool = std::make_shared<physical::QueryMemoryPool>(0);
  physical::MemoryReservation reservation(pool, "test");
  const std::vector<Opt> keys = {Opt(1), Opt(2), Opt(), Opt(1), Opt(4), Opt(2), Opt(6)};
  std::vector<std::shared_ptr<arrow::RecordBatch>> chunks = {
      key_batch({keys[0], keys[1], keys[2]}), key_batch({keys[3]}),
      key_batch({keys[4], keys[5], keys[6]})};
  const auto schema = chunks[0]->schema();
  QUIVER_ASSIGN_OR_FAIL(table, JoinHashTable::Make(std::move(chunks), schema, {int64s(keys)},
                                                   /*null_equals_null=*/false, reservation));
  EXPECT_EQ(table->batch(), nullptr);
  EXPECT_EQ(table->num_rows(), 7);
  EXPECT_EQ(matches(*table, {Opt(2), Opt(1), Opt()}),
            (std::vector<std::vector<uint32_t>>{{1, 5}, {0, 3}, {}}));
  const std::vector<uint32_t> rows = {0, 2, 3, 4, 6};
  QUIVER_ASSIGN_OR_FAIL(columns, table->take_rows(rows.data(), 5));
  ASSERT_EQ(columns.size(), 1u);
  EXPECT_TRUE(columns[0]->Equals(*int64s({Opt(1), Opt(), Opt(1), Opt(4), Opt(6)})));
  // A key column of the wrong length is an error.
  QUIVER_ASSIGN_OR_FAIL(batch_table, JoinHashTable::Make({key_batch(keys)}, schema, {int64s(keys)},
                                                         false, reservation));
  EXPECT_NE(batch_table->batch(), nullptr);
  EXPECT_FALSE(
      JoinHashTable::Make({key_batch(keys)}, schema, {int64s({Opt(1)})}, false, reservation).ok());
}

}  // namespace
}  // namespace quiver::exec
