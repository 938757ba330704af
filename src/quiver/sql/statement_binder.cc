#include "quiver/sql/statement_binder.h"

#include <arrow/type.h>
#include <pg_query/pg_query.pb.h>

#include "quiver/catalog/table_provider.h"
#include "quiver/logical/expr_type.h"
#include "quiver/logical/plan_builder.h"
#include "quiver/sql/ast_location.h"
#include "quiver/sql/query_binder.h"
#include "quiver/sql/sql_type.h"

namespace quiver::sql {

namespace {

using logical::ExprPtr;
using logical::LogicalPlanPtr;

// Renames the first columns of `plan` (CREATE VIEW v (a, b) AS ..., CREATE TABLE t (a) AS ...).
arrow::Result<LogicalPlanPtr> rename_columns(
    LogicalPlanPtr plan, const google::protobuf::RepeatedPtrField<pg_query::Node>& names) {
  if (names.empty()) return plan;
  const auto& schema = plan->schema;
  if (names.size() > schema.num_fields()) {
    return arrow::Status::Invalid(names.size(), " column names given for a query with ",
                                  schema.num_fields(), " columns");
  }
  std::vector<ExprPtr> exprs;
  for (int i = 0; i < schema.num_fields(); ++i) {
    const auto& f = schema.field(i);
    ExprPtr column = logical::col(f.qualifier, f.field->name());
    exprs.push_back(i < names.size() ? logical::alias(column, names[i].string().sval()) : column);
  }
  return logical::make_projection(plan, std::move(exprs));
}

std::string last_name(const pg_query::Node& list) {
  std::string out;
  if (list.has_list()) {
    for (const auto& item : list.list().items()) {
      if (item.has_string()) out = item.string().sval();
    }
  } else if (list.has_string()) {
    out = list.string().sval();
  }
  return out;
}

// The text of a SET value, without quotes.
arrow::Result<std::string> set_value_text(const pg_query::Node& node) {
  if (node.has_a_const()) {
    const auto& c = node.a_const();
    if (c.has_sval()) return c.sval().sval();
    if (c.has_ival()) return std::to_string(c.ival().ival());
    if (c.has_fval()) return c.fval().fval();
    if (c.has_boolval()) return std::string(c.boolval().boolval() ? "true" : "false");
  }
  if (node.has_string()) return node.string().sval();
  return arrow::Status::Invalid("SET values must be constants");
}

// EXPLAIN option values: `ANALYZE` alone is true; `(ANALYZE false)` is false.
bool option_enabled(const pg_query::DefElem& option) {
  if (!option.has_arg()) return true;
  const auto& arg = option.arg();
  if (arg.has_string()) {
    const std::string& v = arg.string().sval();
    return !(v == "false" || v == "off" || v == "0");
  }
  if (arg.has_a_const() && arg.a_const().has_ival()) return arg.a_const().ival().ival() != 0;
  if (arg.has_a_const() && arg.a_const().has_boolval()) return arg.a_const().boolval().boolval();
  if (arg.has_boolean()) return arg.boolean().boolval();
  return true;
}

// The text of a COPY option's value: `HEADER` alone is "true", `FORMAT parquet`, `HEADER false`,
// `DELIMITER '|'` and numbers give their text.
arrow::Result<std::string> copy_option_value(const pg_query::DefElem& option) {
  if (!option.has_arg()) return std::string("true");
  const auto& arg = option.arg();
  if (arg.has_string()) return arg.string().sval();
  if (arg.has_boolean()) return std::string(arg.boolean().boolval() ? "true" : "false");
  if (arg.has_integer()) return std::to_string(arg.integer().ival());
  if (arg.has_float_()) return arg.float_().fval();
  if (arg.has_a_const()) return set_value_text(arg);
  return arrow::Status::Invalid("COPY option ", option.defname(), " needs a constant value");
}

// `SELECT * FROM table` (or `SELECT a, b FROM table` for `COPY table (a, b)`), for binding
// `COPY table TO ...` like a query.
pg_query::Node copy_table_query(const pg_query::CopyStmt& copy) {
  pg_query::Node node;
  auto* select = node.mutable_select_stmt();
  select->set_op(pg_query::SETOP_NONE);
  select->set_limit_option(pg_query::LIMIT_OPTION_DEFAULT);
  *select->add_from_clause()->mutable_range_var() = copy.relation();
  if (copy.attlist_size() == 0) {
    auto* target = select->add_target_list()->mutable_res_target();
    target->mutable_val()->mutable_column_ref()->add_fields()->mutable_a_star();
  }
  for (const auto& column : copy.attlist()) {
    auto* target = select->add_target_list()->mutable_res_target();
    *target->mutable_val()->mutable_column_ref()->add_fields() = column;
  }
  return node;
}

}  // namespace

arrow::Result<Statement> StatementBinder::bind(const pg_query::Node& node,
                                               bool or_replace_table) const {
  QueryBinder queries(context_);
  Statement out;
  switch (node.node_case()) {
    case pg_query::Node::kSelectStmt: {
      out.kind = Statement::Kind::kQuery;
      ARROW_ASSIGN_OR_RAISE(out.plan, queries.bind_query(node));
      return out;
    }
    case pg_query::Node::kExplainStmt:
      return bind_explain(node);
    case pg_query::Node::kViewStmt: {
      const auto& view = node.view_stmt();
      out.kind = Statement::Kind::kCreateView;
      out.name = view.view().relname();
      out.or_replace = view.replace();
      ARROW_ASSIGN_OR_RAISE(out.plan, queries.bind_query(view.query()));
      ARROW_ASSIGN_OR_RAISE(out.plan, rename_columns(out.plan, view.aliases()));
      return out;
    }
    case pg_query::Node::kCreateTableAsStmt: {
      const auto& ctas = node.create_table_as_stmt();
      if (ctas.objtype() != pg_query::OBJECT_TABLE) {
        return arrow::Status::NotImplemented("only CREATE TABLE ... AS is supported");
      }
      out.kind = Statement::Kind::kCreateTableAs;
      out.name = ctas.into().rel().relname();
      out.if_not_exists = ctas.if_not_exists();
      out.or_replace = or_replace_table;
      ARROW_ASSIGN_OR_RAISE(out.plan, queries.bind_query(ctas.query()));
      ARROW_ASSIGN_OR_RAISE(out.plan, rename_columns(out.plan, ctas.into().col_names()));
      return out;
    }
    case pg_query::Node::kCreateStmt: {
      ARROW_ASSIGN_OR_RAISE(out, bind_create_table(node));
      out.or_replace = or_replace_table;
      return out;
    }
    case pg_query::Node::kInsertStmt:
      return bind_insert(node);
    case pg_query::Node::kDropStmt: {
      const auto& drop = node.drop_stmt();
      if (drop.remove_type() != pg_query::OBJECT_TABLE &&
          drop.remove_type() != pg_query::OBJECT_VIEW) {
        return arrow::Status::NotImplemented("only DROP TABLE and DROP VIEW are supported");
      }
      if (drop.objects_size() != 1) {
        return arrow::Status::NotImplemented("DROP of several objects at once is not supported");
      }
      out.kind = Statement::Kind::kDrop;
      out.name = last_name(drop.objects(0));
      out.if_exists = drop.missing_ok();
      out.is_view = drop.remove_type() == pg_query::OBJECT_VIEW;
      return out;
    }
    case pg_query::Node::kVariableSetStmt:
      return bind_set(node);
    case pg_query::Node::kCopyStmt:
      return bind_copy(node);
    case pg_query::Node::kVariableShowStmt:
      out.kind = Statement::Kind::kShow;
      out.name = node.variable_show_stmt().name();
      return out;
    default: {
      const auto* field = pg_query::Node::descriptor()->FindFieldByNumber(node.node_case());
      return arrow::Status::NotImplemented("statement ", field ? field->name() : "?",
                                           " is not supported");
    }
  }
}

arrow::Result<Statement> StatementBinder::bind_explain(const pg_query::Node& node) const {
  const auto& explain = node.explain_stmt();
  Statement out;
  out.kind = Statement::Kind::kExplain;
  for (const auto& option : explain.options()) {
    const auto& def = option.def_elem();
    if (def.defname() == "analyze") {
      out.analyze = option_enabled(def);
    } else if (def.defname() == "verbose") {
      out.verbose = option_enabled(def);
    } else {
      return arrow::Status::NotImplemented("EXPLAIN option ", def.defname(), " is not supported");
    }
  }
  if (!explain.query().has_select_stmt()) {
    return arrow::Status::NotImplemented("EXPLAIN supports queries only");
  }
  QueryBinder queries(context_);
  ARROW_ASSIGN_OR_RAISE(out.plan, queries.bind_query(explain.query()));
  return out;
}

arrow::Result<Statement> StatementBinder::bind_create_table(const pg_query::Node& node) const {
  const auto& create = node.create_stmt();
  Statement out;
  out.kind = Statement::Kind::kCreateTable;
  out.name = create.relation().relname();
  out.if_not_exists = create.if_not_exists();
  arrow::FieldVector fields;
  for (const auto& element : create.table_elts()) {
    if (!element.has_column_def()) {
      if (element.has_constraint()) continue;  // table constraints are not enforced
      return arrow::Status::NotImplemented("CREATE TABLE supports column definitions only");
    }
    const auto& column = element.column_def();
    auto type = arrow_type_from_sql(column.type_name());
    if (!type.ok()) return context_.at(type.status(), column.type_name().location());
    bool nullable = !column.is_not_null();
    for (const auto& c : column.constraints()) {
      switch (c.constraint().contype()) {
        case pg_query::CONSTR_NOTNULL:
        case pg_query::CONSTR_PRIMARY:
          nullable = false;
          break;
        case pg_query::CONSTR_NULL:
        case pg_query::CONSTR_UNIQUE:
          break;
        default:
          return context_.at(arrow::Status::NotImplemented(
                                 "column constraints other than NOT NULL, PRIMARY KEY and UNIQUE "
                                 "are not supported"),
                             column.location());
      }
    }
    for (const auto& f : fields) {
      if (f->name() == column.colname()) {
        return context_.at(
            arrow::Status::Invalid("column \"", column.colname(), "\" specified more than once"),
            column.location());
      }
    }
    fields.push_back(arrow::field(column.colname(), *type, nullable));
  }
  out.schema = arrow::schema(std::move(fields));
  return out;
}

arrow::Result<Statement> StatementBinder::bind_insert(const pg_query::Node& node) const {
  const auto& insert = node.insert_stmt();
  if (insert.has_with_clause() || insert.has_on_conflict_clause() ||
      insert.returning_list_size() > 0) {
    return arrow::Status::NotImplemented("INSERT supports VALUES or a query only");
  }
  Statement out;
  out.kind = Statement::Kind::kInsertValues;
  out.name = insert.relation().relname();
  auto table = context_.provider.get_table(out.name);
  if (!table.ok()) return context_.at(table.status(), insert.relation().location());
  const auto target = (*table)->schema();

  QueryBinder queries(context_);
  ARROW_ASSIGN_OR_RAISE(LogicalPlanPtr source, queries.bind_query(insert.select_stmt()));
  const auto& schema = source->schema;

  // For each table column, the source column that fills it (-1: NULL).
  std::vector<int> source_of(static_cast<size_t>(target->num_fields()), -1);
  if (insert.cols_size() == 0) {
    if (schema.num_fields() != target->num_fields()) {
      return arrow::Status::Invalid("INSERT into ", out.name, " has ", schema.num_fields(),
                                    " values for ", target->num_fields(), " columns");
    }
    for (int i = 0; i < target->num_fields(); ++i) source_of[static_cast<size_t>(i)] = i;
  } else {
    if (schema.num_fields() != insert.cols_size()) {
      return arrow::Status::Invalid("INSERT into ", out.name, " names ", insert.cols_size(),
                                    " columns but gives ", schema.num_fields(), " values");
    }
    for (int i = 0; i < insert.cols_size(); ++i) {
      const auto& res = insert.cols(i).res_target();
      const int index = target->GetFieldIndex(res.name());
      if (index < 0) {
        return context_.at(arrow::Status::Invalid("column \"", res.name(), "\" of table \"",
                                                  out.name, "\" does not exist"),
                           res.location());
      }
      source_of[static_cast<size_t>(index)] = i;
    }
  }
  std::vector<ExprPtr> exprs;
  for (int i = 0; i < target->num_fields(); ++i) {
    const auto& field = target->field(i);
    const int from = source_of[static_cast<size_t>(i)];
    ExprPtr value = logical::lit(std::make_shared<arrow::NullScalar>());
    if (from >= 0) {
      const auto& f = schema.field(from);
      value = logical::col(f.qualifier, f.field->name());
    }
    auto converted = logical::cast_expr_to(value, field->type(), schema);
    if (!converted.ok()) {
      return arrow::Status::Invalid("INSERT into ", out.name, " column ", field->name(), ": ",
                                    converted.status().message());
    }
    exprs.push_back(logical::alias(*converted, field->name()));
  }
  ARROW_ASSIGN_OR_RAISE(out.plan, logical::make_projection(source, std::move(exprs)));
  return out;
}

arrow::Result<Statement> StatementBinder::bind_set(const pg_query::Node& node) const {
  const auto& set = node.variable_set_stmt();
  Statement out;
  out.name = set.name();
  switch (set.kind()) {
    case pg_query::VAR_SET_VALUE: {
      out.kind = Statement::Kind::kSet;
      std::string value;
      for (int i = 0; i < set.args_size(); ++i) {
        ARROW_ASSIGN_OR_RAISE(auto text, set_value_text(set.args(i)));
        value += (i > 0 ? ", " : "") + text;
      }
      out.value = std::move(value);
      return out;
    }
    case pg_query::VAR_SET_DEFAULT:
    case pg_query::VAR_RESET:
      out.kind = Statement::Kind::kReset;
      return out;
    case pg_query::VAR_RESET_ALL:
      out.kind = Statement::Kind::kReset;
      out.name = "all";
      return out;
    default:
      return arrow::Status::NotImplemented("this form of SET is not supported");
  }
}

arrow::Result<Statement> StatementBinder::bind_copy(const pg_query::Node& node) const {
  const auto& copy = node.copy_stmt();
  if (copy.is_from()) {
    return arrow::Status::NotImplemented(
        "COPY FROM is not supported; read files with "
        "read_parquet, read_csv or read_json");
  }
  if (copy.is_program() || copy.filename().empty()) {
    return arrow::Status::NotImplemented("COPY supports TO 'file path' only");
  }
  if (copy.has_where_clause()) {
    return arrow::Status::NotImplemented("COPY ... WHERE is not supported; use COPY (query) TO");
  }
  Statement out;
  out.kind = Statement::Kind::kCopyTo;
  out.value = copy.filename();
  for (const auto& option : copy.options()) {
    const auto& def = option.def_elem();
    ARROW_ASSIGN_OR_RAISE(auto value, copy_option_value(def));
    out.options.emplace_back(def.defname(), std::move(value));
  }
  QueryBinder queries(context_);
  if (copy.has_query()) {
    ARROW_ASSIGN_OR_RAISE(out.plan, queries.bind_query(copy.query()));
  } else {
    ARROW_ASSIGN_OR_RAISE(out.plan, queries.bind_query(copy_table_query(copy)));
  }
  return out;
}

}  // namespace quiver::sql
