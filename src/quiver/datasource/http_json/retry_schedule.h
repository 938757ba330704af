#pragma once

#include <arrow/result.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "quiver/datasource/http_json/http_fetcher.h"

namespace quiver::datasource::http_json {

/// Returns the backoff before retry number `retry` (1 = the first retry):
/// `initial_backoff_ms * multiplier^(retry-1)`, capped at `max_backoff_ms` (never negative).
int64_t backoff_ms(const RetryPolicy& policy, int retry);

/// Parses a `Retry-After` header value into milliseconds from `now`: either delta-seconds
/// ("120") or an HTTP-date in the IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT"). A date in
/// the past gives 0. Returns nullopt for a value in neither form (the caller then backs off as
/// usual).
std::optional<int64_t> parse_retry_after_ms(std::string_view value,
                                            std::chrono::system_clock::time_point now);

/// Returns how long to wait before retry number `retry`: the `Retry-After` value when the answer
/// had a parseable one, else the backoff. Fails when `Retry-After` asks for more than
/// `max_retry_after_ms` (the message names the wait and the limit).
arrow::Result<int64_t> retry_wait_ms(const RetryPolicy& policy, int retry,
                                     const std::optional<std::string>& retry_after,
                                     std::chrono::system_clock::time_point now);

}  // namespace quiver::datasource::http_json
