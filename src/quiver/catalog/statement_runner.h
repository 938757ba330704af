#pragma once

#include <arrow/result.h>

#include <memory>

#include "quiver/catalog/data_frame.h"
#include "quiver/sql/statement.h"

namespace quiver::catalog {

class SessionContext;

/// Carries out one planned statement for SessionContext::sql():
/// - queries become a DataFrame over their plan (nothing runs yet);
/// - EXPLAIN returns its plans (see explain.h);
/// - CREATE VIEW, CREATE TABLE [AS], INSERT, DROP, SET and RESET change the session now and
///   return an empty result (INSERT returns one row, `count`, the rows inserted);
/// - SHOW returns `name`, `value` rows (SHOW ALL: every option; SHOW TABLES: `table_name`);
/// - COPY ... TO writes a file now (see copy_to.h) and returns one row, `count`.
arrow::Result<std::shared_ptr<DataFrame>> run_statement(
    const std::shared_ptr<SessionContext>& session, sql::Statement statement);

}  // namespace quiver::catalog
