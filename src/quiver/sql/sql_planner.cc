#include "quiver/sql/sql_planner.h"

#include "quiver/sql/expr_binder.h"
#include "quiver/sql/sql_parser.h"
#include "quiver/sql/statement_binder.h"

namespace quiver::sql {

arrow::Result<std::vector<Statement>> SqlPlanner::plan(std::string_view sql) const {
  ARROW_ASSIGN_OR_RAISE(ParsedSql parsed, parse_sql(sql));
  const BindContext context{context_, sql};
  const StatementBinder binder(context);
  std::vector<Statement> statements;
  for (const auto& raw : parsed.tree.stmts()) {
    const bool or_replace = parsed.is_or_replace_table(raw.stmt_location(), raw.stmt_len());
    ARROW_ASSIGN_OR_RAISE(auto statement, binder.bind(raw.stmt(), or_replace));
    statements.push_back(std::move(statement));
  }
  return statements;
}

}  // namespace quiver::sql
