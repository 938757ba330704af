// string_set_match / string_equality (FilterExec's own utf8 = / <> / IN kernels) agree with
// Arrow's equal, not_equal and is_in on random strings with NULLs, empty strings, sliced arrays,
// binary and large_utf8; find_substring agrees with std::string_view::find.
#include "quiver/physical/expr/string_set_match.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "quiver/physical/expr/like_matcher.h"

namespace quiver::physical {
namespace {

// A scalar of the string or binary `type` holding `s`.
std::shared_ptr<arrow::Scalar> string_scalar(const std::shared_ptr<arrow::DataType>& type,
                                             const std::string& s) {
  return arrow::MakeScalar(type, std::string(s)).ValueOrDie();
}

// Random strings over a tiny alphabet (so equal values are common), lengths 0..4, ~1/8 NULL.
std::shared_ptr<arrow::Array> random_strings(const std::shared_ptr<arrow::DataType>& type,
                                             int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::unique_ptr<arrow::ArrayBuilder> builder;
  EXPECT_TRUE(arrow::MakeBuilder(arrow::default_memory_pool(), type, &builder).ok());
  for (int64_t i = 0; i < n; ++i) {
    if (rng() % 8 == 0) {
      EXPECT_TRUE(builder->AppendNull().ok());
      continue;
    }
    // Short strings over {a, b}; longer ones (around the 4-, 8- and 16-byte compare paths)
    // mostly a's, so equal long values are common too.
    static const size_t kLong[] = {5, 7, 8, 9, 15, 16, 17, 24};
    const bool is_long = rng() % 3 == 0;
    std::string s(is_long ? kLong[rng() % 8] : rng() % 5, 'a');
    for (auto& c : s) c = static_cast<char>('a' + (rng() % (is_long ? 8 : 2) == 1));
    EXPECT_TRUE(builder->AppendScalar(*string_scalar(type, s)).ok());
  }
  return builder->Finish().ValueOrDie();
}

std::shared_ptr<arrow::Array> arrow_in(const std::shared_ptr<arrow::Array>& values,
                                       const std::vector<std::string>& set, bool negate) {
  std::unique_ptr<arrow::ArrayBuilder> builder;
  EXPECT_TRUE(arrow::MakeBuilder(arrow::default_memory_pool(), values->type(), &builder).ok());
  for (const auto& s : set) {
    EXPECT_TRUE(builder->AppendScalar(*string_scalar(values->type(), s)).ok());
  }
  auto value_set = builder->Finish().ValueOrDie();
  arrow::compute::SetLookupOptions options(value_set);
  auto found = arrow::compute::CallFunction("is_in", {values}, &options).ValueOrDie();
  // is_in gives false for NULL values; SQL gives NULL: put the values' NULLs back.
  auto with_nulls = arrow::compute::CallFunction(
                        "if_else", {arrow::compute::CallFunction("is_null", {values}).ValueOrDie(),
                                    arrow::MakeNullScalar(arrow::boolean()), found})
                        .ValueOrDie();
  if (negate) with_nulls = arrow::compute::CallFunction("invert", {with_nulls}).ValueOrDie();
  return with_nulls.make_array();
}

class StringSetMatchTest : public ::testing::TestWithParam<std::shared_ptr<arrow::DataType>> {};

TEST_P(StringSetMatchTest, EqualityAgreesWithArrow) {
  const auto type = GetParam();
  const auto all = random_strings(type, 1000, 11);
  for (const auto& values : {all, all->Slice(3, 517), all->Slice(0, 7), all->Slice(995)}) {
    for (const std::string& c :
         {"", "a", "ab", "ba", "abab", "zzz", "aaaaa", "aaaaaaa", "aaaaaaaa", "aaaaaaab",
          "baaaaaaaa", "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaa",
          "aaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaabaaa"}) {
      const auto scalar = string_scalar(type, c);
      for (bool ne : {false, true}) {
        auto ours = string_equality(values, scalar, ne).ValueOrDie();
        ASSERT_TRUE(ours.has_value());
        auto reference =
            arrow::compute::CallFunction(ne ? "not_equal" : "equal", {values, scalar}).ValueOrDie();
        ASSERT_TRUE(ours->make_array()->Equals(*reference.make_array()))
            << type->ToString() << " '" << c << "' ne=" << ne << "\n"
            << ours->make_array()->ToString() << "\n"
            << reference.make_array()->ToString();
        ASSERT_TRUE(ours->make_array()->ValidateFull().ok());
        // The scalar may come first.
        auto flipped = string_equality(scalar, values, ne).ValueOrDie();
        ASSERT_TRUE(flipped.has_value());
        ASSERT_TRUE(flipped->make_array()->Equals(*reference.make_array()));
      }
    }
  }
}

TEST_P(StringSetMatchTest, InListAgreesWithArrow) {
  const auto type = GetParam();
  const auto all = random_strings(type, 1000, 23);
  const std::vector<std::vector<std::string>> sets = {
      {},
      {""},
      {"a", "b"},
      {"ab", "ba", "", "aaaa"},
      {"bb", "bb"},
      {"x", "abba", "baab"},
      {"aaaaaaaa", "aaaaaaaaaaaaaaaa", "aaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaa"}};
  for (const auto& values : {all, all->Slice(5, 333), all->Slice(990)}) {
    for (const auto& set : sets) {
      for (bool negate : {false, true}) {
        auto ours = string_set_match(*values, set, negate).ValueOrDie();
        auto reference = arrow_in(values, set, negate);
        ASSERT_TRUE(ours->Equals(*reference)) << type->ToString() << " negate=" << negate << "\n"
                                              << ours->ToString() << "\n"
                                              << reference->ToString();
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Types, StringSetMatchTest,
                         ::testing::Values(arrow::utf8(), arrow::large_utf8(), arrow::binary(),
                                           arrow::large_binary()));

TEST(StringEqualityTest, LeavesOtherOperandsToArrow) {
  auto values = random_strings(arrow::utf8(), 10, 1);
  // A NULL scalar, a scalar of another string type, two columns, a non-string column.
  EXPECT_FALSE(string_equality(values, arrow::MakeNullScalar(arrow::utf8()), false)
                   .ValueOrDie()
                   .has_value());
  EXPECT_FALSE(string_equality(values, std::make_shared<arrow::LargeStringScalar>("a"), false)
                   .ValueOrDie()
                   .has_value());
  EXPECT_FALSE(string_equality(values, values, false).ValueOrDie().has_value());
  auto ints = arrow::MakeArrayFromScalar(*arrow::MakeScalar(int32_t{1}), 2).ValueOrDie();
  EXPECT_FALSE(string_equality(ints, arrow::MakeScalar(int32_t{1}), false).ValueOrDie());
}

TEST(FindSubstringTest, AgreesWithStringViewFind) {
  std::mt19937 rng(5);
  for (int round = 0; round < 20000; ++round) {
    std::string text(rng() % 80, 'a');
    for (auto& c : text) c = static_cast<char>('a' + rng() % 3);
    std::string needle(rng() % 7, 'a');
    for (auto& c : needle) c = static_cast<char>('a' + rng() % 3);
    ASSERT_EQ(find_substring(text, needle), std::string_view(text).find(needle))
        << "text '" << text << "' needle '" << needle << "'";
  }
  EXPECT_EQ(find_substring("xxxxxxxxxxxxxxxxxxxxxxxxxspecial requests", "requests"), 33u);
  EXPECT_EQ(find_substring("abc", ""), 0u);
  EXPECT_EQ(find_substring("", "a"), std::string_view::npos);
}

}  // namespace
}  // namespace quiver::physical
