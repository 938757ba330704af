// closest_match: the "did you mean" of every unknown name (columns, tables, functions, options).

#include <gtest/gtest.h>

#include "quiver/common/error.h"

namespace quiver::common {
namespace {

TEST(ClosestMatchTest, CountsASwapOfNeighboursAsOneEdit) {
  const std::vector<std::string> names = {"upper", "lower", "length"};
  EXPECT_EQ(closest_match("uppre", names), "upper");    // swap
  EXPECT_EQ(closest_match("lenght", names), "length");  // swap
  EXPECT_EQ(closest_match("UPPER", names), "upper");    // case-insensitive
  EXPECT_EQ(closest_match("lowr", names), "lower");     // deletion
  EXPECT_EQ(closest_match("xyz", names), "");           // nothing plausible
  EXPECT_EQ(did_you_mean("uppre", names), " (did you mean 'upper'?)");
  EXPECT_EQ(did_you_mean("xyz", names), "");
}

}  // namespace
}  // namespace quiver::common
