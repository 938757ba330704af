// The pure pieces of the HTTP client: retry schedule, URL origins, header templates.

#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "quiver/datasource/http_json/header_template.h"
#include "quiver/datasource/http_json/retry_schedule.h"
#include "quiver/datasource/http_json/url_parts.h"

namespace quiver::datasource::http_json {
namespace {

TEST(RetryScheduleTest, BackoffGrowsAndIsCapped) {
  RetryPolicy policy;
  policy.initial_backoff_ms = 200;
  policy.multiplier = 2.0;
  policy.max_backoff_ms = 1000;
  EXPECT_EQ(backoff_ms(policy, 1), 200);
  EXPECT_EQ(backoff_ms(policy, 2), 400);
  EXPECT_EQ(backoff_ms(policy, 3), 800);
  EXPECT_EQ(backoff_ms(policy, 4), 1000);
  EXPECT_EQ(backoff_ms(policy, 60), 1000);
}

TEST(RetryScheduleTest, ParsesRetryAfterSecondsAndDates) {
  // 2024-01-02 03:04:05 UTC.
  const auto now = std::chrono::system_clock::from_time_t(1704164645);
  EXPECT_EQ(parse_retry_after_ms("120", now), 120000);
  EXPECT_EQ(parse_retry_after_ms(" 0 ", now), 0);
  EXPECT_EQ(parse_retry_after_ms("Tue, 02 Jan 2024 03:04:15 GMT", now), 10000);
  // A date in the past means "now".
  EXPECT_EQ(parse_retry_after_ms("Mon, 01 Jan 2024 00:00:00 GMT", now), 0);
  EXPECT_EQ(parse_retry_after_ms("soon", now), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("-5", now), std::nullopt);
  EXPECT_EQ(parse_retry_after_ms("Tue, 02 Foo 2024 03:04:15 GMT", now), std::nullopt);
}

TEST(RetryScheduleTest, WaitUsesRetryAfterAndRefusesLongOnes) {
  RetryPolicy policy;
  policy.initial_backoff_ms = 100;
  policy.max_retry_after_ms = 60000;
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(*retry_wait_ms(policy, 2, std::nullopt, now), 200);
  EXPECT_EQ(*retry_wait_ms(policy, 2, std::string("7"), now), 7000);
  // An unparseable Retry-After falls back to the backoff.
  EXPECT_EQ(*retry_wait_ms(policy, 1, std::string("later"), now), 100);
  const auto too_long = retry_wait_ms(policy, 1, std::string("3600"), now);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.status().message(),
            "the server asks to retry after 3600 s (Retry-After: 3600), longer than the limit of "
            "60 s");
  policy.max_retry_after_ms = 1500;
  EXPECT_NE(retry_wait_ms(policy, 1, std::string("2"), now).status().message().find("1.5 s"),
            std::string::npos);
}

TEST(UrlPartsTest, ParsesOrigins) {
  EXPECT_EQ(url_origin("http://Example.COM/a?b#c")->to_string(), "http://example.com:80");
  EXPECT_EQ(url_origin("HTTPS://api.x.io")->to_string(), "https://api.x.io:443");
  EXPECT_EQ(url_origin("http://user:pw@h:8080/p")->to_string(), "http://h:8080");
  EXPECT_EQ(url_origin("http://[::1]:9000/p")->to_string(), "http://[::1]:9000");
  EXPECT_EQ(url_origin("http://h?x=a:b")->to_string(), "http://h:80");
  EXPECT_FALSE(url_origin("example.com/path").ok());
  EXPECT_FALSE(url_origin("http:///path").ok());
  EXPECT_FALSE(url_origin("http://h:99999/").ok());
  EXPECT_FALSE(url_origin("http://h:8x/").ok());
  EXPECT_FALSE(url_origin("ftp://h/").ok());
}

TEST(UrlPartsTest, SameOriginRule) {
  EXPECT_TRUE(same_origin("http://h/a", ""));
  EXPECT_TRUE(same_origin("http://h:80/a", "http://H"));
  EXPECT_TRUE(same_origin("https://h/next?page=2", "https://h/first"));
  EXPECT_FALSE(same_origin("http://h/a", "https://h"));
  EXPECT_FALSE(same_origin("http://h:8080/a", "http://h"));
  EXPECT_FALSE(same_origin("http://localhost:1/a", "http://127.0.0.1:1"));
  EXPECT_FALSE(same_origin("http://evil.h/a", "http://h"));
  EXPECT_FALSE(same_origin("not a url", "http://h"));
}

EnvLookup fake_env() {
  return [](const std::string& name) -> std::optional<std::string> {
    static const std::map<std::string, std::string> values = {{"TOKEN", "s3cret"}, {"EMPTY", ""}};
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(HeaderTemplateTest, ExpandsVariables) {
  EXPECT_EQ(*expand_env("Bearer ${TOKEN}", fake_env()), "Bearer s3cret");
  EXPECT_EQ(*expand_env("${TOKEN}${EMPTY}-${TOKEN}", fake_env()), "s3cret-s3cret");
  EXPECT_EQ(*expand_env("cost $$5 and $${TOKEN}", fake_env()), "cost $5 and ${TOKEN}");
  EXPECT_EQ(*expand_env("a $ b $", fake_env()), "a $ b $");
  EXPECT_EQ(*expand_env("", fake_env()), "");
}

TEST(HeaderTemplateTest, ErrorsNameTheVariableAndHeader) {
  const auto unset = expand_header_values({{"X-Key", "k=${API_KEY}"}}, fake_env());
  ASSERT_FALSE(unset.ok());
  EXPECT_NE(unset.status().message().find("API_KEY is not set"), std::string::npos)
      << unset.status().ToString();
  EXPECT_NE(unset.status().message().find("X-Key"), std::string::npos);
  EXPECT_FALSE(expand_env("${TOKEN", fake_env()).ok());
  EXPECT_FALSE(expand_env("${}", fake_env()).ok());
  EXPECT_FALSE(expand_env("${A-B}", fake_env()).ok());
  EXPECT_FALSE(expand_env("${1A}", fake_env()).ok());
}

TEST(HeaderTemplateTest, ProcessEnvironment) {
  setenv("QUIVER_HEADER_TEMPLATE_TEST", "v1", 1);
  EXPECT_EQ(*expand_env("x${QUIVER_HEADER_TEMPLATE_TEST}", process_env()), "xv1");
}

}  // namespace
}  // namespace quiver::datasource::http_json
