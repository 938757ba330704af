#include "quiver/datasource/parquet_source.h"

#include <arrow/record_batch.h>
#include <arrow/type.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/exception.h>
#include <parquet/file_reader.h>
#include <parquet/metadata.h>

#include <algorithm>
#include <map>
#include <set>

#include "quiver/datasource/parquet_decimal_column.h"
#include "quiver/datasource/parquet_statistics.h"
#include "quiver/datasource/parquet_string_column.h"
#include "quiver/datasource/row_group_pruning.h"

namespace quiver::datasource {

namespace {

arrow::Result<std::unique_ptr<parquet::arrow::FileReader>> open_reader(const std::string& path,
                                                                       int64_t batch_size,
                                                                       arrow::MemoryPool* pool) {
  parquet::arrow::FileReaderBuilder builder;
  ARROW_RETURN_NOT_OK(with_file_context(builder.OpenFile(path), path));
  parquet::ArrowReaderProperties properties;
  properties.set_batch_size(std::max<int64_t>(1, batch_size));
  properties.set_use_threads(false);
  builder.properties(properties)->memory_pool(pool);
  auto reader = builder.Build();
  if (!reader.ok()) return with_file_context(reader.status(), path);
  return std::move(reader).ValueUnsafe();
}

// Collects the leaf column indices under a (possibly nested) field.
void collect_leaves(const parquet::arrow::SchemaField& field, std::vector<int>& out) {
  if (field.is_leaf()) {
    out.push_back(field.column_index);
    return;
  }
  for (const auto& child : field.children) collect_leaves(child, out);
}

// Returns our own reader of leaf `column` when one supports it (see ParquetDirectColumn), else
// null (parquet::arrow reads it).
std::unique_ptr<ParquetDirectColumn> direct_column(parquet::ParquetFileReader* file, int column,
                                                   const std::vector<int>& row_groups,
                                                   const std::shared_ptr<arrow::DataType>& type,
                                                   arrow::MemoryPool* pool) {
  const auto& descr = *file->metadata()->schema()->Column(column);
  if (ParquetDecimalColumn::supports(descr, *type)) {
    return std::make_unique<ParquetDecimalColumn>(file, column, row_groups, type, pool);
  }
  if (ParquetStringColumn::supports(descr, *type)) {
    return std::make_unique<ParquetStringColumn>(file, column, row_groups, type, pool);
  }
  return nullptr;
}

// Streams the selected row groups and columns of one file, reordering the columns to the
// projection's order. Flat decimal and string columns are read by a ParquetDirectColumn
// (`direct_`), the others by parquet::arrow (`reader_`, null when it has no column:
// then batches of `batch_size` rows are cut from `rows_left_`).
class ParquetFileStream final : public physical::RecordBatchStream {
 public:
  ParquetFileStream(std::string path, std::shared_ptr<arrow::Schema> schema,
                    std::unique_ptr<parquet::arrow::FileReader> file,
                    std::unique_ptr<arrow::RecordBatchReader> reader,
                    std::map<std::string, std::unique_ptr<ParquetDirectColumn>> direct,
                    int64_t rows, int64_t batch_size)
      : path_(std::move(path)),
        schema_(std::move(schema)),
        file_(std::move(file)),
        reader_(std::move(reader)),
        direct_(std::move(direct)),
        rows_left_(rows),
        batch_size_(std::max<int64_t>(1, batch_size)) {}

  std::shared_ptr<arrow::Schema> schema() const override { return schema_; }

  arrow::Result<std::shared_ptr<arrow::RecordBatch>> next() override {
    if (done_) return nullptr;
    std::shared_ptr<arrow::RecordBatch> batch;
    int64_t rows = 0;
    if (reader_ != nullptr) {
      arrow::Status st;
      try {
        st = reader_->ReadNext(&batch);
      } catch (const std::exception& e) {
        st = arrow::Status::IOError(e.what());
      }
      if (!st.ok()) {
        finish();
        return with_file_context(st, path_);
      }
      if (batch == nullptr) {
        finish();
        return nullptr;
      }
      rows = batch->num_rows();
    } else {
      rows = std::min(batch_size_, rows_left_);
      if (rows <= 0) {
        finish();
        return nullptr;
      }
      rows_left_ -= rows;
    }
    std::map<std::string, std::shared_ptr<arrow::Array>> direct_columns;
    for (auto& [name, column] : direct_) {
      auto read = column->read(rows);
      if (!read.ok()) {
        finish();
        return with_file_context(read.status(), path_);
      }
      direct_columns.emplace(name, std::move(read).ValueUnsafe());
    }
    std::vector<std::shared_ptr<arrow::Array>> columns;
    columns.reserve(static_cast<size_t>(schema_->num_fields()));
    for (const auto& field : schema_->fields()) {
      auto direct = direct_columns.find(field->name());
      auto column = direct != direct_columns.end() ? direct->second
                    : batch != nullptr             ? batch->GetColumnByName(field->name())
                                                   : nullptr;
      if (column == nullptr) {
        return arrow::Status::Invalid(path_, ": column '", field->name(), "' is missing");
      }
      columns.push_back(std::move(column));
    }
    return arrow::RecordBatch::Make(schema_, rows, std::move(columns));
  }

 private:
  void finish() {
    done_ = true;
    reader_.reset();
    direct_.clear();
  }

  std::string path_;
  std::shared_ptr<arrow::Schema> schema_;
  std::unique_ptr<parquet::arrow::FileReader> file_;  // must outlive reader_ and direct_
  std::unique_ptr<arrow::RecordBatchReader> reader_;
  std::map<std::string, std::unique_ptr<ParquetDirectColumn>> direct_;
  int64_t rows_left_;
  int64_t batch_size_;
  bool done_ = false;
};

}  // namespace

arrow::Result<std::shared_ptr<arrow::Schema>> ParquetSource::infer_schema(
    const FileEntry& file) const {
  ARROW_ASSIGN_OR_RAISE(auto reader, open_reader(file.path, 1024, arrow::default_memory_pool()));
  std::shared_ptr<arrow::Schema> schema;
  ARROW_RETURN_NOT_OK(with_file_context(reader->GetSchema(&schema), file.path));
  // Parquet's own key-value metadata (e.g. the pandas/arrow schema blobs) is not part of the
  // table's schema.
  return schema->RemoveMetadata();
}

arrow::Result<FileSource::FileInspection> ParquetSource::inspect_file(
    const FileEntry& file, const arrow::Schema* table_schema,
    const std::string* schema_from) const {
  ARROW_ASSIGN_OR_RAISE(auto reader, open_reader(file.path, 1024, arrow::default_memory_pool()));
  FileInspection out;
  if (table_schema == nullptr || schema_from != nullptr) {
    std::shared_ptr<arrow::Schema> schema;
    ARROW_RETURN_NOT_OK(with_file_context(reader->GetSchema(&schema), file.path));
    // Parquet's own key-value metadata (e.g. the pandas/arrow schema blobs) is not part of the
    // table's schema.
    schema = schema->RemoveMetadata();
    if (table_schema == nullptr) {
      out.schema = schema;
    } else if (!schema->Equals(*table_schema, /*check_metadata=*/false)) {
      return arrow::Status::Invalid("the schema of '", file.path, "' (", schema->ToString(),
                                    ") differs from ", *schema_from, " (", table_schema->ToString(),
                                    ")");
    }
  }
  const arrow::Schema& schema = table_schema != nullptr ? *table_schema : *out.schema;
  out.statistics =
      parquet_file_statistics(*reader->parquet_reader()->metadata(), reader->manifest(), schema);
  return out;
}

std::vector<catalog::FilterPushdown> ParquetSource::supports_filters_pushdown(
    const std::vector<logical::ExprPtr>& filters, const arrow::Schema& table_schema) const {
  std::vector<catalog::FilterPushdown> out;
  out.reserve(filters.size());
  for (const auto& f : filters) {
    out.push_back(f != nullptr && RowGroupPruner::can_prune(*f, table_schema)
                      ? catalog::FilterPushdown::kInexact
                      : catalog::FilterPushdown::kUnsupported);
  }
  return out;
}

arrow::Result<physical::RecordBatchStreamPtr> ParquetSource::open(const FileEntry& file,
                                                                  const FileOpenArgs& args) const {
  ARROW_ASSIGN_OR_RAISE(auto schema, projected_schema(*args.table_schema, args.projection));
  ARROW_ASSIGN_OR_RAISE(auto reader, open_reader(file.path, args.batch_size, args.pool));
  try {
    auto metadata = reader->parquet_reader()->metadata();
    const auto& manifest = reader->manifest();

    // Row groups: those the statistics do not rule out, and no more than the limit needs.
    std::vector<int> row_groups;
    if (args.filters.empty()) {
      for (int i = 0; i < metadata->num_row_groups(); ++i) row_groups.push_back(i);
    } else {
      RowGroupPruner pruner(args.filters, args.table_schema);
      row_groups = pruner.select_row_groups(*metadata, manifest);
    }
    if (args.metrics != nullptr) {
      args.metrics->add("row_groups_pruned",
                        metadata->num_row_groups() - static_cast<int64_t>(row_groups.size()));
    }
    if (args.limit) {
      int64_t rows = 0;
      size_t keep = 0;
      while (keep < row_groups.size() && rows < *args.limit) {
        rows += metadata->RowGroup(row_groups[keep])->num_rows();
        ++keep;
      }
      row_groups.resize(keep);
    }

    // No columns wanted (e.g. count(*)): the row counts are in the footer.
    if (schema->num_fields() == 0) {
      std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
      const int64_t step = std::max<int64_t>(1, args.batch_size);
      for (int rg : row_groups) {
        const int64_t n = metadata->RowGroup(rg)->num_rows();
        for (int64_t offset = 0; offset < n; offset += step) {
          batches.push_back(
              arrow::RecordBatch::Make(schema, std::min(step, n - offset), arrow::ArrayVector{}));
        }
      }
      return physical::make_vector_stream(schema, std::move(batches));
    }

    // Columns: the leaves of the projected top-level fields, matched by name; flat decimals and
    // strings are decoded by a ParquetDirectColumn.
    std::set<int> leaves;
    std::map<std::string, std::unique_ptr<ParquetDirectColumn>> direct;
    for (const auto& field : schema->fields()) {
      const parquet::arrow::SchemaField* match = nullptr;
      for (const auto& top : manifest.schema_fields) {
        if (top.field != nullptr && top.field->name() == field->name()) {
          match = &top;
          break;
        }
      }
      if (match == nullptr) {
        return arrow::Status::Invalid(file.path, ": column '", field->name(),
                                      "' of the table is not in the file");
      }
      if (match->is_leaf()) {
        if (direct.count(field->name()) != 0) continue;  // the same column projected twice
        auto column = direct_column(reader->parquet_reader(), match->column_index, row_groups,
                                    match->field->type(), args.pool);
        if (column != nullptr) {
          direct.emplace(field->name(), std::move(column));
          continue;
        }
      }
      std::vector<int> out;
      collect_leaves(*match, out);
      leaves.insert(out.begin(), out.end());
    }
    if (row_groups.empty()) return physical::make_vector_stream(schema, {});
    int64_t rows = 0;
    for (int rg : row_groups) rows += metadata->RowGroup(rg)->num_rows();
    std::unique_ptr<arrow::RecordBatchReader> batches;
    if (!leaves.empty()) {
      auto made =
          reader->GetRecordBatchReader(row_groups, std::vector<int>(leaves.begin(), leaves.end()));
      if (!made.ok()) return with_file_context(made.status(), file.path);
      batches = std::move(made).ValueUnsafe();
    }
    return std::make_unique<ParquetFileStream>(file.path, schema, std::move(reader),
                                               std::move(batches), std::move(direct), rows,
                                               args.batch_size);
  } catch (const std::exception& e) {
    return arrow::Status::IOError(file.path, ": ", e.what());
  }
}

}  // namespace quiver::datasource
