#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "quiver/datasource/http_json/http_json_options.h"

namespace quiver::datasource::http_json {

/// One option as written: its key (`page_size`, `headers.X-Api-Key`), its value (a string, an
/// integer, a float or a boolean; strings holding integers or booleans are accepted for those
/// types, as YAML scalars are strings) and where it was written (`line 7`; empty when unknown),
/// which errors repeat.
struct SourceOption {
  std::string key;
  std::variant<std::string, int64_t, double, bool> value;
  std::string where;
};

/// Builds the options of one HTTP JSON source from flat key/value options (SQL named arguments
/// of `read_http_json` or one table of a source file). Keys:
///
/// - `url` (required), `data_path` (JSON pointer), `format` (auto|ndjson|array)
/// - `headers.<Name>`; `auth` (none|bearer|basic) with `token`, or `user` and `password`
///   (the URL, header and credential values may hold `${ENV}`, expanded by HttpJsonTable)
/// - `pagination` (none|offset|page|cursor|link|next_url) and its parameters: `page_size`,
///   `max_pages`, `offset_param`, `limit_param`, `page_param`, `size_param`, `first_page`,
///   `stop_on_short_page`, `total_path`, `cursor_path`, `cursor_param`, `next_url_path`
/// - `connect_timeout_ms`, `stall_timeout_ms`, `max_retries`, `initial_backoff_ms`,
///   `max_backoff_ms`, `max_retry_after_ms`
/// - `columns` (`id BIGINT, name VARCHAR, price DECIMAL(10,2)`), `drift` (error|widen|raw),
///   `raw_column`, `infer_sample`, `batch_size`, `max_buffered_items`
///
/// Errors name the key and its place: an unknown key lists the valid ones, a wrong type names
/// the expected one, a parameter of another pagination style names the style it belongs to.
arrow::Result<HttpJsonSourceOptions> parse_http_json_options(
    const std::vector<SourceOption>& options);

/// Returns the keys parse_http_json_options accepts (`headers.<Name>` as `headers.*`), sorted.
std::vector<std::string> http_json_option_keys();

}  // namespace quiver::datasource::http_json
