// Tests of GroupTable's multi-column key paths against arrow's own Grouper as the oracle: the
// same rows must group together (ours dense in first-seen order) with the same key columns, over
// random keys with NULLs, many batches, growth across batches, sliced input and mixed key widths.

#include <arrow/array/builder_binary.h>
#include <arrow/buffer.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <arrow/compute/row/grouper.h>
#include <arrow/util/bit_util.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>
#include <string>

#include "exec_fixtures.h"
#include "quiver/exec/aggregate/group_table.h"

namespace quiver::exec {
namespace {

using namespace quiver::exec::testing;  // NOLINT

using Types = std::vector<std::shared_ptr<arrow::DataType>>;
using Columns = std::vector<std::shared_ptr<arrow::Array>>;

// A random column of `n` rows with about `null_percent`% NULLs and values drawn from `domain`
// distinct ones (a few of them extreme: 0, all bits set, the sign bit alone).
std::shared_ptr<arrow::Array> random_column(const std::shared_ptr<arrow::DataType>& type, int64_t n,
                                            int64_t domain, int null_percent,
                                            std::mt19937_64& rng) {
  auto value_of = [&](int64_t pick) -> uint64_t {
    if (pick == 0) return 0;
    if (pick == 1) return ~uint64_t{0};
    if (pick == 2) return uint64_t{1} << 63;
    return static_cast<uint64_t>(pick) * 0x9E3779B97F4A7C15ull;  // spread over all bits
  };
  std::uniform_int_distribution<int64_t> pick(0, domain - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  if (type->id() == arrow::Type::LARGE_STRING || type->id() == arrow::Type::BINARY) {
    auto utf8 = random_column(arrow::utf8(), n, domain, null_percent, rng);
    return arrow::compute::Cast(utf8, type).ValueOrDie().make_array();
  }
  if (type->id() == arrow::Type::STRING) {
    arrow::StringBuilder builder;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t p = pick(rng);
      // Lengths 0 to ~20; "" is a value distinct from NULL.
      const std::string s = p == 0 ? "" : std::string(p % 17, 'a' + p % 26) + std::to_string(p);
      EXPECT_TRUE((percent(rng) < null_percent ? builder.AppendNull() : builder.Append(s)).ok());
    }
    return builder.Finish().ValueOrDie();
  }
  const int width = type->byte_width();
  auto values = arrow::AllocateBuffer(n * width).ValueOrDie();
  auto validity = arrow::AllocateBitmap(n).ValueOrDie();
  int64_t nulls = 0;
  for (int64_t i = 0; i < n; ++i) {
    const uint64_t v = value_of(pick(rng));
    std::memcpy(values->mutable_data() + i * width, &v, width);
    const bool valid = percent(rng) >= null_percent;
    arrow::bit_util::SetBitTo(validity->mutable_data(), i, valid);
    nulls += valid ? 0 : 1;
  }
  return arrow::MakeArray(arrow::ArrayData::Make(
      type, n, {std::shared_ptr<arrow::Buffer>(std::move(validity)), std::move(values)}, nulls));
}

// Feeds `batches` random batches (sliced by a few rows) of these key types to a GroupTable and
// to a Grouper and checks that they group the rows alike, with the same key columns; with
// `first_seen`, that GroupTable's ids are dense in first-seen order.
void check_against_grouper(const Types& types, int batches, int64_t rows, int64_t domain,
                           int null_percent, uint64_t seed, bool first_seen = true) {
  constexpr uint32_t kUnset = 0xFFFFFFFFu;
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937_64 rng(seed);
  QUIVER_ASSIGN_OR_FAIL(table, GroupTable::Make(types));
  std::vector<arrow::TypeHolder> holders(types.begin(), types.end());
  QUIVER_ASSIGN_OR_FAIL(grouper, arrow::compute::Grouper::Make(holders));
  // Grouper hands out its ids in another order within a batch: ours map one-to-one onto its.
  std::vector<uint32_t> to_oracle;
  std::set<uint32_t> seen;
  for (int b = 0; b < batches; ++b) {
    const int64_t skip = b % 4;
    Columns columns;
    for (const auto& type : types) {
      columns.push_back(random_column(type, rows + skip, domain, null_percent, rng)->Slice(skip));
    }
    QUIVER_ASSIGN_OR_FAIL(ids, table->consume(columns, rows));
    std::vector<arrow::Datum> values(columns.begin(), columns.end());
    arrow::compute::ExecBatch batch(std::move(values), rows);
    QUIVER_ASSIGN_OR_FAIL(expected, grouper->Consume(arrow::compute::ExecSpan(batch)));
    auto expected_ids = expected.make_array();
    const auto& want = static_cast<const arrow::UInt32Array&>(*expected_ids);
    ASSERT_EQ(want.length(), rows);
    for (int64_t i = 0; i < rows; ++i) {
      const uint32_t id = ids->Value(i);
      const uint32_t oracle = want.Value(i);
      // Dense ids in first-seen order (Grouper itself: dense only, checked at the end).
      if (first_seen) ASSERT_LE(id, to_oracle.size()) << "batch " << b << " row " << i;
      if (id >= to_oracle.size()) to_oracle.resize(id + 1, kUnset);
      if (to_oracle[id] == kUnset) {
        to_oracle[id] = oracle;
        ASSERT_TRUE(seen.insert(oracle).second) << "batch " << b << " row " << i;
      }
      // The same rows group together as in the oracle.
      ASSERT_EQ(to_oracle[id], oracle) << "batch " << b << " row " << i;
    }
    ASSERT_EQ(table->num_groups(), static_cast<int64_t>(grouper->num_groups()));
  }
  QUIVER_ASSIGN_OR_FAIL(keys, table->keys());
  QUIVER_ASSIGN_OR_FAIL(uniques, grouper->GetUniques());
  ASSERT_EQ(keys.size(), types.size());
  ASSERT_EQ(static_cast<int64_t>(to_oracle.size()), table->num_groups());
  for (uint32_t oracle : to_oracle) ASSERT_NE(oracle, kUnset);
  arrow::UInt32Builder order;
  ASSERT_TRUE(order.AppendValues(to_oracle).ok());
  QUIVER_ASSIGN_OR_FAIL(indices, order.Finish());
  for (size_t c = 0; c < types.size(); ++c) {
    EXPECT_EQ(keys[c]->length(), table->num_groups());
    EXPECT_TRUE(keys[c]->type()->Equals(*types[c]));
    QUIVER_ASSIGN_OR_FAIL(expected, arrow::compute::Take(uniques.values[c], indices));
    EXPECT_TRUE(keys[c]->Equals(*expected.make_array(), arrow::EqualOptions().nans_equal(true)))
        << "key column " << c;
  }
  EXPECT_GT(table->estimated_size(), 0);
}

TEST(GroupTableMultiKeyTest, TwoInt64KeysManyGroupsGrowAcrossBatches) {
  // ~40000 distinct pairs over 30 batches: the table grows several times.
  check_against_grouper({arrow::int64(), arrow::int64()}, 30, 4096, 200, 3, 1);
  check_against_grouper({arrow::int64(), arrow::int64()}, 5, 1000, 5, 40, 2);
}

TEST(GroupTableMultiKeyTest, MixedWidths) {
  check_against_grouper({arrow::int8(), arrow::int32(), arrow::date32()}, 12, 2000, 30, 5, 3);
  check_against_grouper({arrow::uint8(), arrow::int16(), arrow::uint64()}, 12, 2000, 20, 5, 4);
  check_against_grouper({arrow::int32(), arrow::int64(), arrow::int32()}, 12, 2000, 25, 5, 5);
  check_against_grouper(
      {arrow::int16(), arrow::int8(), arrow::int8(), arrow::int32(), arrow::int64()}, 8, 2000, 4,
      10, 6);
  check_against_grouper({arrow::timestamp(arrow::TimeUnit::MICRO), arrow::uint32()}, 8, 2000, 40, 5,
                        7);
}

TEST(GroupTableMultiKeyTest, AllNullAndNoNullColumns) {
  check_against_grouper({arrow::int32(), arrow::int32()}, 4, 500, 10, 100, 8);
  check_against_grouper({arrow::int32(), arrow::int16()}, 4, 500, 10, 0, 9);
}

TEST(GroupTableMultiKeyTest, NullKeysGroupApartFromZero) {
  QUIVER_ASSIGN_OR_FAIL(table, GroupTable::Make({arrow::int64(), arrow::int64()}));
  auto a = int64s({0, std::nullopt, 0, std::nullopt, 0, std::nullopt});
  auto b = int64s({0, 0, std::nullopt, std::nullopt, 0, std::nullopt});
  QUIVER_ASSIGN_OR_FAIL(ids, table->consume({a, b}, 6));
  EXPECT_EQ(std::vector<uint32_t>(ids->raw_values(), ids->raw_values() + 6),
            (std::vector<uint32_t>{0, 1, 2, 3, 0, 3}));
  QUIVER_ASSIGN_OR_FAIL(keys, table->keys());
  EXPECT_TRUE(keys[0]->Equals(*int64s({0, std::nullopt, 0, std::nullopt})));
  EXPECT_TRUE(keys[1]->Equals(*int64s({0, 0, std::nullopt, std::nullopt})));
}

TEST(GroupTableMultiKeyTest, WiderThanSixteenBytesStillGroups) {
  // 17 bytes: too wide to pack, so serialized rows instead.
  check_against_grouper({arrow::int64(), arrow::int64(), arrow::int8()}, 4, 1000, 6, 10, 10);
}

TEST(GroupTableMultiKeyTest, StringKeys) {
  check_against_grouper({arrow::utf8(), arrow::int32()}, 10, 2000, 50, 5, 11);
  check_against_grouper({arrow::utf8(), arrow::utf8(), arrow::int64()}, 10, 2000, 12, 10, 12);
  check_against_grouper({arrow::utf8(), arrow::utf8()}, 3, 3000, 3, 20, 13);
  // Many groups, growing across batches.
  check_against_grouper({arrow::utf8(), arrow::int16()}, 20, 4096, 3000, 2, 14);
}

TEST(GroupTableMultiKeyTest, LargeStringBinaryAndDecimalKeys) {
  check_against_grouper({arrow::large_utf8(), arrow::int8()}, 6, 2000, 40, 5, 15);
  check_against_grouper({arrow::binary(), arrow::decimal128(12, 2)}, 6, 2000, 30, 5, 16);
  check_against_grouper({arrow::decimal128(15, 2), arrow::date32(), arrow::utf8()}, 6, 2000, 8, 5,
                        17);
  // One string key alone (no integer map for it).
  check_against_grouper({arrow::utf8()}, 6, 2000, 100, 5, 18);
}

TEST(GroupTableMultiKeyTest, EmptyStringIsNotNull) {
  QUIVER_ASSIGN_OR_FAIL(table, GroupTable::Make({arrow::utf8(), arrow::int64()}));
  auto a = strings({"", std::nullopt, "", std::nullopt, "x"});
  auto b = int64s({0, 0, std::nullopt, std::nullopt, 0});
  QUIVER_ASSIGN_OR_FAIL(ids, table->consume({a, b}, 5));
  EXPECT_EQ(std::vector<uint32_t>(ids->raw_values(), ids->raw_values() + 5),
            (std::vector<uint32_t>{0, 1, 2, 3, 4}));
  QUIVER_ASSIGN_OR_FAIL(again, table->consume({a->Slice(1), b->Slice(1)}, 4));
  EXPECT_EQ(std::vector<uint32_t>(again->raw_values(), again->raw_values() + 4),
            (std::vector<uint32_t>{1, 2, 3, 4}));
  QUIVER_ASSIGN_OR_FAIL(keys, table->keys());
  EXPECT_TRUE(keys[0]->Equals(*a));
  EXPECT_TRUE(keys[1]->Equals(*b));
}

TEST(GroupTableMultiKeyTest, OtherKeysFallBackToGrouper) {
  check_against_grouper({arrow::float64(), arrow::int32()}, 4, 1000, 10, 10, 19,
                        /*first_seen=*/false);
}

}  // namespace
}  // namespace quiver::exec
