#include "quiver/sql/sql_parser.h"

#include <pg_query.h>

#include <cctype>

#include "quiver/sql/source_position.h"

namespace quiver::sql {

namespace {

bool word_at(const std::string& text, size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
  }
  const size_t end = pos + word.size();
  return end == text.size() ||
         !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_');
}

size_t skip_space(const std::string& text, size_t pos) {
  while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos;
  return pos;
}

bool word_start(const std::string& text, size_t pos) {
  return pos == 0 ||
         !(std::isalnum(static_cast<unsigned char>(text[pos - 1])) || text[pos - 1] == '_');
}

// Blanks "OR REPLACE" in `CREATE OR REPLACE TABLE` (same length, so offsets stay valid) and
// returns where each such statement starts.
std::vector<int> blank_or_replace_table(std::string* text) {
  std::vector<int> found;
  for (size_t pos = 0; pos < text->size(); ++pos) {
    if (!word_start(*text, pos) || !word_at(*text, pos, "create")) continue;
    const size_t or_pos = skip_space(*text, pos + 6);
    if (or_pos == pos + 6 || !word_at(*text, or_pos, "or")) continue;
    const size_t replace_pos = skip_space(*text, or_pos + 2);
    if (replace_pos == or_pos + 2 || !word_at(*text, replace_pos, "replace")) continue;
    const size_t table_pos = skip_space(*text, replace_pos + 7);
    if (table_pos == replace_pos + 7 || !word_at(*text, table_pos, "table")) continue;
    for (size_t i = or_pos; i < replace_pos + 7; ++i) (*text)[i] = ' ';
    found.push_back(static_cast<int>(pos));
  }
  return found;
}

}  // namespace

bool ParsedSql::is_or_replace_table(int location, int length) const {
  for (int offset : or_replace_tables) {
    if (offset >= location && (length == 0 || offset < location + length)) return true;
  }
  return false;
}

arrow::Result<ParsedSql> parse_sql(std::string_view sql) {
  ParsedSql parsed;
  std::string text(sql);
  parsed.or_replace_tables = blank_or_replace_table(&text);

  PgQueryProtobufParseResult result = pg_query_parse_protobuf(text.c_str());
  if (result.error != nullptr) {
    std::string message = result.error->message ? result.error->message : "syntax error";
    const int cursor = result.error->cursorpos;
    pg_query_free_protobuf_parse_result(result);
    arrow::Status status = arrow::Status::Invalid(message);
    return cursor > 0 ? with_position(status, sql, cursor - 1) : status;
  }
  const bool ok =
      parsed.tree.ParseFromArray(result.parse_tree.data, static_cast<int>(result.parse_tree.len));
  pg_query_free_protobuf_parse_result(result);
  if (!ok) return arrow::Status::UnknownError("could not decode the pg_query parse tree");
  return parsed;
}

}  // namespace quiver::sql
