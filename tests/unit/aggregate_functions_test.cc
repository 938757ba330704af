// Aggregate functions: each accumulator's update -> state -> merge -> evaluate round trip over
// several groups (what Partial / PartialReduce / Final aggregation across tasks relies on),
// NULL handling, state field shapes, and overflow.

#include <arrow/array.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "quiver/functions/aggregate_function.h"

namespace quiver::functions {
namespace {

std::shared_ptr<arrow::Array> arr(const std::shared_ptr<arrow::DataType>& type,
                                  const std::string& json) {
  return arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
}

struct Call {
  std::string name;
  std::shared_ptr<arrow::DataType> type;
  bool distinct = false;
};

std::unique_ptr<GroupsAccumulator> make(const Call& c) {
  const AggregateFunctionDef* def = find_aggregate_function(c.name);
  EXPECT_NE(def, nullptr) << c.name;
  auto acc = def->make_accumulator({c.type}, c.distinct);
  EXPECT_TRUE(acc.ok()) << acc.status().ToString();
  return std::move(*acc);
}

// Aggregates in one accumulator.
std::shared_ptr<arrow::Array> single(const Call& c, const std::shared_ptr<arrow::Array>& values,
                                     const std::vector<uint32_t>& groups, int64_t total) {
  auto acc = make(c);
  EXPECT_TRUE(acc->update_batch({values}, groups.data(), total).ok());
  return acc->evaluate().ValueOrDie();
}

// Splits the rows between two partial accumulators; the second numbers its groups in reverse
// (its local group k is global group total-1-k). A final accumulator merges both states, and a
// "reduce" step in between merges the second partial's state into a fresh one first.
std::shared_ptr<arrow::Array> round_trip(const Call& c, const std::shared_ptr<arrow::Array>& values,
                                         const std::vector<uint32_t>& groups, int64_t total) {
  const int64_t n = values->length();
  const int64_t half = n / 2;
  auto first = make(c);
  EXPECT_TRUE(first->update_batch({values->Slice(0, half)}, groups.data(), total).ok());
  std::vector<uint32_t> local;
  for (int64_t i = half; i < n; ++i) {
    local.push_back(static_cast<uint32_t>(total - 1 - groups[static_cast<size_t>(i)]));
  }
  auto second = make(c);
  EXPECT_TRUE(second->update_batch({values->Slice(half)}, local.data(), total).ok());

  // PartialReduce: merge the second partial's state into a fresh accumulator, same numbering.
  auto second_states = second->state().ValueOrDie();
  std::vector<uint32_t> identity(static_cast<size_t>(total));
  std::iota(identity.begin(), identity.end(), 0);
  auto reduced = make(c);
  EXPECT_TRUE(reduced->merge_batch(second_states, identity.data(), total).ok());

  // Check the states have the declared shape.
  const auto* def = find_aggregate_function(c.name);
  auto fields = def->state_fields({c.type}, c.distinct, "x").ValueOrDie();
  auto states_a = first->state().ValueOrDie();
  auto states_b = reduced->state().ValueOrDie();
  EXPECT_EQ(states_a.size(), fields.size());
  for (size_t k = 0; k < fields.size() && k < states_a.size(); ++k) {
    EXPECT_TRUE(states_a[k]->type()->Equals(*fields[k]->type()))
        << c.name << " state " << k << " is " << states_a[k]->type()->ToString() << " but declared "
        << fields[k]->type()->ToString();
  }

  auto final_acc = make(c);
  EXPECT_TRUE(final_acc->merge_batch(states_a, identity.data(), total).ok());
  std::vector<uint32_t> reversed(static_cast<size_t>(total));
  for (int64_t g = 0; g < total; ++g)
    reversed[static_cast<size_t>(g)] = static_cast<uint32_t>(total - 1 - g);
  EXPECT_TRUE(final_acc->merge_batch(states_b, reversed.data(), total).ok());
  return final_acc->evaluate().ValueOrDie();
}

// Checks both the one-step and the split/merged results against `expected_json`.
void expect_groups(const Call& c, const std::shared_ptr<arrow::Array>& values,
                   const std::vector<uint32_t>& groups, int64_t total,
                   const std::shared_ptr<arrow::DataType>& out_type,
                   const std::string& expected_json) {
  auto expected = arr(out_type, expected_json);
  auto one = single(c, values, groups, total);
  EXPECT_TRUE(one->Equals(*expected)) << c.name << " single\n got:      " << one->ToString()
                                      << "\n expected: " << expected->ToString();
  auto merged = round_trip(c, values, groups, total);
  EXPECT_TRUE(merged->Equals(*expected)) << c.name << " merged\n got:      " << merged->ToString()
                                         << "\n expected: " << expected->ToString();
  const auto* def = find_aggregate_function(c.name);
  auto declared = def->return_type({c.type}, c.distinct).ValueOrDie();
  EXPECT_TRUE(declared->Equals(*one->type())) << c.name << " declares " << declared->ToString();
}

// Rows: values by group; group 3 only sees NULLs.
const std::vector<uint32_t> kGroups = {0, 1, 0, 2, 3, 1, 0, 2, 3, 1};
constexpr int64_t kTotal = 4;

TEST(AggregateFunctionsTest, RegistryAndStateFieldNames) {
  for (const char* name : {"count", "sum", "avg", "min", "max"}) {
    EXPECT_NE(find_aggregate_function(name), nullptr) << name;
  }
  EXPECT_EQ(find_aggregate_function("median_of_nothing"), nullptr);
  auto names = aggregate_function_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "avg"), names.end());
  auto avg_fields =
      find_aggregate_function("avg")->state_fields({arrow::int32()}, false, "avg(x)").ValueOrDie();
  ASSERT_EQ(avg_fields.size(), 2u);
  EXPECT_EQ(avg_fields[0]->name(), "avg(x)[sum]");
  EXPECT_EQ(avg_fields[1]->name(), "avg(x)[count]");
  auto count_fields = find_aggregate_function("count")
                          ->state_fields({arrow::int64()}, false, "count(Int64(1))")
                          .ValueOrDie();
  EXPECT_EQ(count_fields[0]->name(), "count(Int64(1))[count]");
  auto distinct_fields = find_aggregate_function("count")
                             ->state_fields({arrow::utf8()}, true, "count(DISTINCT x)")
                             .ValueOrDie();
  EXPECT_EQ(distinct_fields[0]->name(), "count(DISTINCT x)[distinct]");
  EXPECT_TRUE(distinct_fields[0]->type()->Equals(*arrow::list(arrow::utf8())));
  EXPECT_EQ(find_aggregate_function("min")
                ->state_fields({arrow::utf8()}, false, "m")
                .ValueOrDie()[0]
                ->name(),
            "m[min]");
}

TEST(AggregateFunctionsTest, Count) {
  auto values = arr(arrow::int32(), "[1, 2, null, 4, null, 6, 7, null, null, 10]");
  expect_groups({"count", arrow::int32()}, values, kGroups, kTotal, arrow::int64(), "[2, 3, 1, 0]");
}

TEST(AggregateFunctionsTest, SumTypesAndNullGroups) {
  auto values = arr(arrow::int32(), "[1, 2, null, 4, null, 6, 7, null, null, 10]");
  expect_groups({"sum", arrow::int32()}, values, kGroups, kTotal, arrow::int64(),
                "[8, 18, 4, null]");
  auto unsigned_values = arr(arrow::uint8(), "[1, 2, 3, 4, null, 6, 7, 8, null, 250]");
  expect_groups({"sum", arrow::uint8()}, unsigned_values, kGroups, kTotal, arrow::uint64(),
                "[11, 258, 12, null]");
  auto doubles = arr(arrow::float32(), "[0.5, 1, null, 2, null, 3, 0.25, null, null, 4]");
  expect_groups({"sum", arrow::float32()}, doubles, kGroups, kTotal, arrow::float64(),
                "[0.75, 8, 2, null]");
  auto decimals =
      arr(arrow::decimal128(10, 2),
          R"(["1.10", "2.00", null, "4.25", null, "6.00", "7.05", null, null, "1.00"])");
  expect_groups({"sum", arrow::decimal128(10, 2)}, decimals, kGroups, kTotal,
                arrow::decimal128(38, 2), R"(["8.15", "9.00", "4.25", null])");
}

TEST(AggregateFunctionsTest, SumOverflowIsAUserError) {
  auto acc = make({"sum", arrow::int64()});
  std::vector<uint32_t> groups = {0, 0};
  auto st = acc->update_batch({arr(arrow::int64(), "[9223372036854775807, 1]")}, groups.data(), 1);
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_EQ(st.message(), "integer overflow in sum");
  // The same through a merge of partial sums.
  auto merged = make({"sum", arrow::int64()});
  auto merge_st = merged->merge_batch(
      {arr(arrow::int64(), "[9223372036854775807, 9223372036854775807]")}, groups.data(), 1);
  EXPECT_TRUE(merge_st.IsInvalid()) << merge_st.ToString();
  // Decimal totals: beyond 38 digits (checked at the end) or beyond an int128 (checked as it
  // adds, not wrapped around into a small value).
  auto big = arr(arrow::decimal128(38, 0), R"(["99999999999999999999999999999999999999", "1"])");
  auto dec = make({"sum", arrow::decimal128(38, 0)});
  ASSERT_TRUE(dec->update_batch({big}, groups.data(), 1).ok());
  EXPECT_TRUE(dec->evaluate().status().IsInvalid());
  auto twice = arr(arrow::decimal128(38, 0), R"(["99999999999999999999999999999999999999",
                                                 "99999999999999999999999999999999999999"])");
  auto wrapped = make({"sum", arrow::decimal128(38, 0)});
  st = wrapped->update_batch({twice}, groups.data(), 1);
  EXPECT_TRUE(st.IsInvalid()) << st.ToString();
  EXPECT_NE(st.message().find("decimal overflow in sum"), std::string::npos) << st.message();
}

TEST(AggregateFunctionsTest, Avg) {
  auto values = arr(arrow::int64(), "[1, 2, null, 4, null, 6, 8, null, null, 10]");
  expect_groups({"avg", arrow::int64()}, values, kGroups, kTotal, arrow::float64(),
                "[4.5, 6, 4, null]");
  auto acc = make({"avg", arrow::int64()});
  ASSERT_TRUE(acc->update_batch({values}, kGroups.data(), kTotal).ok());
  auto states = acc->state().ValueOrDie();
  ASSERT_EQ(states.size(), 2u);
  EXPECT_TRUE(states[0]->Equals(*arr(arrow::float64(), "[9, 18, 4, null]")))
      << states[0]->ToString();
  EXPECT_TRUE(states[1]->Equals(*arr(arrow::int64(), "[2, 3, 1, 0]"))) << states[1]->ToString();
}

TEST(AggregateFunctionsTest, AvgOfDecimalsSumsExactly) {
  auto values = arr(arrow::decimal128(15, 2),
                    R"(["0.10", "0.20", null, "4.25", null, "6.00", "0.30", null, null, "1.00"])");
  // The state keeps the exact Decimal128(38, 2) sum; only the final division is in floating point.
  expect_groups({"avg", arrow::decimal128(15, 2)}, values, kGroups, kTotal, arrow::float64(),
                "[0.2, 2.4, 4.25, null]");
  auto fields = find_aggregate_function("avg")
                    ->state_fields({arrow::decimal128(15, 2)}, false, "avg(x)")
                    .ValueOrDie();
  EXPECT_TRUE(fields[0]->type()->Equals(*arrow::decimal128(38, 2))) << fields[0]->ToString();
  auto acc = make({"avg", arrow::decimal128(15, 2)});
  ASSERT_TRUE(acc->update_batch({values}, kGroups.data(), kTotal).ok());
  auto states = acc->state().ValueOrDie();
  EXPECT_TRUE(
      states[0]->Equals(*arr(arrow::decimal128(38, 2), R"(["0.40", "7.20", "4.25", null])")))
      << states[0]->ToString();
  auto merged = make({"avg", arrow::decimal128(15, 2)});
  ASSERT_TRUE(merged->merge_batch(states, std::vector<uint32_t>{0, 0, 0, 0}.data(), 1).ok());
  auto result = merged->evaluate().ValueOrDie();
  EXPECT_TRUE(result->Equals(*arr(arrow::float64(), "[1.975]"))) << result->ToString();
}

TEST(AggregateFunctionsTest, MinMaxOverOrderableTypes) {
  auto ints = arr(arrow::int16(), "[5, -2, null, 4, null, 6, 1, 9, null, 3]");
  expect_groups({"min", arrow::int16()}, ints, kGroups, kTotal, arrow::int16(), "[1, -2, 4, null]");
  expect_groups({"max", arrow::int16()}, ints, kGroups, kTotal, arrow::int16(), "[5, 6, 9, null]");
  auto strings =
      arr(arrow::utf8(),
          R"(["pear", "fig", null, "kiwi", null, "apple", "banana", "date", null, "zz"])");
  expect_groups({"min", arrow::utf8()}, strings, kGroups, kTotal, arrow::utf8(),
                R"(["banana", "apple", "date", null])");
  expect_groups({"max", arrow::utf8()}, strings, kGroups, kTotal, arrow::utf8(),
                R"(["pear", "zz", "kiwi", null])");
  auto dates = arr(arrow::date32(), "[10, 20, null, 5, null, 1, 30, 7, null, 2]");
  expect_groups({"max", arrow::date32()}, dates, kGroups, kTotal, arrow::date32(),
                "[30, 20, 7, null]");
  auto bools =
      arr(arrow::boolean(), "[true, false, null, false, null, false, false, true, null, false]");
  expect_groups({"max", arrow::boolean()}, bools, kGroups, kTotal, arrow::boolean(),
                "[true, false, true, null]");
  expect_groups({"min", arrow::boolean()}, bools, kGroups, kTotal, arrow::boolean(),
                "[false, false, false, null]");
  auto decimals = arr(arrow::decimal128(5, 1),
                      R"(["1.5", "-2.0", null, "4.0", null, "6.5", "1.0", "9.9", null, "3.0"])");
  expect_groups({"min", arrow::decimal128(5, 1)}, decimals, kGroups, kTotal,
                arrow::decimal128(5, 1), R"(["1.0", "-2.0", "4.0", null])");
}

TEST(AggregateFunctionsTest, CountDistinctMergesOverlappingSets) {
  // Group 0 sees 7 in both halves; group 1 sees "b" twice.
  auto values = arr(arrow::int64(), "[7, 1, 7, 4, null, 1, 7, 5, null, 2]");
  expect_groups({"count", arrow::int64(), true}, values, kGroups, kTotal, arrow::int64(),
                "[1, 2, 2, 0]");
  auto strings = arr(arrow::utf8(), R"(["a", "b", "a", "c", null, "b", "d", "c", null, "b"])");
  expect_groups({"count", arrow::utf8(), true}, strings, kGroups, kTotal, arrow::int64(),
                "[2, 1, 1, 0]");
}

TEST(AggregateFunctionsTest, SumAndAvgDistinct) {
  auto values = arr(arrow::int64(), "[7, 1, 7, 4, null, 1, 3, 5, null, 2]");
  expect_groups({"sum", arrow::int64(), true}, values, kGroups, kTotal, arrow::int64(),
                "[10, 3, 9, null]");
  expect_groups({"avg", arrow::int64(), true}, values, kGroups, kTotal, arrow::float64(),
                "[5, 1.5, 4.5, null]");
}

TEST(AggregateFunctionsTest, DistinctStateIsAListPerGroup) {
  auto acc = make({"count", arrow::int64(), true});
  auto values = arr(arrow::int64(), "[3, 3, 1, null]");
  std::vector<uint32_t> groups = {1, 1, 0, 0};
  ASSERT_TRUE(acc->update_batch({values}, groups.data(), 3).ok());
  auto states = acc->state().ValueOrDie();
  ASSERT_EQ(states.size(), 1u);
  auto expected = arr(arrow::list(arrow::int64()), "[[1], [3], []]");
  EXPECT_TRUE(states[0]->Equals(*expected)) << states[0]->ToString();
}

TEST(AggregateFunctionsTest, NoGroupsAndGrowingGroupCounts) {
  auto acc = make({"sum", arrow::int64()});
  EXPECT_EQ(acc->evaluate().ValueOrDie()->length(), 0);
  std::vector<uint32_t> first = {0};
  ASSERT_TRUE(acc->update_batch({arr(arrow::int64(), "[5]")}, first.data(), 1).ok());
  std::vector<uint32_t> second = {2, 0};
  ASSERT_TRUE(acc->update_batch({arr(arrow::int64(), "[1, 1]")}, second.data(), 3).ok());
  EXPECT_TRUE(acc->evaluate().ValueOrDie()->Equals(*arr(arrow::int64(), "[6, null, 1]")));
  EXPECT_GT(acc->size(), 0);
}

TEST(AggregateFunctionsTest, BadArgumentsAreUserErrors) {
  EXPECT_TRUE(
      find_aggregate_function("sum")->return_type({arrow::utf8()}, false).status().IsInvalid());
  EXPECT_TRUE(
      find_aggregate_function("avg")->return_type({arrow::utf8()}, false).status().IsInvalid());
  EXPECT_TRUE(find_aggregate_function("min")
                  ->return_type({arrow::list(arrow::int32())}, false)
                  .status()
                  .IsInvalid());
}

}  // namespace
}  // namespace quiver::functions
