#include "quiver/datasource/http_json/retry_schedule.h"

#include <arrow/status.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <ctime>
#include <string>

namespace quiver::datasource::http_json {

int64_t backoff_ms(const RetryPolicy& policy, int retry) {
  const double cap = static_cast<double>(std::max<int64_t>(policy.max_backoff_ms, 0));
  double wait = static_cast<double>(std::max<int64_t>(policy.initial_backoff_ms, 0));
  for (int i = 1; i < retry && wait < cap; ++i) wait *= std::max(policy.multiplier, 1.0);
  return static_cast<int64_t>(std::min(wait, cap));
}

namespace {

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

int parse_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Parses "Sun, 06 Nov 1994 08:49:37 GMT" (IMF-fixdate, RFC 9110 section 5.6.7).
std::optional<std::time_t> parse_imf_fixdate(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // "Www, DD Mmm YYYY HH:MM:SS GMT" is 29 characters.
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
    return std::nullopt;
  }
  const std::string_view day = text.substr(5, 2), month = text.substr(8, 3),
                         year = text.substr(12, 4), hour = text.substr(17, 2),
                         minute = text.substr(20, 2), second = text.substr(23, 2);
  if (!all_digits(day) || !all_digits(year) || !all_digits(hour) || !all_digits(minute) ||
      !all_digits(second)) {
    return std::nullopt;
  }
  const auto month_it = std::find(kMonths.begin(), kMonths.end(), month);
  if (month_it == kMonths.end()) return std::nullopt;
  std::tm tm{};
  tm.tm_mday = parse_int(day);
  tm.tm_mon = static_cast<int>(month_it - kMonths.begin());
  tm.tm_year = parse_int(year) - 1900;
  tm.tm_hour = parse_int(hour);
  tm.tm_min = parse_int(minute);
  tm.tm_sec = parse_int(second);
  if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  return timegm(&tm);
}

// "600 s", "1.5 s".
std::string format_seconds(int64_t ms) {
  std::string text = std::to_string(ms / 1000);
  if (ms % 1000 != 0) {
    std::string fraction = std::to_string(1000 + ms % 1000).substr(1);
    while (fraction.back() == '0') fraction.pop_back();
    text += "." + fraction;
  }
  return text + " s";
}

}  // namespace

std::optional<int64_t> parse_retry_after_ms(std::string_view value,
                                            std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (all_digits(value)) {
    // Delta-seconds; anything beyond a year is as good as "too long".
    if (value.size() > 8) return int64_t{366} * 24 * 3600 * 1000;
    return static_cast<int64_t>(parse_int(value)) * 1000;
  }
  const auto date = parse_imf_fixdate(value);
  if (!date) return std::nullopt;
  const auto wait = std::chrono::system_clock::from_time_t(*date) - now;
  return std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
}

arrow::Result<int64_t> retry_wait_ms(const RetryPolicy& policy, int retry,
                                     const std::optional<std::string>& retry_after,
                                     std::chrono::system_clock::time_point now) {
  if (retry_after) {
    if (const auto wait = parse_retry_after_ms(*retry_after, now)) {
      if (*wait > policy.max_retry_after_ms) {
        return arrow::Status::IOError("the server asks to retry after ", format_seconds(*wait),
                                      " (Retry-After: ", *retry_after,
                                      "), longer than the limit of ",
                                      format_seconds(policy.max_retry_after_ms));
      }
      return *wait;
    }
  }
  return backoff_ms(policy, retry);
}

}  // namespace quiver::datasource::http_json
