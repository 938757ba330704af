#include "quiver/datasource/listing_table.h"

#include <filesystem>

#include "quiver/datasource/csv_source.h"
#include "quiver/datasource/data_source_exec.h"
#include "quiver/datasource/file_group.h"
#include "quiver/datasource/file_scan_config.h"
#include "quiver/datasource/json_source.h"
#include "quiver/datasource/parquet_source.h"
#include "quiver/logical/plan_schema.h"
#include "quiver/planner/expr_planner.h"

namespace quiver::datasource {

namespace {

// Renders pushed filters the way FilterExec shows its predicate (`RainToday@19 = Yes`).
std::string predicate_display(const std::vector<logical::ExprPtr>& filters,
                              const arrow::Schema& schema) {
  if (filters.empty()) return "";
  logical::ExprPtr conjunction = filters[0];
  for (size_t i = 1; i < filters.size(); ++i) {
    conjunction = logical::binary(conjunction, logical::BinaryOp::kAnd, filters[i]);
  }
  auto physical =
      planner::create_physical_expr(*conjunction, logical::PlanSchema::from_arrow(schema));
  if (physical.ok()) return (*physical)->to_string();
  return conjunction->to_string();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

arrow::Result<std::shared_ptr<ListingTable>> ListingTable::Make(
    std::string path, std::shared_ptr<const FileSource> source,
    std::shared_ptr<arrow::Schema> schema) {
  if (source == nullptr) return arrow::Status::UnknownError("a listing table needs a file format");
  ARROW_ASSIGN_OR_RAISE(auto files, list_files(path, source->extensions()));
  if (files.empty() && schema == nullptr) {
    return arrow::Status::Invalid("no ", source->file_type(), " files found in '", path, "'");
  }
  const bool declared = schema != nullptr;
  catalog::TableStatistics statistics;
  const std::string schema_from =
      declared || files.empty() ? "the declared schema" : "the schema of '" + files[0].path + "'";
  for (size_t i = 0; i < files.size(); ++i) {
    // One look at each file's metadata: the first file's schema is the table's unless declared;
    // the others are checked against it; each gives its statistics.
    const bool first_defines = i == 0 && !declared;
    ARROW_ASSIGN_OR_RAISE(auto inspection,
                          source->inspect_file(files[i], first_defines ? nullptr : schema.get(),
                                               first_defines ? nullptr : &schema_from));
    if (first_defines) schema = std::move(inspection.schema);
    statistics =
        i == 0 ? std::move(inspection.statistics) : statistics.merged(inspection.statistics);
  }
  if (files.empty()) statistics.num_rows = 0;
  return std::make_shared<ListingTable>(std::move(path), std::move(source), std::move(files),
                                        std::move(schema), std::move(statistics));
}

catalog::ColumnStatistics ListingTable::column_statistics(int index) const {
  if (index < 0 || static_cast<size_t>(index) >= statistics_.columns.size()) return {};
  return statistics_.columns[static_cast<size_t>(index)];
}

arrow::Result<physical::ExecutionPlanPtr> ListingTable::scan(const catalog::ScanArgs& args) const {
  const int target = args.options != nullptr ? args.options->target_partitions() : 1;
  std::vector<FileGroup> groups = split_file_groups(files_, target);
  if (groups.empty()) groups.emplace_back();  // a scan has at least one (empty) partition
  FileScanConfig::Options options;
  options.source = source_;
  options.table_schema = schema_;
  options.file_groups = std::move(groups);
  options.projection = args.projection;
  options.filters = args.filters;
  options.predicate_display = predicate_display(args.filters, *schema_);
  options.limit = args.limit;
  ARROW_ASSIGN_OR_RAISE(auto config, FileScanConfig::Make(std::move(options)));
  return std::make_shared<DataSourceExec>(std::move(config));
}

std::vector<catalog::FilterPushdown> ListingTable::supports_filters_pushdown(
    const std::vector<logical::ExprPtr>& filters) const {
  return source_->supports_filters_pushdown(filters, *schema_);
}

arrow::Result<std::shared_ptr<const FileSource>> source_for_path(const std::string& path) {
  std::string probe = path;
  std::error_code ec;
  if (!is_glob(path) && std::filesystem::is_directory(path, ec)) {
    ARROW_ASSIGN_OR_RAISE(auto files, list_files(path));
    if (files.empty()) return arrow::Status::Invalid("directory '", path, "' has no files");
    probe = files[0].path;
  }
  if (ends_with(probe, ".parquet")) return std::make_shared<const ParquetSource>();
  if (ends_with(probe, ".csv")) return std::make_shared<const CsvSource>();
  if (ends_with(probe, ".json") || ends_with(probe, ".ndjson") || ends_with(probe, ".jsonl")) {
    return std::make_shared<const JsonSource>();
  }
  return arrow::Status::Invalid("cannot tell the file format of '", path,
                                "' from its extension (expected .parquet, .csv, .json or .ndjson)");
}

}  // namespace quiver::datasource
