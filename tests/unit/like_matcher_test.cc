// Tests of LikeMatcher (LIKE patterns of literal text and %, matched by substring search):
// compared with Arrow's match_like on every pattern over a set of strings, plus NULLs, slices and
// the patterns it leaves to the general path.

#include "quiver/physical/expr/like_matcher.h"

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace quiver::physical {
namespace {

std::shared_ptr<arrow::Array> strings(const std::vector<std::optional<std::string>>& values) {
  arrow::StringBuilder builder;
  for (const auto& v : values) {
    EXPECT_TRUE((v ? builder.Append(*v) : builder.AppendNull()).ok());
  }
  return builder.Finish().ValueOrDie();
}

// Arrow's answer, as the reference.
std::shared_ptr<arrow::Array> arrow_like(const std::shared_ptr<arrow::Array>& values,
                                         const std::string& pattern, bool negate) {
  arrow::compute::MatchSubstringOptions options(pattern);
  auto matched = arrow::compute::CallFunction("match_like", {values}, &options).ValueOrDie();
  if (negate) matched = arrow::compute::CallFunction("invert", {matched}).ValueOrDie();
  return matched.make_array();
}

TEST(LikeMatcherTest, AgreesWithArrowOnPercentPatterns) {
  std::mt19937 rng(7);
  std::vector<std::optional<std::string>> values = {"",
                                                    "a",
                                                    "ab",
                                                    "aba",
                                                    "special requests",
                                                    "xspecialyrequestsz",
                                                    "requests special",
                                                    "%",
                                                    "a%b",
                                                    "a_b",
                                                    "héllo wörld",
                                                    std::nullopt};
  const std::string alphabet = "ab%";
  for (int i = 0; i < 300; ++i) {
    std::string s;
    for (int n = static_cast<int>(rng() % 7); n > 0; --n) s += alphabet[rng() % 2];
    values.push_back(s);
  }
  const auto array = strings(values);
  std::vector<std::string> patterns = {
      "",         "%",   "%%",    "a",       "a%",     "%a",
      "%a%",      "a%a", "a%b%a", "%ab%ba%", "ab%%ab", "%special%requests%",
      "special%", "\\%", "a\\%b", "%\\%%",   "héllo%", "%wörld"};
  for (int i = 0; i < 200; ++i) {
    std::string p;
    for (int n = static_cast<int>(rng() % 6); n > 0; --n) p += alphabet[rng() % 3];
    patterns.push_back(p);
  }
  for (const auto& pattern : patterns) {
    auto matcher = LikeMatcher::compile(pattern);
    ASSERT_TRUE(matcher.has_value()) << pattern;
    for (const bool negate : {false, true}) {
      auto ours = matcher->match_array(*array, negate).ValueOrDie();
      auto expected = arrow_like(array, pattern, negate);
      ASSERT_TRUE(ours->Equals(*expected))
          << "pattern '" << pattern << "' negate " << negate << "\n"
          << ours->ToString() << "\nvs\n"
          << expected->ToString();
    }
  }
}

TEST(LikeMatcherTest, SlicesKeepTheirNulls) {
  const auto array = strings({"xx", std::nullopt, "abc", "zabcz", std::nullopt, "q"});
  const auto slice = array->Slice(1, 4);
  auto matcher = LikeMatcher::compile("%abc%");
  ASSERT_TRUE(matcher.has_value());
  auto ours = matcher->match_array(*slice, false).ValueOrDie();
  EXPECT_EQ(ours->ToString(), arrow_like(slice, "%abc%", false)->ToString());
  EXPECT_EQ(ours->null_count(), 2);
}

TEST(LikeMatcherTest, UnderscoreAndTrailingEscapeAreLeftToTheGeneralPath) {
  EXPECT_FALSE(LikeMatcher::compile("a_c").has_value());
  EXPECT_FALSE(LikeMatcher::compile("%_%").has_value());
  EXPECT_FALSE(LikeMatcher::compile("abc\\").has_value());
  // An escaped underscore is a literal.
  auto matcher = LikeMatcher::compile("a\\_c");
  ASSERT_TRUE(matcher.has_value());
  EXPECT_TRUE(matcher->matches("a_c"));
  EXPECT_FALSE(matcher->matches("abc"));
}

}  // namespace
}  // namespace quiver::physical
