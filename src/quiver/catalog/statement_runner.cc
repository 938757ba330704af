#include "quiver/catalog/statement_runner.h"

#include <arrow/builder.h>
#include <arrow/table.h>

#include <cctype>

#include "quiver/catalog/copy_to.h"
#include "quiver/catalog/explain.h"
#include "quiver/catalog/session_context.h"
#include "quiver/catalog/view_table.h"
#include "quiver/datasource/memory_table.h"

namespace quiver::catalog {

namespace {

using sql::Statement;

std::shared_ptr<DataFrame> frame(std::shared_ptr<arrow::Table> table) {
  return std::make_shared<DataFrame>(std::move(table));
}

std::shared_ptr<DataFrame> empty_result() {
  return frame(
      arrow::Table::Make(arrow::schema({}), std::vector<std::shared_ptr<arrow::Array>>{}, 0));
}

// Builds a table of Utf8 columns from rows of strings.
arrow::Result<std::shared_ptr<arrow::Table>> string_table(
    const std::vector<std::string>& names, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::shared_ptr<arrow::Array>> columns;
  arrow::FieldVector fields;
  for (size_t c = 0; c < names.size(); ++c) {
    arrow::StringBuilder builder;
    for (const auto& row : rows) ARROW_RETURN_NOT_OK(builder.Append(row[c]));
    std::shared_ptr<arrow::Array> array;
    ARROW_RETURN_NOT_OK(builder.Finish(&array));
    columns.push_back(std::move(array));
    fields.push_back(arrow::field(names[c], arrow::utf8(), /*nullable=*/false));
  }
  return arrow::Table::Make(arrow::schema(std::move(fields)), columns);
}

arrow::Result<std::shared_ptr<arrow::Table>> run_query(
    const std::shared_ptr<SessionContext>& session, const logical::LogicalPlanPtr& plan) {
  DataFrame df(session, plan);
  return df.collect();
}

arrow::Result<std::vector<std::shared_ptr<arrow::RecordBatch>>> batches_of(
    const arrow::Table& table) {
  arrow::TableBatchReader reader(table);
  return reader.ToRecordBatches();
}

// The table name is taken; decide between an error, doing nothing, and replacing.
enum class Existing { kCreate, kSkip, kReplace };

arrow::Result<Existing> check_existing(const SessionContext& session, const Statement& s,
                                       const char* what) {
  if (!session.has_table(s.name)) return Existing::kCreate;
  if (s.if_not_exists) return Existing::kSkip;
  if (s.or_replace) return Existing::kReplace;
  return arrow::Status::Invalid(what, " '", s.name, "' already exists");
}

arrow::Result<std::shared_ptr<DataFrame>> create_view(
    const std::shared_ptr<SessionContext>& session, const Statement& s) {
  ARROW_ASSIGN_OR_RAISE(auto existing, check_existing(*session, s, "table or view"));
  if (existing == Existing::kSkip) return empty_result();
  if (existing == Existing::kReplace) {
    ARROW_ASSIGN_OR_RAISE(auto old, session->get_table(s.name));
    if (old->view_plan() == nullptr) {
      return arrow::Status::Invalid("cannot replace table '", s.name, "' with a view");
    }
  }
  session->register_or_replace_table(s.name, std::make_shared<ViewTable>(s.name, s.plan));
  return empty_result();
}

arrow::Result<std::shared_ptr<DataFrame>> create_table_as(
    const std::shared_ptr<SessionContext>& session, const Statement& s) {
  ARROW_ASSIGN_OR_RAISE(auto existing, check_existing(*session, s, "table"));
  if (existing == Existing::kSkip) return empty_result();
  ARROW_ASSIGN_OR_RAISE(auto result, run_query(session, s.plan));
  ARROW_ASSIGN_OR_RAISE(auto batches, batches_of(*result));
  ARROW_ASSIGN_OR_RAISE(auto table, datasource::MemoryTable::Make(result->schema(), {batches}));
  if (existing == Existing::kReplace) {
    session->register_or_replace_table(s.name, std::move(table));
  } else {
    ARROW_RETURN_NOT_OK(session->register_table(s.name, std::move(table)));
  }
  return empty_result();
}

arrow::Result<std::shared_ptr<DataFrame>> create_table(
    const std::shared_ptr<SessionContext>& session, const Statement& s) {
  if (s.schema == nullptr) return arrow::Status::UnknownError("CREATE TABLE without a schema");
  ARROW_ASSIGN_OR_RAISE(auto existing, check_existing(*session, s, "table"));
  if (existing == Existing::kSkip) return empty_result();
  ARROW_ASSIGN_OR_RAISE(auto table, datasource::MemoryTable::Make(s.schema));
  if (existing == Existing::kReplace) {
    session->register_or_replace_table(s.name, std::move(table));
  } else {
    ARROW_RETURN_NOT_OK(session->register_table(s.name, std::move(table)));
  }
  return empty_result();
}

arrow::Result<std::shared_ptr<DataFrame>> insert(const std::shared_ptr<SessionContext>& session,
                                                 const Statement& s) {
  ARROW_ASSIGN_OR_RAISE(auto provider, session->get_table(s.name));
  auto memory = std::dynamic_pointer_cast<datasource::MemoryTable>(provider);
  if (memory == nullptr) {
    if (provider->view_plan() != nullptr) {
      return arrow::Status::Invalid("cannot insert into view '", s.name, "'");
    }
    return arrow::Status::NotImplemented("cannot insert into table '", s.name,
                                         "': only in-memory tables accept INSERT");
  }
  ARROW_ASSIGN_OR_RAISE(auto result, run_query(session, s.plan));
  if (result->num_columns() != memory->schema()->num_fields()) {
    return arrow::Status::Invalid("INSERT INTO '", s.name, "' gives ", result->num_columns(),
                                  " values per row, but the table has ",
                                  memory->schema()->num_fields(), " columns");
  }
  ARROW_ASSIGN_OR_RAISE(auto batches, batches_of(*result));
  auto st = memory->append(batches);
  if (!st.ok()) return st.WithMessage("INSERT INTO '", s.name, "': ", st.message());
  arrow::UInt64Builder count;
  ARROW_RETURN_NOT_OK(count.Append(static_cast<uint64_t>(result->num_rows())));
  std::shared_ptr<arrow::Array> array;
  ARROW_RETURN_NOT_OK(count.Finish(&array));
  return frame(
      arrow::Table::Make(arrow::schema({arrow::field("count", arrow::uint64(), false)}), {array}));
}

arrow::Result<std::shared_ptr<DataFrame>> drop(const std::shared_ptr<SessionContext>& session,
                                               const Statement& s) {
  const char* what = s.is_view ? "view" : "table";
  auto existing = session->get_table(s.name);
  if (!existing.ok()) {
    if (s.if_exists) return empty_result();
    return arrow::Status::Invalid(what, " '", s.name, "' does not exist");
  }
  const bool is_view = (*existing)->view_plan() != nullptr;
  if (is_view != s.is_view) {
    return arrow::Status::Invalid("'", s.name, "' is a ", is_view ? "view" : "table", "; use DROP ",
                                  is_view ? "VIEW" : "TABLE");
  }
  session->deregister_table(s.name);
  return empty_result();
}

arrow::Result<std::shared_ptr<DataFrame>> show(const std::shared_ptr<SessionContext>& session,
                                               const Statement& s) {
  std::string what = s.name;
  for (auto& c : what) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (what == "tables") {
    std::vector<std::vector<std::string>> rows;
    for (const auto& name : session->table_names()) rows.push_back({name});
    ARROW_ASSIGN_OR_RAISE(auto table, string_table({"table_name"}, rows));
    return frame(table);
  }
  const common::ConfigOptions options = session->options_snapshot();
  std::vector<std::vector<std::string>> rows;
  if (what == "all") {
    for (const auto& entry : options.entries()) rows.push_back({entry.key, entry.default_value});
  } else {
    ARROW_ASSIGN_OR_RAISE(auto key, options.resolve_key(s.name));
    ARROW_ASSIGN_OR_RAISE(auto value, options.get(key));
    rows.push_back({key, value});
  }
  ARROW_ASSIGN_OR_RAISE(auto table, string_table({"name", "value"}, rows));
  return frame(table);
}

}  // namespace

arrow::Result<std::shared_ptr<DataFrame>> run_statement(
    const std::shared_ptr<SessionContext>& session, sql::Statement statement) {
  const Statement& s = statement;
  switch (s.kind) {
    case Statement::Kind::kQuery:
      if (s.plan == nullptr) return arrow::Status::UnknownError("a query statement without a plan");
      return std::make_shared<DataFrame>(session, s.plan);
    case Statement::Kind::kExplain: {
      ARROW_ASSIGN_OR_RAISE(auto table,
                            explain(*session, s.plan, ExplainOptions{s.analyze, s.verbose}));
      return frame(table);
    }
    case Statement::Kind::kCreateView:
      return create_view(session, s);
    case Statement::Kind::kCreateTableAs:
      return create_table_as(session, s);
    case Statement::Kind::kCreateTable:
      return create_table(session, s);
    case Statement::Kind::kInsertValues:
      return insert(session, s);
    case Statement::Kind::kDrop:
      return drop(session, s);
    case Statement::Kind::kSet:
      ARROW_RETURN_NOT_OK(session->set_option(s.name, s.value));
      return empty_result();
    case Statement::Kind::kReset:
      ARROW_RETURN_NOT_OK(session->reset_option(s.name));
      return empty_result();
    case Statement::Kind::kShow:
      return show(session, s);
    case Statement::Kind::kCopyTo:
      return copy_to(session, s);
  }
  return arrow::Status::UnknownError("unknown statement kind");
}

}  // namespace quiver::catalog
