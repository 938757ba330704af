#include "quiver/sql/column_list.h"

#include <pg_query.h>
#include <pg_query/pg_query.pb.h>

#include <cctype>

#include "quiver/sql/source_position.h"
#include "quiver/sql/sql_type.h"

namespace quiver::sql {

namespace {

struct ColumnText {
  std::string name;
  std::string type;
  size_t type_offset = 0;  // of `type` in the whole list
};

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Splits at commas outside parentheses and double quotes; returns [begin, end) of each piece.
std::vector<std::pair<size_t, size_t>> top_level_pieces(std::string_view text) {
  std::vector<std::pair<size_t, size_t>> pieces;
  int depth = 0;
  bool quoted = false;
  size_t begin = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      pieces.emplace_back(begin, i);
      begin = i + 1;
    }
  }
  pieces.emplace_back(begin, text.size());
  return pieces;
}

// Reads `name TYPE...` from text[begin, end): the name as written (case kept, as JSON field names
// are case-sensitive), or unquoted from "double quotes" ("" stands for one quote).
arrow::Result<ColumnText> read_column(std::string_view text, size_t begin, size_t end,
                                      size_t number) {
  size_t pos = begin;
  while (pos < end && is_space(text[pos])) ++pos;
  ColumnText column;
  if (pos < end && text[pos] == '"') {
    ++pos;
    while (pos < end) {
      if (text[pos] == '"') {
        if (pos + 1 < end && text[pos + 1] == '"') {
          column.name += '"';
          pos += 2;
          continue;
        }
        break;
      }
      column.name += text[pos++];
    }
    if (pos >= end) {
      return with_position(arrow::Status::Invalid("column ", number, ": unterminated quoted name"),
                           text, static_cast<int>(begin));
    }
    ++pos;
  } else {
    while (pos < end && !is_space(text[pos])) column.name += text[pos++];
  }
  while (pos < end && is_space(text[pos])) ++pos;
  size_t last = end;
  while (last > pos && is_space(text[last - 1])) --last;
  column.type = std::string(text.substr(pos, last - pos));
  column.type_offset = pos;
  if (column.name.empty() || column.type.empty()) {
    return with_position(arrow::Status::Invalid("column ", number, ": expected 'name TYPE', got '",
                                                text.substr(begin, end - begin), "'"),
                         text, static_cast<int>(begin));
  }
  return column;
}

// Parses one type (with an optional NOT NULL / NULL) through the PostgreSQL grammar.
arrow::Result<std::shared_ptr<arrow::Field>> parse_type(std::string_view list,
                                                        const ColumnText& column) {
  const std::string prefix = "CREATE TABLE t (x ";
  const std::string sql = prefix + column.type + ")";
  PgQueryProtobufParseResult result = pg_query_parse_protobuf(sql.c_str());
  const auto fail = [&](const std::string& message, int cursor) {
    arrow::Status status = arrow::Status::Invalid("column '", column.name, "': ", message);
    const int at =
        cursor > static_cast<int>(prefix.size())
            ? static_cast<int>(column.type_offset) + cursor - static_cast<int>(prefix.size()) - 1
            : static_cast<int>(column.type_offset);
    return with_position(status, list, at);
  };
  if (result.error != nullptr) {
    std::string message = result.error->message ? result.error->message : "syntax error";
    const int cursor = result.error->cursorpos;
    pg_query_free_protobuf_parse_result(result);
    return fail(message, cursor);
  }
  pg_query::ParseResult tree;
  const bool decoded =
      tree.ParseFromArray(result.parse_tree.data, static_cast<int>(result.parse_tree.len));
  pg_query_free_protobuf_parse_result(result);
  if (!decoded) return arrow::Status::UnknownError("could not decode the pg_query parse tree");
  if (tree.stmts_size() != 1 || !tree.stmts(0).stmt().has_create_stmt() ||
      tree.stmts(0).stmt().create_stmt().table_elts_size() != 1 ||
      !tree.stmts(0).stmt().create_stmt().table_elts(0).has_column_def()) {
    return fail("expected a type, got '" + column.type + "'", 0);
  }
  const auto& def = tree.stmts(0).stmt().create_stmt().table_elts(0).column_def();
  auto type = arrow_type_from_sql(def.type_name());
  if (!type.ok()) return fail(type.status().message(), 0);
  bool nullable = !def.is_not_null();
  for (const auto& c : def.constraints()) {
    if (c.constraint().contype() == pg_query::CONSTR_NOTNULL) {
      nullable = false;
    } else if (c.constraint().contype() != pg_query::CONSTR_NULL) {
      return fail("only NOT NULL and NULL may follow a column's type", 0);
    }
  }
  return arrow::field(column.name, *type, nullable);
}

arrow::Result<std::vector<std::pair<ColumnText, std::shared_ptr<arrow::Field>>>> parse_columns(
    std::string_view text) {
  std::vector<std::pair<ColumnText, std::shared_ptr<arrow::Field>>> out;
  size_t number = 0;
  for (const auto& [begin, end] : top_level_pieces(text)) {
    ++number;
    ARROW_ASSIGN_OR_RAISE(auto column, read_column(text, begin, end, number));
    for (const auto& [seen, field] : out) {
      if (seen.name == column.name) {
        return with_position(
            arrow::Status::Invalid("column '", column.name, "' is declared more than once"), text,
            static_cast<int>(begin));
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto field, parse_type(text, column));
    out.emplace_back(std::move(column), std::move(field));
  }
  return out;
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Schema>> parse_column_list(std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(auto columns, parse_columns(text));
  arrow::FieldVector fields;
  for (auto& [column, field] : columns) fields.push_back(std::move(field));
  return arrow::schema(std::move(fields));
}

arrow::Result<std::vector<std::pair<std::string, std::string>>> split_column_list(
    std::string_view text) {
  ARROW_ASSIGN_OR_RAISE(auto columns, parse_columns(text));
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [column, field] : columns) out.emplace_back(column.name, column.type);
  return out;
}

std::string join_column_list(const std::vector<std::pair<std::string, std::string>>& columns) {
  std::string out;
  for (const auto& [name, type] : columns) {
    if (!out.empty()) out += ", ";
    out += '"';
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += "\" ";
    out += type;
  }
  return out;
}

}  // namespace quiver::sql
