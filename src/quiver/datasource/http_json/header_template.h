#pragma once

#include <arrow/result.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quiver::datasource::http_json {

/// Looks up an environment variable: its value, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// Returns the process environment as an EnvLookup (getenv).
EnvLookup process_env();

/// Expands `text`: `${NAME}` becomes the value of environment variable NAME (NAME: letters,
/// digits, '_'), `$$` becomes a literal `$`, and any other `$` is kept as is. Fails when NAME is
/// not set (naming it and `where`), on an unclosed `${` and on a bad name.
arrow::Result<std::string> expand_env(std::string_view text, const EnvLookup& env,
                                      std::string_view where = "");

/// Expands every header value with `expand_env` (errors name the header).
arrow::Result<std::vector<std::pair<std::string, std::string>>> expand_header_values(
    const std::vector<std::pair<std::string, std::string>>& headers, const EnvLookup& env);

}  // namespace quiver::datasource::http_json
