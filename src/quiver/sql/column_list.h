#pragma once

#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace quiver::sql {

/// Parses a column list as written in CREATE TABLE, `id BIGINT, name VARCHAR NOT NULL,
/// price DECIMAL(10,2)`, into a schema, with the SQL type names of arrow_type_from_sql (NOT NULL
/// makes a field non-nullable). Errors name the column and the position in `text`.
arrow::Result<std::shared_ptr<arrow::Schema>> parse_column_list(std::string_view text);

/// Splits a column list into (name, type text) pairs at its top-level commas, after checking it
/// with parse_column_list; the type text keeps what follows the name (`DECIMAL(10,2) NOT NULL`).
arrow::Result<std::vector<std::pair<std::string, std::string>>> split_column_list(
    std::string_view text);

/// Joins (name, type text) pairs back into a column list, quoting each name.
std::string join_column_list(const std::vector<std::pair<std::string, std::string>>& columns);

}  // namespace quiver::sql
