#pragma once

#include <arrow/result.h>
#include <pg_query/pg_query.pb.h>

#include <string>
#include <string_view>
#include <vector>

namespace quiver::sql {

/// SQL text parsed by libpg_query into the typed pg_query AST.
struct ParsedSql {
  pg_query::ParseResult tree;
  /// Byte offsets of `CREATE OR REPLACE TABLE` statements: PostgreSQL's grammar has no such
  /// statement, so "OR REPLACE" is blanked out before parsing and remembered here.
  std::vector<int> or_replace_tables;
  /// Returns whether the statement spanning [location, location + length) (length 0 = to the
  /// end) was written `CREATE OR REPLACE TABLE`.
  bool is_or_replace_table(int location, int length) const;
};

/// Parses `sql` (one or more statements separated by semicolons). A syntax error is a user
/// error naming the token and its place: `syntax error at or near "FORM" at line 1, column 10`.
arrow::Result<ParsedSql> parse_sql(std::string_view sql);

}  // namespace quiver::sql
