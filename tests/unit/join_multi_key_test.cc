// Hash joins on several key columns (JoinHashTable through PackedKeyMap, RowKeyTable or the
// Grouper): the table's lookups and every join type against nested-loop oracles, over random
// keys with NULLs and duplicates, in many batches and chunks, in both partition modes.

#include <arrow/compute/cast.h>

#include <random>

#include "exec_fixtures.h"
#include "quiver/exec/join/hash_join_exec.h"
#include "quiver/exec/join/join_hash_table.h"

namespace quiver::exec {
namespace {

using testing::col;
using testing::int64s;
using testing::make_context;
using testing::TestSourceExec;

using Opt = std::optional<int64_t>;
/// One row's key values as integers (nullopt = NULL), turned into the typed columns by cast.
using KeyRow = std::vector<Opt>;
using Types = std::vector<std::shared_ptr<arrow::DataType>>;

/// The key type mixes: packed into 16 bytes, serialized rows, and the Grouper's fallback.
std::vector<Types> key_type_mixes() {
  return {{arrow::int32(), arrow::int32()},
          {arrow::int64(), arrow::date32()},
          {arrow::int8(), arrow::int16(), arrow::int64()},
          {arrow::int64(), arrow::int64(), arrow::int64()},
          {arrow::int32(), arrow::utf8()},
          {arrow::decimal128(22, 2), arrow::int64()},
          {arrow::large_utf8(), arrow::decimal128(20, 0)},
          {arrow::utf8()},
          {arrow::float64(), arrow::int32()}};
}

std::string describe(const Types& types) {
  std::string out;
  for (const auto& type : types) out += (out.empty() ? "" : ",") + type->ToString();
  return out;
}

/// Column `c` of `rows` as an array of `type` (distinct integers stay distinct).
std::shared_ptr<arrow::Array> key_column(const std::vector<KeyRow>& rows, size_t c,
                                         const std::shared_ptr<arrow::DataType>& type) {
  std::vector<Opt> values;
  for (const auto& row : rows) values.push_back(row[c]);
  std::shared_ptr<arrow::Array> ints = int64s(values);
  if (type->id() == arrow::Type::INT64) return ints;
  if (type->id() == arrow::Type::DATE32) {
    ints = arrow::compute::Cast(*ints, arrow::int32()).ValueOrDie();
  }
  // Unsafe, as the values are small (decimals need precision >= 19 + scale all the same).
  return arrow::compute::Cast(arrow::Datum(ints), arrow::compute::CastOptions::Unsafe(type))
      .ValueOrDie()
      .make_array();
}

/// `count` rows of `width` keys in [0, domain), about one value in six NULL.
std::vector<KeyRow> random_keys(std::mt19937& rng, size_t count, size_t width, int domain) {
  std::uniform_int_distribution<int> value(0, domain - 1), null(0, 5);
  std::vector<KeyRow> rows(count);
  for (auto& row : rows) {
    for (size_t c = 0; c < width; ++c) row.push_back(null(rng) == 0 ? Opt() : Opt(value(rng)));
  }
  return rows;
}

/// Whether two key rows join (a NULL matches nothing unless null_equals_null, then only NULL).
bool keys_match(const KeyRow& a, const KeyRow& b, bool null_equals_null) {
  for (size_t c = 0; c < a.size(); ++c) {
    if (!a[c].has_value() || !b[c].has_value()) {
      if (!null_equals_null || a[c].has_value() || b[c].has_value()) return false;
    } else if (*a[c] != *b[c]) {
      return false;
    }
  }
  return true;
}

std::vector<std::shared_ptr<arrow::Array>> key_columns(const std::vector<KeyRow>& rows,
                                                       const Types& types) {
  std::vector<std::shared_ptr<arrow::Array>> out;
  for (size_t c = 0; c < types.size(); ++c) out.push_back(key_column(rows, c, types[c]));
  return out;
}

/// Builds a table over `build` (in chunks of random sizes), probes it with `probe` in slices,
/// and checks every probe row's build rows against a nested loop.
void expect_table_agrees(const Types& types, const std::vector<KeyRow>& build,
                         const std::vector<KeyRow>& probe, bool null_equals_null,
                         std::mt19937& rng) {
  SCOPED_TRACE(describe(types) + " null_equals_null=" + std::to_string(null_equals_null) +
               " build=" + std::to_string(build.size()));
  const auto schema = arrow::schema({arrow::field("id", arrow::int64())});
  std::vector<std::shared_ptr<arrow::RecordBatch>> chunks;
  std::uniform_int_distribution<size_t> chunk_size(1, 9000);
  for (size_t start = 0; start < build.size();) {
    const size_t end = std::min(build.size(), start + chunk_size(rng));
    std::vector<Opt> ids;
    for (size_t i = start; i < end; ++i) ids.push_back(static_cast<int64_t>(i));
    chunks.push_back(
        arrow::RecordBatch::Make(schema, static_cast<int64_t>(ids.size()), {int64s(ids)}));
    start = end;
  }
  auto pool = std::make_shared<physical::QueryMemoryPool>(0);
  physical::MemoryReservation reservation(pool, "test");
  QUIVER_ASSIGN_OR_FAIL(table,
                        JoinHashTable::Make(std::move(chunks), schema, key_columns(build, types),
                                            null_equals_null, reservation));
  const uint32_t groups = table->num_groups();
  // The probe keys in three slices (offsets into the arrays), looked up one after the other.
  const auto columns = key_columns(probe, types);
  const auto n = static_cast<int64_t>(probe.size());
  const int64_t cuts[] = {0, n / 3, n / 3 + 1, n};
  for (int part = 0; part < 3; ++part) {
    std::vector<std::shared_ptr<arrow::Array>> slice;
    for (const auto& column : columns)
      slice.push_back(column->Slice(cuts[part], cuts[part + 1] - cuts[part]));
    QUIVER_ASSIGN_OR_FAIL(ids, table->lookup(slice, cuts[part + 1] - cuts[part]));
    for (int64_t i = cuts[part]; i < cuts[part + 1]; ++i) {
      std::vector<uint32_t> got;
      const uint32_t g = ids[static_cast<size_t>(i - cuts[part])];
      if (g != JoinHashTable::kNoGroup) {
        ASSERT_LT(g, groups);
        got.assign(table->rows() + table->offsets()[g], table->rows() + table->offsets()[g + 1]);
      }
      std::vector<uint32_t> want;
      for (size_t j = 0; j < build.size(); ++j) {
        if (keys_match(probe[static_cast<size_t>(i)], build[j], null_equals_null)) {
          want.push_back(static_cast<uint32_t>(j));
        }
      }
      ASSERT_EQ(got, want) << "probe row " << i;
    }
  }
  // Probing adds no keys.
  EXPECT_EQ(table->num_groups(), groups);
  for (size_t j = 0; j < build.size(); ++j) {
    bool has_null = false;
    for (const auto& v : build[j]) has_null = has_null || !v.has_value();
    EXPECT_EQ(table->key_is_null(static_cast<int64_t>(j)), has_null);
    if (has_null && !null_equals_null) EXPECT_EQ(table->row_groups()[j], JoinHashTable::kNoGroup);
  }
}

TEST(JoinMultiKeyTest, TableLookupsMatchNestedLoop) {
  std::mt19937 rng(11);
  for (const auto& types : key_type_mixes()) {
    for (const bool null_equals_null : {false, true}) {
      // Few distinct keys (many duplicates); probes also outside the build's keys.
      const auto build = random_keys(rng, 200, types.size(), 4);
      const auto probe = random_keys(rng, 150, types.size(), 6);
      expect_table_agrees(types, build, probe, null_equals_null, rng);
    }
    // Empty build.
    expect_table_agrees(types, {}, random_keys(rng, 20, types.size(), 3), true, rng);
  }
}

TEST(JoinMultiKeyTest, LargeBuildIsConsumedInPieces) {
  // More rows than one consume() takes (64Ki), mostly distinct keys.
  std::mt19937 rng(5);
  for (const auto& types :
       {Types{arrow::int32(), arrow::int32()}, Types{arrow::int64(), arrow::utf8()},
        Types{arrow::int64(), arrow::int64(), arrow::int64()}}) {
    const auto build = random_keys(rng, 70000, types.size(), 400);
    const auto probe = random_keys(rng, 200, types.size(), 420);
    expect_table_agrees(types, build, probe, /*null_equals_null=*/false, rng);
  }
}

// ---- HashJoinExec over typed multi-column keys ----

constexpr JoinType kAllTypes[] = {JoinType::kInner,     JoinType::kLeft,     JoinType::kRight,
                                  JoinType::kFull,      JoinType::kLeftSemi, JoinType::kLeftAnti,
                                  JoinType::kRightSemi, JoinType::kRightAnti};

/// A source of key columns k0.. of `types` and an id column (the row's index), in batches of 3;
/// rows go to partition (first key) % partitions, NULL to 0, so both sides are co-partitioned.
std::shared_ptr<TestSourceExec> keyed_source(const std::string& prefix, const Types& types,
                                             const std::vector<KeyRow>& rows, int partitions) {
  arrow::FieldVector fields;
  for (size_t c = 0; c < types.size(); ++c) {
    fields.push_back(arrow::field(prefix + "k" + std::to_string(c), types[c]));
  }
  fields.push_back(arrow::field(prefix + "id", arrow::int64()));
  auto schema = arrow::schema(fields);
  std::vector<std::vector<size_t>> parts(static_cast<size_t>(partitions));
  for (size_t i = 0; i < rows.size(); ++i) {
    parts[rows[i][0].has_value() ? static_cast<size_t>(*rows[i][0] % partitions) : 0].push_back(i);
  }
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> batches(parts.size());
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t start = 0; start < parts[p].size(); start += 3) {
      std::vector<KeyRow> part;
      std::vector<Opt> ids;
      for (size_t k = start; k < std::min(parts[p].size(), start + 3); ++k) {
        part.push_back(rows[parts[p][k]]);
        ids.push_back(static_cast<int64_t>(parts[p][k]));
      }
      auto columns = key_columns(part, types);
      columns.push_back(int64s(ids));
      batches[p].push_back(
          arrow::RecordBatch::Make(schema, static_cast<int64_t>(part.size()), columns));
    }
  }
  return std::make_shared<TestSourceExec>(schema, std::move(batches));
}

/// The expected output as sorted "left id|right id" (or one id for semi / anti joins).
std::vector<std::string> nested_loop(const std::vector<KeyRow>& l, const std::vector<KeyRow>& r,
                                     JoinType type, bool null_equals_null) {
  std::vector<std::string> out;
  std::vector<bool> l_hit(l.size()), r_hit(r.size());
  const bool pairs = type == JoinType::kInner || type == JoinType::kLeft ||
                     type == JoinType::kRight || type == JoinType::kFull;
  for (size_t i = 0; i < l.size(); ++i) {
    for (size_t j = 0; j < r.size(); ++j) {
      if (!keys_match(l[i], r[j], null_equals_null)) continue;
      l_hit[i] = r_hit[j] = true;
      if (pairs) out.push_back(std::to_string(i) + "|" + std::to_string(j));
    }
  }
  for (size_t i = 0; i < l.size(); ++i) {
    const bool pad = (type == JoinType::kLeft || type == JoinType::kFull) && !l_hit[i];
    if (pad) out.push_back(std::to_string(i) + "|null");
    if ((type == JoinType::kLeftSemi && l_hit[i]) || (type == JoinType::kLeftAnti && !l_hit[i])) {
      out.push_back(std::to_string(i));
    }
  }
  for (size_t j = 0; j < r.size(); ++j) {
    const bool pad = (type == JoinType::kRight || type == JoinType::kFull) && !r_hit[j];
    if (pad) out.push_back("null|" + std::to_string(j));
    if ((type == JoinType::kRightSemi && r_hit[j]) || (type == JoinType::kRightAnti && !r_hit[j])) {
      out.push_back(std::to_string(j));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The id columns of a join's output, rendered as nested_loop does.
std::vector<std::string> output_ids(const arrow::Table& table, size_t key_count) {
  auto combined = table.CombineChunks().ValueOrDie();
  std::vector<int> id_columns = {static_cast<int>(key_count)};
  if (combined->num_columns() > static_cast<int>(key_count + 1)) {
    id_columns.push_back(static_cast<int>(2 * key_count + 1));
  }
  std::vector<std::string> out;
  for (int64_t i = 0; i < combined->num_rows(); ++i) {
    std::string row;
    for (const int c : id_columns) {
      auto scalar = combined->column(c)->GetScalar(i).ValueOrDie();
      row += (row.empty() ? "" : "|") + (scalar->is_valid ? scalar->ToString() : "null");
    }
    out.push_back(row);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(JoinMultiKeyTest, EveryJoinTypeMatchesNestedLoop) {
  std::mt19937 rng(23);
  for (const auto& types : key_type_mixes()) {
    const auto l = random_keys(rng, 60, types.size(), 3);
    const auto r = random_keys(rng, 70, types.size(), 4);
    std::vector<JoinOn> on;
    for (size_t c = 0; c < types.size(); ++c) {
      const auto name = "k" + std::to_string(c);
      on.push_back({col("l" + name, static_cast<int>(c)), col("r" + name, static_cast<int>(c))});
    }
    for (const JoinType type : kAllTypes) {
      for (const auto mode : {PartitionMode::kPartitioned, PartitionMode::kCollectLeft}) {
        for (const bool null_equals_null : {false, true}) {
          SCOPED_TRACE(describe(types) + " " + join_type_name(type) + " " +
                       partition_mode_name(mode) +
                       " null_equals_null=" + std::to_string(null_equals_null));
          QUIVER_ASSIGN_OR_FAIL(
              join,
              HashJoinExec::Make(keyed_source("l", types, l, 3), keyed_source("r", types, r, 3), on,
                                 std::nullopt, type, mode, null_equals_null));
          QUIVER_ASSIGN_OR_FAIL(table, physical::collect(join, make_context(7)));
          EXPECT_EQ(output_ids(*table, types.size()), nested_loop(l, r, type, null_equals_null));
        }
      }
    }
  }
}

}  // namespace
}  // namespace quiver::exec
