#pragma once

#include <arrow/result.h>

#include "quiver/sql/expr_binder.h"
#include "quiver/sql/statement.h"

namespace pg_query {
class Node;
}

namespace quiver::sql {

/// Binds one parsed statement: queries through QueryBinder, and the statements the session
/// carries out (EXPLAIN, CREATE VIEW / TABLE [AS], INSERT, DROP, SET, RESET, SHOW, COPY TO) into a
/// Statement with their names and values.
class StatementBinder {
 public:
  /// Creates a binder over `context` (which must outlive it).
  explicit StatementBinder(const BindContext& context) : context_(context) {}

  /// Binds `node` (a RawStmt's statement); `or_replace_table` tells that it was written
  /// `CREATE OR REPLACE TABLE` (see ParsedSql).
  arrow::Result<Statement> bind(const pg_query::Node& node, bool or_replace_table) const;

 private:
  arrow::Result<Statement> bind_explain(const pg_query::Node& node) const;
  arrow::Result<Statement> bind_create_table(const pg_query::Node& node) const;
  arrow::Result<Statement> bind_insert(const pg_query::Node& node) const;
  arrow::Result<Statement> bind_set(const pg_query::Node& node) const;
  arrow::Result<Statement> bind_copy(const pg_query::Node& node) const;

  const BindContext& context_;
};

}  // namespace quiver::sql
