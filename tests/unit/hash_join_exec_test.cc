// HashJoinExec: every join type against a brute-force join, in both partition modes.

#include "quiver/exec/join/hash_join_exec.h"

#include <arrow/compute/cast.h>
#include <arrow/scalar.h>

#include <functional>
#include <random>

#include "exec_fixtures.h"
#include "quiver/physical/expr/binary_expr.h"

namespace quiver::exec {
namespace {

using testing::col;
using testing::int64s;
using testing::make_context;
using testing::strings;
using testing::TestSourceExec;

using Opt = std::optional<int64_t>;
using OptStr = std::optional<std::string>;

constexpr JoinType kAllTypes[] = {JoinType::kInner,     JoinType::kLeft,     JoinType::kRight,
                                  JoinType::kFull,      JoinType::kLeftSemi, JoinType::kLeftAnti,
                                  JoinType::kRightSemi, JoinType::kRightAnti};

/// One side's rows: key columns k1 (Int64), k2 (Utf8) and a value v (Int64).
struct Rows {
  std::vector<Opt> k1;
  std::vector<OptStr> k2;
  std::vector<Opt> v;
  size_t size() const { return k1.size(); }
};

std::shared_ptr<arrow::Schema> side_schema(const std::string& prefix) {
  return arrow::schema({arrow::field(prefix + "k1", arrow::int64()),
                        arrow::field(prefix + "k2", arrow::utf8()),
                        arrow::field(prefix + "v", arrow::int64())});
}

std::shared_ptr<arrow::RecordBatch> to_batch(const std::string& prefix, const Rows& rows,
                                             size_t from, size_t to) {
  Rows part;
  for (size_t i = from; i < to; ++i) {
    part.k1.push_back(rows.k1[i]);
    part.k2.push_back(rows.k2[i]);
    part.v.push_back(rows.v[i]);
  }
  return arrow::RecordBatch::Make(side_schema(prefix), static_cast<int64_t>(part.size()),
                                  {int64s(part.k1), strings(part.k2), int64s(part.v)});
}

/// A source with `partitions` partitions: rows go to partition hash(k1) % partitions (NULL k1 to
/// partition 0), so both sides are co-partitioned on k1; batches of 3 rows.
std::shared_ptr<TestSourceExec> source(const std::string& prefix, const Rows& rows,
                                       int partitions) {
  std::vector<Rows> parts(static_cast<size_t>(partitions));
  for (size_t i = 0; i < rows.size(); ++i) {
    const size_t p = rows.k1[i].has_value()
                         ? static_cast<size_t>(std::hash<int64_t>()(*rows.k1[i]) %
                                               static_cast<size_t>(partitions))
                         : 0;
    parts[p].k1.push_back(rows.k1[i]);
    parts[p].k2.push_back(rows.k2[i]);
    parts[p].v.push_back(rows.v[i]);
  }
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> batches(parts.size());
  for (size_t p = 0; p < parts.size(); ++p) {
    for (size_t start = 0; start < parts[p].size(); start += 3) {
      batches[p].push_back(to_batch(prefix, parts[p], start, std::min(parts[p].size(), start + 3)));
    }
  }
  return std::make_shared<TestSourceExec>(side_schema(prefix), std::move(batches));
}

Rows random_rows(std::mt19937& rng, size_t n) {
  Rows rows;
  std::uniform_int_distribution<int> key(0, 4);
  std::uniform_int_distribution<int> value(0, 9);
  for (size_t i = 0; i < n; ++i) {
    const int k = key(rng);
    rows.k1.push_back(k == 4 ? Opt() : Opt(k % 3));
    const int s = key(rng);
    rows.k2.push_back(s == 4 ? OptStr() : OptStr(s % 2 == 0 ? "x" : "y"));
    const int v = value(rng);
    rows.v.push_back(v == 9 ? Opt() : Opt(v));
  }
  return rows;
}

std::string render(const Opt& v) { return v ? std::to_string(*v) : "null"; }
std::string render(const OptStr& v) { return v ? *v : "null"; }
std::string render_row(const Rows& rows, size_t i) {
  return render(rows.k1[i]) + "|" + render(rows.k2[i]) + "|" + render(rows.v[i]);
}
const std::string kNullRow = "null|null|null";

struct Spec {
  JoinType type = JoinType::kInner;
  bool two_keys = true;
  bool filter = false;  // lv < rv
  bool null_equals_null = false;
  bool null_aware = false;
};

/// The expected output rows (rendered, sorted) by brute force over all pairs.
std::vector<std::string> brute_force(const Rows& l, const Rows& r, const Spec& spec) {
  auto eq = [&](const auto& a, const auto& b) {
    if (!a.has_value() || !b.has_value()) return spec.null_equals_null && !a && !b;
    return *a == *b;
  };
  auto match = [&](size_t i, size_t j) {
    if (!eq(l.k1[i], r.k1[j])) return false;
    if (spec.two_keys && !eq(l.k2[i], r.k2[j])) return false;
    if (spec.filter) return l.v[i].has_value() && r.v[j].has_value() && *l.v[i] < *r.v[j];
    return true;
  };
  std::vector<std::string> out;
  std::vector<bool> l_hit(l.size()), r_hit(r.size());
  for (size_t i = 0; i < l.size(); ++i) {
    for (size_t j = 0; j < r.size(); ++j) {
      if (!match(i, j)) continue;
      l_hit[i] = r_hit[j] = true;
      if (spec.type == JoinType::kInner || spec.type == JoinType::kLeft ||
          spec.type == JoinType::kRight || spec.type == JoinType::kFull) {
        out.push_back(render_row(l, i) + "|" + render_row(r, j));
      }
    }
  }
  bool right_null = false;
  for (const auto& k : r.k1) right_null = right_null || !k.has_value();
  for (size_t i = 0; i < l.size(); ++i) {
    switch (spec.type) {
      case JoinType::kLeft:
      case JoinType::kFull:
        if (!l_hit[i]) out.push_back(render_row(l, i) + "|" + kNullRow);
        break;
      case JoinType::kLeftSemi:
        if (l_hit[i]) out.push_back(render_row(l, i));
        break;
      case JoinType::kLeftAnti:
        if (spec.null_aware) {
          if (!right_null && !l_hit[i] && (l.k1[i].has_value() || r.size() == 0)) {
            out.push_back(render_row(l, i));
          }
        } else if (!l_hit[i]) {
          out.push_back(render_row(l, i));
        }
        break;
      default:
        break;
    }
  }
  for (size_t j = 0; j < r.size(); ++j) {
    switch (spec.type) {
      case JoinType::kRight:
      case JoinType::kFull:
        if (!r_hit[j]) out.push_back(kNullRow + "|" + render_row(r, j));
        break;
      case JoinType::kRightSemi:
        if (r_hit[j]) out.push_back(render_row(r, j));
        break;
      case JoinType::kRightAnti:
        if (!r_hit[j]) out.push_back(render_row(r, j));
        break;
      default:
        break;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> render_table(const arrow::Table& table) {
  std::vector<std::string> out;
  auto combined = table.CombineChunks().ValueOrDie();
  for (int64_t i = 0; i < combined->num_rows(); ++i) {
    std::string row;
    for (int c = 0; c < combined->num_columns(); ++c) {
      auto scalar = combined->column(c)->GetScalar(i).ValueOrDie();
      if (c > 0) row += "|";
      row += scalar->is_valid ? scalar->ToString() : "null";
    }
    out.push_back(row);
  }
  std::sort(out.begin(), out.end());
  return out;
}

arrow::Result<std::shared_ptr<HashJoinExec>> make_join(const Rows& l, const Rows& r,
                                                       const Spec& spec, PartitionMode mode,
                                                       int partitions) {
  std::vector<JoinOn> on = {{col("lk1", 0), col("rk1", 0)}};
  if (spec.two_keys) on.push_back({col("lk2", 1), col("rk2", 1)});
  std::optional<JoinFilter> filter;
  if (spec.filter) {
    filter = JoinFilter{physical::make_binary(col("lv", 2), logical::BinaryOp::kLt, col("rv", 5))};
  }
  const int left_partitions = mode == PartitionMode::kPartitioned ? partitions : 2;
  return HashJoinExec::Make(source("l", l, left_partitions), source("r", r, partitions),
                            std::move(on), std::move(filter), spec.type, mode,
                            spec.null_equals_null, spec.null_aware);
}

void expect_join(const Rows& l, const Rows& r, const Spec& spec, PartitionMode mode, int partitions,
                 int64_t batch_size) {
  SCOPED_TRACE(std::string(join_type_name(spec.type)) + " mode=" + partition_mode_name(mode) +
               " filter=" + std::to_string(spec.filter) +
               " null_equals_null=" + std::to_string(spec.null_equals_null) +
               " two_keys=" + std::to_string(spec.two_keys));
  QUIVER_ASSIGN_OR_FAIL(join, make_join(l, r, spec, mode, partitions));
  auto context = make_context(batch_size);
  QUIVER_ASSIGN_OR_FAIL(table, physical::collect(join, context));
  EXPECT_TRUE(table->schema()->Equals(*join->schema()));
  EXPECT_EQ(render_table(*table), brute_force(l, r, spec));
}

TEST(HashJoinExecTest, EveryJoinTypeMatchesBruteForce) {
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    const Rows l = random_rows(rng, 25);
    const Rows r = random_rows(rng, 30);
    for (JoinType type : kAllTypes) {
      for (int variant = 0; variant < 8; ++variant) {
        Spec spec{type, (variant & 1) != 0, (variant & 2) != 0, (variant & 4) != 0};
        expect_join(l, r, spec, PartitionMode::kPartitioned, 3, 4);
        expect_join(l, r, spec, PartitionMode::kCollectLeft, 3, 5);
      }
    }
  }
}

TEST(HashJoinExecTest, UniqueBuildKeysReuseTheProbeRows) {
  // Every probe row matching exactly one build row (or padded alone) lets the output reuse the
  // probe batch's columns; misses, NULLs and output batches smaller than a probe batch do not.
  Rows l;
  for (int64_t i = 0; i < 10; ++i) {
    l.k1.push_back(i);
    l.k2.push_back("x");
    l.v.push_back(i);
  }
  Rows all_match, some_miss;
  for (int64_t i = 0; i < 40; ++i) {
    for (Rows* r : {&all_match, &some_miss}) {
      r->k2.push_back("x");
      r->v.push_back(i);
    }
    all_match.k1.push_back(i % 10);
    some_miss.k1.push_back(i % 7 == 3 ? Opt() : Opt(i % 13));
  }
  for (const Rows* r : {&all_match, &some_miss}) {
    for (JoinType type : kAllTypes) {
      Spec spec{type, /*two_keys=*/false};
      for (const int64_t batch_size : {2, 64}) {
        expect_join(l, *r, spec, PartitionMode::kPartitioned, 2, batch_size);
        expect_join(l, *r, spec, PartitionMode::kCollectLeft, 2, batch_size);
      }
    }
  }
}

TEST(HashJoinExecTest, EmptySides) {
  std::mt19937 rng(11);
  const Rows some = random_rows(rng, 12);
  const Rows none;
  for (JoinType type : kAllTypes) {
    for (bool filter : {false, true}) {
      Spec spec{type, true, filter};
      for (auto mode : {PartitionMode::kPartitioned, PartitionMode::kCollectLeft}) {
        expect_join(none, some, spec, mode, 2, 8);
        expect_join(some, none, spec, mode, 2, 8);
        expect_join(none, none, spec, mode, 2, 8);
      }
    }
  }
}

TEST(HashJoinExecTest, NullAwareAntiJoin) {
  Rows l{{1, 2, std::nullopt, 3}, {"a", "a", "a", "a"}, {10, 20, 30, 40}};
  Rows r_plain{{2, 5}, {"a", "a"}, {1, 2}};
  Rows r_null{{2, std::nullopt}, {"a", "a"}, {1, 2}};
  Rows r_empty;
  Spec spec{JoinType::kLeftAnti, false, false, false, true};
  for (const Rows* r : {&r_plain, &r_null, &r_empty}) {
    expect_join(l, *r, spec, PartitionMode::kCollectLeft, 3, 2);
  }
  // Spelled out: NOT IN (2, 5) keeps 1 and 3; NOT IN (2, NULL) keeps nothing; NOT IN () keeps
  // every row, the NULL one too.
  auto run = [&](const Rows& r) {
    auto join = make_join(l, r, spec, PartitionMode::kCollectLeft, 3).ValueOrDie();
    return physical::collect(join, make_context()).ValueOrDie()->num_rows();
  };
  EXPECT_EQ(run(r_plain), 2);
  EXPECT_EQ(run(r_null), 0);
  EXPECT_EQ(run(r_empty), 4);
  // Make rejects null_aware where it cannot be exact.
  EXPECT_FALSE(make_join(l, r_plain, spec, PartitionMode::kPartitioned, 2).ok());
  Spec two_keys = spec;
  two_keys.two_keys = true;
  EXPECT_FALSE(make_join(l, r_plain, two_keys, PartitionMode::kCollectLeft, 2).ok());
}

TEST(HashJoinExecTest, ManyToManyIsChunked) {
  Rows l, r;
  for (int i = 0; i < 300; ++i) {
    l.k1.push_back(1);
    l.k2.push_back("a");
    l.v.push_back(i);
  }
  for (int i = 0; i < 200; ++i) {
    r.k1.push_back(i % 2);
    r.k2.push_back("a");
    r.v.push_back(i);
  }
  for (auto mode : {PartitionMode::kPartitioned, PartitionMode::kCollectLeft}) {
    auto join = make_join(l, r, Spec{JoinType::kInner}, mode, 2).ValueOrDie();
    auto context = make_context(1000);
    auto partitions = testing::collect_partitions(join, context).ValueOrDie();
    int64_t rows = 0;
    for (const auto& batches : partitions) {
      for (const auto& b : batches) {
        EXPECT_LE(b->num_rows(), 1000);
        rows += b->num_rows();
      }
    }
    EXPECT_EQ(rows, 300 * 100);
    EXPECT_EQ(join->metrics().output_rows(), 300 * 100);
    EXPECT_EQ(join->metrics().counters()["build_rows"], 300);
    EXPECT_GT(join->metrics().counters()["probe_time_ns"], 0);
  }
}

TEST(HashJoinExecTest, MemoryLimitNamesTheOperator) {
  Rows l, r;
  for (int i = 0; i < 20000; ++i) {
    l.k1.push_back(i);
    l.k2.push_back("some longer string value " + std::to_string(i));
    l.v.push_back(i);
  }
  r = l;
  for (auto mode : {PartitionMode::kPartitioned, PartitionMode::kCollectLeft}) {
    auto join = make_join(l, r, Spec{JoinType::kInner}, mode, 1).ValueOrDie();
    auto result = physical::collect(join, make_context(8192, "100KB"));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.status().IsOutOfMemory()) << result.status().ToString();
    EXPECT_NE(result.status().ToString().find("HashJoinExec"), std::string::npos)
        << result.status().ToString();
  }
}

TEST(HashJoinExecTest, SamePlanTwice) {
  std::mt19937 rng(3);
  const Rows l = random_rows(rng, 20);
  const Rows r = random_rows(rng, 20);
  for (auto mode : {PartitionMode::kPartitioned, PartitionMode::kCollectLeft}) {
    Spec spec{JoinType::kFull, true, true};
    auto join = make_join(l, r, spec, mode, 3).ValueOrDie();
    const auto expected = brute_force(l, r, spec);
    auto context = make_context(4);
    EXPECT_EQ(render_table(*physical::collect(join, context).ValueOrDie()), expected);
    EXPECT_EQ(render_table(*physical::collect(join, context).ValueOrDie()), expected);
    EXPECT_EQ(render_table(*physical::collect(join, make_context(3)).ValueOrDie()), expected);
  }
}

TEST(HashJoinExecTest, CollectLeftPartitionsOneAfterTheOther) {
  std::mt19937 rng(5);
  const Rows l = random_rows(rng, 20);
  const Rows r = random_rows(rng, 20);
  for (JoinType type : {JoinType::kLeft, JoinType::kLeftSemi, JoinType::kFull}) {
    Spec spec{type, true, true};
    auto join = make_join(l, r, spec, PartitionMode::kCollectLeft, 3).ValueOrDie();
    auto context = make_context(4);
    std::vector<std::string> got;
    for (int p = 0; p < join->output_partitions(); ++p) {
      auto stream = join->execute(p, context).ValueOrDie();
      auto batches = physical::collect_stream(*stream).ValueOrDie();
      auto table = arrow::Table::FromRecordBatches(join->schema(), batches).ValueOrDie();
      auto rows = render_table(*table);
      got.insert(got.end(), rows.begin(), rows.end());
    }
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, brute_force(l, r, spec)) << join_type_name(type);
  }
}

TEST(HashJoinExecTest, CancelStopsAnEndlessProbe) {
  Rows rows{{1, 2}, {"a", "b"}, {1, 2}};
  auto right = std::make_shared<TestSourceExec>(
      side_schema("r"),
      std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{
          {to_batch("r", rows, 0, rows.size())}},
      /*endless=*/true);
  auto join = HashJoinExec::Make(source("l", rows, 1), right, {{col("lk1", 0), col("rk1", 0)}},
                                 std::nullopt, JoinType::kInner, PartitionMode::kPartitioned)
                  .ValueOrDie();
  auto context = make_context();
  auto stream = join->execute(0, context).ValueOrDie();
  auto first = stream->next();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ((*first)->num_rows(), 2);
  context->cancel();
  auto next = stream->next();
  EXPECT_TRUE(next.status().IsCancelled()) << next.status().ToString();
}

TEST(HashJoinExecTest, FloatKeysCompareAsSql) {
  auto schema = arrow::schema({arrow::field("x", arrow::float64())});
  auto make = [&](std::vector<double> values) {
    arrow::DoubleBuilder b;
    EXPECT_TRUE(b.AppendValues(values).ok());
    auto batch = arrow::RecordBatch::Make(schema, static_cast<int64_t>(values.size()),
                                          {b.Finish().ValueOrDie()});
    return std::make_shared<TestSourceExec>(
        schema, std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{{batch}});
  };
  auto join =
      HashJoinExec::Make(make({0.0, 1.5}), make({-0.0, 1.5, 2.0}), {{col("x", 0), col("x", 0)}},
                         std::nullopt, JoinType::kInner, PartitionMode::kCollectLeft)
          .ValueOrDie();
  EXPECT_EQ(physical::collect(join, make_context()).ValueOrDie()->num_rows(), 2);
}

TEST(HashJoinExecTest, KeyTypes) {
  auto left_ints = int64s({0, 1, 1, 2, std::nullopt, 300, -5});
  auto right_ints = int64s({1, 2, 2, 3, std::nullopt, 300, -5, -5});
  const std::vector<std::shared_ptr<arrow::DataType>> types = {
      arrow::int16(),
      arrow::int32(),
      arrow::uint64(),
      arrow::date32(),
      arrow::timestamp(arrow::TimeUnit::MICRO),
      arrow::decimal128(22, 2),
      arrow::boolean(),
      arrow::utf8(),
      arrow::large_utf8(),
      arrow::float32(),
      arrow::float64()};
  for (const auto& type : types) {
    SCOPED_TRACE(type->ToString());
    auto cast = [&](const std::shared_ptr<arrow::Array>& ints) {
      arrow::compute::CastOptions options = arrow::compute::CastOptions::Unsafe(type);
      std::shared_ptr<arrow::Array> via =
          type->id() == arrow::Type::DATE32
              ? arrow::compute::Cast(*ints, arrow::int32()).ValueOrDie()
              : ints;
      return arrow::compute::Cast(arrow::Datum(via), options).ValueOrDie().make_array();
    };
    auto l = cast(left_ints);
    auto r = cast(right_ints);
    int64_t expected = 0;
    for (int64_t i = 0; i < l->length(); ++i) {
      for (int64_t j = 0; j < r->length(); ++j) {
        if (l->IsValid(i) && r->IsValid(j) &&
            l->GetScalar(i).ValueOrDie()->Equals(*r->GetScalar(j).ValueOrDie())) {
          ++expected;
        }
      }
    }
    auto schema = arrow::schema({arrow::field("x", type)});
    auto leaf = [&](const std::shared_ptr<arrow::Array>& a) {
      auto batch = arrow::RecordBatch::Make(schema, a->length(), {a});
      return std::make_shared<TestSourceExec>(
          schema, std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>>{{batch}});
    };
    for (bool nen : {false, true}) {
      auto join = HashJoinExec::Make(leaf(l), leaf(r), {{col("x", 0), col("x", 0)}}, std::nullopt,
                                     JoinType::kInner, PartitionMode::kCollectLeft, nen)
                      .ValueOrDie();
      auto table = physical::collect(join, make_context()).ValueOrDie();
      EXPECT_EQ(table->num_rows(), expected + (nen ? 1 : 0)) << "null_equals_null=" << nen;
    }
  }
}

TEST(HashJoinExecTest, MakeChecksAndDisplay) {
  Rows rows{{1}, {"a"}, {1}};
  auto l = source("l", rows, 2);
  auto r = source("r", rows, 2);
  auto r3 = source("r", rows, 3);
  // Key types must agree.
  auto bad = HashJoinExec::Make(l, r, {{col("lk1", 0), col("rk2", 1)}}, std::nullopt,
                                JoinType::kInner, PartitionMode::kPartitioned);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("different types"), std::string::npos);
  EXPECT_FALSE(
      HashJoinExec::Make(l, r, {}, std::nullopt, JoinType::kInner, PartitionMode::kPartitioned)
          .ok());
  EXPECT_FALSE(HashJoinExec::Make(l, r3, {{col("lk1", 0), col("rk1", 0)}}, std::nullopt,
                                  JoinType::kInner, PartitionMode::kPartitioned)
                   .ok());
  EXPECT_FALSE(HashJoinExec::Make(l, r, {{col("lk1", 0), col("rk1", 0)}}, JoinFilter{col("lv", 2)},
                                  JoinType::kInner, PartitionMode::kPartitioned)
                   .ok());
  auto ok = HashJoinExec::Make(l, r3, {{col("lk1", 0), col("rk1", 0)}}, std::nullopt,
                               JoinType::kLeft, PartitionMode::kCollectLeft)
                .ValueOrDie();
  EXPECT_EQ(ok->display(), "HashJoinExec: mode=CollectLeft, join_type=Left, on=[(lk1@0, rk1@0)]");
  EXPECT_EQ(ok->output_partitions(), 3);
  EXPECT_EQ(ok->schema()->num_fields(), 6);
  auto filtered =
      HashJoinExec::Make(
          l, r, {{col("lk1", 0), col("rk1", 0)}, {col("lk2", 1), col("rk2", 1)}},
          JoinFilter{physical::make_binary(col("lv", 2), logical::BinaryOp::kLt, col("rv", 5))},
          JoinType::kInner, PartitionMode::kPartitioned)
          .ValueOrDie();
  EXPECT_EQ(filtered->display(),
            "HashJoinExec: mode=Partitioned, join_type=Inner, on=[(lk1@0, rk1@0), (lk2@1, "
            "rk2@1)], filter=lv@2 < rv@5");
  auto aware = HashJoinExec::Make(l, r, {{col("lk1", 0), col("rk1", 0)}}, std::nullopt,
                                  JoinType::kLeftAnti, PartitionMode::kCollectLeft, false, true)
                   .ValueOrDie();
  EXPECT_EQ(aware->display(),
            "HashJoinExec: mode=CollectLeft, join_type=LeftAnti, on=[(lk1@0, rk1@0)], "
            "null_aware=true");
  auto copy = filtered->with_new_children({l, r}).ValueOrDie();
  EXPECT_EQ(copy->display(), filtered->display());
}

TEST(JoinEmissionTest, FollowsWhenRowsAreKnown) {
  EXPECT_EQ(join_emission(JoinType::kInner), physical::EmissionType::kIncremental);
  EXPECT_EQ(join_emission(JoinType::kRightSemi), physical::EmissionType::kIncremental);
  EXPECT_EQ(join_emission(JoinType::kLeft), physical::EmissionType::kBoth);
  EXPECT_EQ(join_emission(JoinType::kFull), physical::EmissionType::kBoth);
  EXPECT_EQ(join_emission(JoinType::kLeftSemi), physical::EmissionType::kFinal);
  EXPECT_EQ(join_emission(JoinType::kLeftAnti), physical::EmissionType::kFinal);
}

}  // namespace
}  // namespace quiver::exec
