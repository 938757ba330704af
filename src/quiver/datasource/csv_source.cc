#include "quiver/datasource/csv_source.h"

#include <arrow/csv/api.h>
#include <arrow/io/file.h>
#include <arrow/type.h>

#include <cstdlib>
#include <regex>

#include "quiver/datasource/reader_stream.h"

namespace quiver::datasource {

namespace {

arrow::csv::ParseOptions parse_options(char delimiter) {
  auto options = arrow::csv::ParseOptions::Defaults();
  options.delimiter = delimiter;
  return options;
}

arrow::csv::ConvertOptions convert_options() {
  auto options = arrow::csv::ConvertOptions::Defaults();
  // Only empty fields are NULL (strings included); "NA" or "null" are plain values.
  options.null_values = {""};
  options.strings_can_be_null = true;
  options.quoted_strings_can_be_null = false;
  return options;
}

arrow::Result<std::shared_ptr<arrow::csv::StreamingReader>> make_reader(
    const std::string& path, const arrow::csv::ReadOptions& read,
    const arrow::csv::ParseOptions& parse, const arrow::csv::ConvertOptions& convert,
    arrow::MemoryPool* pool) {
  auto file = arrow::io::ReadableFile::Open(path, pool);
  if (!file.ok()) return with_file_context(file.status(), path);
  return arrow::csv::StreamingReader::Make(arrow::io::IOContext(pool), *file, read, parse, convert);
}

// Rewrites Arrow's "CSV parse error: Row #4: Expected 3 columns, got 4: ..." as
// "<path>: line 4: Expected 3 columns, got 4: ..."; finds the line itself when Arrow gives none.
arrow::Status csv_error(const arrow::Status& status, const std::string& path, char delimiter,
                        bool has_header, int64_t expected_fields) {
  std::string message = status.message();
  const std::string parse_prefix = "CSV parse error: ";
  if (message.rfind(parse_prefix, 0) == 0) message = message.substr(parse_prefix.size());
  static const std::regex kRow(R"(^Row #(\d+): (.*)$)");
  std::smatch m;
  if (std::regex_match(message, m, kRow)) {
    return status.WithMessage(path, ": line ", m[1].str(), ": ", m[2].str());
  }
  if (message.find("Expected ") != std::string::npos && expected_fields > 0) {
    auto text = arrow::io::ReadableFile::Open(path);
    if (text.ok()) {
      auto size = (*text)->GetSize();
      auto buffer = size.ok() ? (*text)->Read(*size)
                              : arrow::Result<std::shared_ptr<arrow::Buffer>>(size.status());
      if (buffer.ok()) {
        const int64_t line = find_csv_field_count_mismatch((*buffer)->ToString(), delimiter,
                                                           expected_fields, has_header);
        if (line > 0) return status.WithMessage(path, ": line ", line, ": ", message);
      }
    }
  }
  return status.WithMessage(path, ": ", message);
}

}  // namespace

int64_t find_csv_field_count_mismatch(const std::string& text, char delimiter,
                                      int64_t expected_fields, bool skip_header) {
  int64_t line = 1;
  size_t i = 0;
  bool first = true;
  while (i < text.size()) {
    const int64_t record_line = line;
    int64_t fields = 1;
    bool in_quotes = false;
    bool empty = true;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (in_quotes) {
        if (c == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            ++i;
          } else {
            in_quotes = false;
          }
        } else if (c == '\n') {
          ++line;
        }
        continue;
      }
      if (c == '\n') {
        ++i;
        ++line;
        break;
      }
      if (c == '\r') continue;
      empty = false;
      if (c == '"') {
        in_quotes = true;
      } else if (c == delimiter) {
        ++fields;
      }
    }
    if (empty) continue;  // blank lines are skipped by the reader too
    if (first && skip_header) {
      first = false;
      continue;
    }
    first = false;
    if (fields != expected_fields) return record_line;
  }
  return 0;
}

arrow::Result<std::shared_ptr<arrow::Schema>> CsvSource::infer_schema(const FileEntry& file) const {
  auto read = arrow::csv::ReadOptions::Defaults();
  read.use_threads = false;
  read.autogenerate_column_names = !has_header_;
  auto reader = make_reader(file.path, read, parse_options(delimiter_), convert_options(),
                            arrow::default_memory_pool());
  if (!reader.ok()) return csv_error(reader.status(), file.path, delimiter_, has_header_, 0);
  std::shared_ptr<arrow::Schema> schema = (*reader)->schema();
  if (has_header_) return schema;
  arrow::FieldVector fields;
  for (int i = 0; i < schema->num_fields(); ++i) {
    fields.push_back(schema->field(i)->WithName("column_" + std::to_string(i + 1)));
  }
  return arrow::schema(std::move(fields));
}

arrow::Result<physical::RecordBatchStreamPtr> CsvSource::open(const FileEntry& file,
                                                              const FileOpenArgs& args) const {
  ARROW_ASSIGN_OR_RAISE(auto schema, projected_schema(*args.table_schema, args.projection));
  const arrow::Schema& table = *args.table_schema;

  auto read = arrow::csv::ReadOptions::Defaults();
  read.use_threads = false;  // serial reading keeps row numbers in error messages
  if (!has_header_) {
    for (const auto& field : table.fields()) read.column_names.push_back(field->name());
  }
  auto convert = convert_options();
  for (const auto& field : table.fields()) convert.column_types[field->name()] = field->type();
  if (schema->num_fields() == 0) {
    // Only the row count is needed; converting one column is the cheapest way to get it.
    if (table.num_fields() > 0) convert.include_columns = {table.field(0)->name()};
  } else {
    for (const auto& field : schema->fields()) convert.include_columns.push_back(field->name());
  }

  const std::string path = file.path;
  const char delimiter = delimiter_;
  const bool has_header = has_header_;
  const int64_t expected = table.num_fields();
  auto on_error = [path, delimiter, has_header, expected](const arrow::Status& st) {
    return csv_error(st, path, delimiter, has_header, expected);
  };
  auto reader = make_reader(file.path, read, parse_options(delimiter_), convert, args.pool);
  if (!reader.ok()) return on_error(reader.status());
  return make_reader_stream(std::move(schema), *reader, args.batch_size, on_error);
}

std::string CsvSource::display_options() const {
  std::string out = has_header_ ? ", has_header=true" : ", has_header=false";
  if (delimiter_ != ',') out += std::string(", delimiter=") + delimiter_;
  return out;
}

}  // namespace quiver::datasource
