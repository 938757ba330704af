#include <arrow/scalar.h>
#include <gtest/gtest.h>

#include "quiver/sql/interval_literal.h"
#include "quiver/sql/numeric_literal.h"

namespace quiver::sql {
namespace {

using MonthDayNanos = arrow::MonthDayNanoIntervalType::MonthDayNanos;

constexpr int32_t kMonth = 1 << 1;
constexpr int32_t kYear = 1 << 2;
constexpr int32_t kDay = 1 << 3;
constexpr int64_t kHourNanos = 3600LL * 1000000000LL;

MonthDayNanos parse(const char* text, int32_t mask = 0) {
  auto r = parse_interval(text, mask);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ValueOr(MonthDayNanos{});
}

TEST(IntervalLiteralTest, UnitsAndQualifiers) {
  EXPECT_EQ(parse("3", kMonth), (MonthDayNanos{3, 0, 0}));
  EXPECT_EQ(parse("90", kDay), (MonthDayNanos{0, 90, 0}));
  EXPECT_EQ(parse("1", kYear), (MonthDayNanos{12, 0, 0}));
  EXPECT_EQ(parse("1 year 2 months"), (MonthDayNanos{14, 0, 0}));
  EXPECT_EQ(parse("3 days"), (MonthDayNanos{0, 3, 0}));
  EXPECT_EQ(parse("3days"), (MonthDayNanos{0, 3, 0}));
  EXPECT_EQ(parse("-1 day 2 hours"), (MonthDayNanos{0, -1, 2 * kHourNanos}));
  EXPECT_EQ(parse("2 weeks"), (MonthDayNanos{0, 14, 0}));
  EXPECT_EQ(parse("1 day 02:30:00"), (MonthDayNanos{0, 1, 2 * kHourNanos + kHourNanos / 2}));
  EXPECT_EQ(parse("1.5 days"), (MonthDayNanos{0, 1, 12 * kHourNanos}));
  EXPECT_EQ(parse("1.5 months"), (MonthDayNanos{1, 15, 0}));
  EXPECT_EQ(parse("1 year ago"), (MonthDayNanos{-12, 0, 0}));
  EXPECT_EQ(parse("1-2", kYear | kMonth), (MonthDayNanos{14, 0, 0}));
  EXPECT_EQ(parse("3"), (MonthDayNanos{0, 0, 3000000000LL}));  // seconds without a qualifier
}

TEST(IntervalLiteralTest, BadTextNamesIt) {
  for (const char* text : {"", "abc", "3 fortnights", "1 day 25:xx"}) {
    auto r = parse_interval(text, 0);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().message().find("interval"), std::string::npos);
    EXPECT_NE(r.status().message().find(text), std::string::npos) << r.status().message();
  }
}

TEST(NumericLiteralTest, DecimalsAreExact) {
  auto v = numeric_literal("0.06").ValueOrDie();
  EXPECT_TRUE(v->type->Equals(*arrow::decimal128(3, 2))) << v->type->ToString();
  EXPECT_EQ(v->ToString(), "0.06");
  v = numeric_literal("100.00").ValueOrDie();
  EXPECT_TRUE(v->type->Equals(*arrow::decimal128(5, 2)));
  EXPECT_EQ(v->ToString(), "100.00");
  v = numeric_literal(".5").ValueOrDie();
  EXPECT_TRUE(v->type->Equals(*arrow::decimal128(1, 1)));
  v = numeric_literal("12345678901234567890").ValueOrDie();  // beyond Int64
  EXPECT_TRUE(v->type->Equals(*arrow::decimal128(20, 0)));
  v = numeric_literal("1.5e3").ValueOrDie();
  EXPECT_TRUE(v->type->Equals(*arrow::float64()));
  v = numeric_literal("1234567890123456789012345678901234567890.5").ValueOrDie();
  EXPECT_TRUE(v->type->Equals(*arrow::float64()));
}

}  // namespace
}  // namespace quiver::sql
