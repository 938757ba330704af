#include "quiver/datasource/json_source.h"

#include <arrow/buffer.h>
#include <arrow/io/file.h>
#include <arrow/json/api.h>
#include <arrow/type.h>

#include "quiver/datasource/reader_stream.h"

namespace quiver::datasource {

namespace {

arrow::Result<std::shared_ptr<arrow::json::StreamingReader>> make_reader(
    const std::string& path, const arrow::json::ParseOptions& parse, arrow::MemoryPool* pool) {
  auto file = arrow::io::ReadableFile::Open(path, pool);
  if (!file.ok()) return with_file_context(file.status(), path);
  auto read = arrow::json::ReadOptions::Defaults();
  read.use_threads = false;
  return arrow::json::StreamingReader::Make(*file, read, parse, arrow::io::IOContext(pool));
}

// Arrow numbers rows within a block; find the first line that does not parse on its own
// (with the table's schema when there is one) to name the line in the error.
arrow::Status json_error(const arrow::Status& status, const std::string& path,
                         const std::shared_ptr<arrow::Schema>& schema) {
  auto file = arrow::io::ReadableFile::Open(path);
  if (file.ok()) {
    auto size = (*file)->GetSize();
    auto buffer = size.ok() ? (*file)->Read(*size)
                            : arrow::Result<std::shared_ptr<arrow::Buffer>>(size.status());
    if (buffer.ok()) {
      const std::string text = (*buffer)->ToString();
      auto parse = arrow::json::ParseOptions::Defaults();
      if (schema != nullptr) {
        parse.explicit_schema = schema;
        parse.unexpected_field_behavior = arrow::json::UnexpectedFieldBehavior::Ignore;
      }
      int64_t line = 0;
      size_t start = 0;
      while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        ++line;
        const std::string row = text.substr(start, end - start);
        start = end + 1;
        if (row.find_first_not_of(" \t\r") == std::string::npos) continue;
        auto parsed = arrow::json::ParseOne(parse, arrow::Buffer::FromString(row));
        if (!parsed.ok()) {
          std::string message = parsed.status().message();
          // Arrow's row numbers refer to its block, not to the file.
          const size_t in_row = message.rfind(" in row ");
          if (in_row != std::string::npos) message = message.substr(0, in_row);
          return status.WithMessage(path, ": line ", line, ": ", message);
        }
      }
    }
  }
  return with_file_context(status, path);
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Schema>> JsonSource::infer_schema(
    const FileEntry& file) const {
  auto reader =
      make_reader(file.path, arrow::json::ParseOptions::Defaults(), arrow::default_memory_pool());
  if (!reader.ok()) return json_error(reader.status(), file.path, nullptr);
  return (*reader)->schema();
}

arrow::Result<physical::RecordBatchStreamPtr> JsonSource::open(const FileEntry& file,
                                                               const FileOpenArgs& args) const {
  ARROW_ASSIGN_OR_RAISE(auto schema, projected_schema(*args.table_schema, args.projection));
  auto parse = arrow::json::ParseOptions::Defaults();
  // Converting only the projected fields; a schema without fields still counts rows.
  parse.explicit_schema = schema;
  parse.unexpected_field_behavior = arrow::json::UnexpectedFieldBehavior::Ignore;
  const std::string path = file.path;
  auto table_schema = args.table_schema;
  auto on_error = [path, table_schema](const arrow::Status& st) {
    return json_error(st, path, table_schema);
  };
  auto reader = make_reader(file.path, parse, args.pool);
  if (!reader.ok()) return on_error(reader.status());
  return make_reader_stream(std::move(schema), *reader, args.batch_size, on_error);
}

}  // namespace quiver::datasource
