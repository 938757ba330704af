#pragma once

#include <arrow/type_fwd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "quiver/logical/logical_plan.h"

namespace quiver::sql {

/// A planned SQL statement. Queries carry a logical plan; the others are carried out by the
/// session (catalog/session_context.cc).
struct Statement {
  enum class Kind {
    kQuery,          ///< SELECT / VALUES / UNION ...: `plan`
    kExplain,        ///< EXPLAIN [ANALYZE] [VERBOSE] <query>: `plan`, `analyze`, `verbose`
    kCreateView,     ///< CREATE [OR REPLACE] VIEW name AS <query>: `name`, `plan`
    kCreateTableAs,  ///< CREATE [OR REPLACE] TABLE name AS <query> (in memory): `name`, `plan`
    kCreateTable,    ///< CREATE TABLE name (col type, ...) (empty, in memory): `name`, `schema`
    kInsertValues,   ///< INSERT INTO name <query>: `name`, `plan`
    kDrop,           ///< DROP TABLE|VIEW [IF EXISTS] name: `name`, `if_exists`, `is_view`
    kSet,            ///< SET key = value / SET key TO value: `name`, `value`
    kReset,          ///< RESET key: `name`
    kShow,           ///< SHOW key | SHOW ALL | SHOW TABLES: `name` ("all", "tables")
    kCopyTo,         ///< COPY (query) | table TO 'path' (options): `plan`, `value` (the path),
                     ///< `options`
  };
  Kind kind = Kind::kQuery;
  logical::LogicalPlanPtr plan;
  std::shared_ptr<arrow::Schema> schema;
  std::string name;
  std::string value;
  bool analyze = false;
  bool verbose = false;
  bool or_replace = false;
  bool if_not_exists = false;
  bool if_exists = false;
  bool is_view = false;
  /// COPY options as written, `(name, value)` (a name alone has the value "true").
  std::vector<std::pair<std::string, std::string>> options;
};

}  // namespace quiver::sql
