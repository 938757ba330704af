#pragma once

#include <arrow/result.h>

#include <string>
#include <vector>

#include "quiver/datasource/http_json/source_options_parser.h"

namespace quiver::catalog {

/// One table of a source file: its name, where it is defined (`line 3`, or empty) and its
/// options, flattened (`[tables.users.headers] X-Api-Key = ...` gives `headers.X-Api-Key`).
struct SourceTableSpec {
  std::string name;
  std::string where;
  std::vector<datasource::http_json::SourceOption> options;
};

/// Reads a source file, TOML (`.toml`) or YAML (`.yaml`, `.yml`), chosen by the extension. The
/// file holds one section per table under `tables`:
///
///     [tables.users]                       tables:
///     url = "https://api.example.com/u"      users:
///     pagination = "cursor"                    url: https://api.example.com/u
///     [tables.users.headers]                   headers:
///     X-Api-Key = "${API_KEY}"                   X-Api-Key: ${API_KEY}
///
/// Errors name the file, the table, the key and the line when it is known (syntax errors, a
/// value that is a list or a table where a value is expected, other top-level keys).
arrow::Result<std::vector<SourceTableSpec>> read_source_file(const std::string& path);

}  // namespace quiver::catalog
