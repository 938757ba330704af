#include "quiver/datasource/json_stream/json_batch_builder.h"

#include <arrow/array/builder_binary.h>
#include <arrow/record_batch.h>
#include <arrow/type.h>

#include "quiver/datasource/json_stream/value_converter.h"

namespace quiver::datasource::json {

/// The top level of a record: the projected columns' builders and converters, and the parser.
class RecordConverter {
 public:
  simdjson::ondemand::parser parser;
  std::vector<std::unique_ptr<arrow::ArrayBuilder>> builders;
  std::unique_ptr<ObjectFiller> filler;
  std::unique_ptr<arrow::StringBuilder> raw;  // under DriftPolicy::kRaw
  DriftPolicy drift = DriftPolicy::kError;
};

JsonBatchBuilder::~JsonBatchBuilder() = default;

arrow::Result<std::unique_ptr<JsonBatchBuilder>> JsonBatchBuilder::Make(
    std::shared_ptr<arrow::Schema> schema, std::vector<int> projection,
    const JsonParseOptions& options) {
  if (projection.empty()) {
    for (int i = 0; i < schema->num_fields(); ++i) projection.push_back(i);
  }
  std::unique_ptr<JsonBatchBuilder> out(new JsonBatchBuilder());
  auto conv = std::make_unique<RecordConverter>();
  conv->drift = options.drift;
  std::vector<int> slot_of(static_cast<size_t>(schema->num_fields()), -1);
  arrow::FieldVector fields;
  std::vector<std::unique_ptr<ValueConverter>> children;
  for (int index : projection) {
    if (index < 0 || index >= schema->num_fields()) {
      return arrow::Status::Invalid("JSON stream: projection index ", index, " out of range");
    }
    const auto& field = schema->field(index);
    slot_of[static_cast<size_t>(index)] = static_cast<int>(fields.size());
    fields.push_back(field);
    ARROW_ASSIGN_OR_RAISE(auto builder, arrow::MakeBuilder(field->type()));
    ARROW_ASSIGN_OR_RAISE(auto child, ValueConverter::Make(*field, builder.get(), field->name()));
    conv->builders.push_back(std::move(builder));
    children.push_back(std::move(child));
  }
  FieldLookup lookup;
  for (int i = 0; i < schema->num_fields(); ++i) {
    lookup.add(schema->field(i)->name(), slot_of[static_cast<size_t>(i)]);
  }
  conv->filler = std::make_unique<ObjectFiller>(std::move(lookup), std::move(children), "");
  if (options.drift == DriftPolicy::kRaw) {
    if (schema->GetFieldIndex(options.raw_column) >= 0) {
      return arrow::Status::Invalid("JSON stream: the raw column '", options.raw_column,
                                    "' is also a field of the schema");
    }
    fields.push_back(arrow::field(options.raw_column, arrow::utf8()));
    conv->raw = std::make_unique<arrow::StringBuilder>();
  }
  out->output_schema_ = arrow::schema(std::move(fields));
  out->converter_ = std::move(conv);
  return out;
}

arrow::Status JsonBatchBuilder::append(const JsonRecord& record) {
  RecordConverter& conv = *converter_;
  ConvertContext ctx;
  ctx.drift = conv.drift;
  ctx.record = &record;
  simdjson::ondemand::document doc;
  if (auto err =
          conv.parser.iterate(record.text.data(), record.text.size(), record.readable).get(doc)) {
    return ctx.parse_error("", err);
  }
  simdjson::ondemand::object object;
  if (auto err = doc.get_object().get(object)) return ctx.parse_error("", err);
  ARROW_RETURN_NOT_OK(conv.filler->fill(object, ctx));
  if (conv.raw) {
    ARROW_RETURN_NOT_OK(ctx.drifted ? conv.raw->Append(record.text) : conv.raw->AppendNull());
  }
  ++num_rows_;
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> JsonBatchBuilder::flush() {
  std::vector<std::shared_ptr<arrow::Array>> columns;
  for (auto& builder : converter_->builders) {
    ARROW_ASSIGN_OR_RAISE(auto array, builder->Finish());
    columns.push_back(std::move(array));
  }
  if (converter_->raw) {
    ARROW_ASSIGN_OR_RAISE(auto array, converter_->raw->Finish());
    columns.push_back(std::move(array));
  }
  auto batch = arrow::RecordBatch::Make(output_schema_, num_rows_, std::move(columns));
  num_rows_ = 0;
  return batch;
}

}  // namespace quiver::datasource::json
