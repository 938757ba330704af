#include "quiver/distributed/codec/data_source_codec.h"

#include <typeinfo>

#include "quiver/datasource/csv_source.h"
#include "quiver/datasource/file_scan_config.h"
#include "quiver/datasource/json_source.h"
#include "quiver/datasource/memory_source.h"
#include "quiver/datasource/parquet_source.h"
#include "quiver/distributed/codec/expr_codec.h"
#include "quiver/distributed/codec/ipc_values.h"

namespace quiver::distributed::codec {

namespace {

arrow::Status encode_file_scan(const datasource::FileScanConfig& scan, proto::FileScanNode* out) {
  const auto& options = scan.options();
  const auto& source = *options.source;
  if (typeid(source) == typeid(datasource::CsvSource)) {
    const auto& csv = static_cast<const datasource::CsvSource&>(source);
    out->mutable_csv()->set_has_header(csv.has_header());
    out->mutable_csv()->set_delimiter(static_cast<unsigned char>(csv.delimiter()));
  } else if (typeid(source) != typeid(datasource::ParquetSource) &&
             typeid(source) != typeid(datasource::JsonSource)) {
    return arrow::Status::NotImplemented("no codec for file format ", source.file_type(),
                                         " in DataSourceExec");
  }
  out->set_file_type(std::string(source.file_type()));
  ARROW_ASSIGN_OR_RAISE(auto schema, encode_schema(*options.table_schema));
  out->set_table_schema(std::move(schema));
  for (const auto& group : options.file_groups) {
    auto* group_out = out->add_file_groups();
    for (const auto& file : group) {
      auto* file_out = group_out->add_files();
      file_out->set_path(file.path);
      file_out->set_size(file.size);
    }
  }
  if (options.projection) {
    out->set_has_projection(true);
    for (int index : *options.projection) out->add_projection(index);
  }
  for (const auto& filter : options.filters) {
    ARROW_RETURN_NOT_OK(encode_logical_expr(*filter, out->add_filters()));
  }
  out->set_predicate_display(options.predicate_display);
  if (options.limit) out->set_limit(*options.limit);
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<const datasource::FileSource>> decode_file_source(
    const proto::FileScanNode& node) {
  if (node.file_type() == "parquet") return std::make_shared<datasource::ParquetSource>();
  if (node.file_type() == "json") return std::make_shared<datasource::JsonSource>();
  if (node.file_type() == "csv") {
    return std::make_shared<datasource::CsvSource>(node.csv().has_header(),
                                                   static_cast<char>(node.csv().delimiter()));
  }
  return arrow::Status::NotImplemented("plan codec: unknown file format '", node.file_type(), "'");
}

arrow::Result<std::shared_ptr<const datasource::DataSource>> decode_file_scan(
    const proto::FileScanNode& node) {
  datasource::FileScanConfig::Options options;
  ARROW_ASSIGN_OR_RAISE(options.source, decode_file_source(node));
  ARROW_ASSIGN_OR_RAISE(options.table_schema, decode_schema(node.table_schema()));
  for (const auto& group : node.file_groups()) {
    datasource::FileGroup files;
    for (const auto& file : group.files()) files.push_back({file.path(), file.size()});
    options.file_groups.push_back(std::move(files));
  }
  if (node.has_projection()) {
    options.projection = std::vector<int>(node.projection().begin(), node.projection().end());
  }
  for (const auto& filter : node.filters()) {
    ARROW_ASSIGN_OR_RAISE(auto decoded, decode_logical_expr(filter));
    options.filters.push_back(std::move(decoded));
  }
  options.predicate_display = node.predicate_display();
  if (node.has_limit()) options.limit = node.limit();
  ARROW_ASSIGN_OR_RAISE(auto scan, datasource::FileScanConfig::Make(std::move(options)));
  return std::shared_ptr<const datasource::DataSource>(std::move(scan));
}

arrow::Status encode_memory(const datasource::MemorySource& source, proto::MemorySourceNode* out) {
  // The table schema is the batches' own (the source's schema() is the projected one).
  std::shared_ptr<arrow::Schema> table_schema;
  for (const auto& partition : source.partitions()) {
    if (!partition.empty()) {
      table_schema = partition.front()->schema();
      break;
    }
  }
  const bool keep_projection = table_schema != nullptr && source.projection().has_value();
  // Without any batch the projection has nothing to select: carry the projected schema.
  if (table_schema == nullptr) table_schema = source.schema();
  ARROW_ASSIGN_OR_RAISE(auto schema, encode_schema(*table_schema));
  out->set_table_schema(std::move(schema));
  for (const auto& partition : source.partitions()) {
    ARROW_ASSIGN_OR_RAISE(auto bytes, encode_batches(table_schema, partition));
    out->add_partitions_ipc(std::move(bytes));
  }
  if (keep_projection) {
    out->set_has_projection(true);
    for (int index : *source.projection()) out->add_projection(index);
  }
  if (source.limit()) out->set_limit(*source.limit());
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<const datasource::DataSource>> decode_memory(
    const proto::MemorySourceNode& node) {
  ARROW_ASSIGN_OR_RAISE(auto table_schema, decode_schema(node.table_schema()));
  std::vector<std::vector<std::shared_ptr<arrow::RecordBatch>>> partitions;
  for (const auto& bytes : node.partitions_ipc()) {
    ARROW_ASSIGN_OR_RAISE(auto decoded, decode_batches(bytes));
    partitions.push_back(std::move(decoded.batches));
  }
  std::optional<std::vector<int>> projection;
  if (node.has_projection()) {
    projection = std::vector<int>(node.projection().begin(), node.projection().end());
  }
  std::optional<int64_t> limit;
  if (node.has_limit()) limit = node.limit();
  ARROW_ASSIGN_OR_RAISE(
      auto source, datasource::MemorySource::Make(std::move(table_schema), std::move(partitions),
                                                  std::move(projection), limit));
  return std::shared_ptr<const datasource::DataSource>(std::move(source));
}

}  // namespace

arrow::Status encode_data_source(const datasource::DataSourceExec& node,
                                 proto::DataSourceExecNode* out) {
  const auto& source = *node.data_source();
  if (typeid(source) == typeid(datasource::FileScanConfig)) {
    return encode_file_scan(static_cast<const datasource::FileScanConfig&>(source),
                            out->mutable_file_scan());
  }
  if (typeid(source) == typeid(datasource::MemorySource)) {
    return encode_memory(static_cast<const datasource::MemorySource&>(source),
                         out->mutable_memory());
  }
  return arrow::Status::NotImplemented("no codec for node DataSourceExec over source ",
                                       source.display());
}

arrow::Result<physical::ExecutionPlanPtr> decode_data_source(
    const proto::DataSourceExecNode& node) {
  std::shared_ptr<const datasource::DataSource> source;
  if (node.has_file_scan()) {
    ARROW_ASSIGN_OR_RAISE(source, decode_file_scan(node.file_scan()));
  } else if (node.has_memory()) {
    ARROW_ASSIGN_OR_RAISE(source, decode_memory(node.memory()));
  } else {
    return arrow::Status::Invalid("plan codec: DataSourceExec message without a source");
  }
  return physical::ExecutionPlanPtr(
      std::make_shared<datasource::DataSourceExec>(std::move(source)));
}

}  // namespace quiver::distributed::codec
