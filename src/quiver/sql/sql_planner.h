#pragma once

#include <arrow/result.h>

#include <string_view>
#include <vector>

#include "quiver/sql/context_provider.h"
#include "quiver/sql/statement.h"

namespace quiver::sql {

/// Turns SQL text into planned statements: libpg_query parses it (PostgreSQL 15 grammar) into
/// the typed pg_query AST, and the binder resolves names and types against the session.
///
/// Errors: a syntax error names the line and column (`syntax error at or near "FORM" at line 1,
/// column 10`); unknown tables and columns suggest the closest name; type errors name the
/// expression.
class SqlPlanner {
 public:
  /// Creates a planner that resolves names through `context` (which must outlive it).
  explicit SqlPlanner(const ContextProvider& context) : context_(context) {}
  /// Parses and binds every statement in `sql` (separated by semicolons).
  arrow::Result<std::vector<Statement>> plan(std::string_view sql) const;

 private:
  const ContextProvider& context_;
};

}  // namespace quiver::sql
