#include "quiver/datasource/file_source.h"

#include <arrow/type.h>

namespace quiver::datasource {

arrow::Result<std::shared_ptr<arrow::Schema>> projected_schema(
    const arrow::Schema& table_schema, const std::optional<std::vector<int>>& projection) {
  if (!projection)
    return std::make_shared<arrow::Schema>(table_schema.fields(), table_schema.metadata());
  arrow::FieldVector fields;
  fields.reserve(projection->size());
  for (int i : *projection) {
    if (i < 0 || i >= table_schema.num_fields()) {
      return arrow::Status::UnknownError("projection index ", i, " out of range for a table of ",
                                         table_schema.num_fields(), " columns");
    }
    fields.push_back(table_schema.field(i));
  }
  return arrow::schema(std::move(fields));
}

arrow::Status with_file_context(const arrow::Status& status, const std::string& path) {
  if (status.ok()) return status;
  if (status.message().rfind(path + ":", 0) == 0) return status;
  return status.WithMessage(path, ": ", status.message());
}

}  // namespace quiver::datasource
