#include "quiver/catalog/session_context.h"

#include "quiver/catalog/builtin_table_functions.h"
#include "quiver/catalog/source_file.h"
#include "quiver/catalog/statement_runner.h"
#include "quiver/common/error.h"
#include "quiver/datasource/csv_source.h"
#include "quiver/datasource/http_json/http_stream_opener.h"
#include "quiver/datasource/json_source.h"
#include "quiver/datasource/listing_table.h"
#include "quiver/datasource/memory_table.h"
#include "quiver/datasource/parquet_source.h"
#include "quiver/optimizer/optimizer.h"
#include "quiver/planner/physical_planner.h"
#include "quiver/sql/sql_planner.h"

namespace quiver::catalog {

namespace {

// What the SQL planner sees of the session for one statement: its tables and functions, and the
// options as they were when planning started (so a concurrent SET cannot change them under it).
class PlanningContext final : public sql::ContextProvider {
 public:
  PlanningContext(const SessionContext& session, common::ConfigOptions options)
      : session_(session), options_(std::move(options)) {}
  arrow::Result<std::shared_ptr<TableProvider>> get_table(const std::string& name) const override {
    return session_.get_table(name);
  }
  arrow::Result<std::shared_ptr<TableProvider>> call_table_function(
      const std::string& name,
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override {
    return session_.call_table_function(name, args);
  }
  arrow::Result<std::shared_ptr<TableProvider>> call_table_function_named(
      const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>& args,
      const std::vector<NamedArgument>& named) const override {
    return session_.call_table_function_named(name, args, named);
  }
  const common::ConfigOptions& options() const override { return options_; }

 private:
  const SessionContext& session_;
  common::ConfigOptions options_;
};

}  // namespace

std::shared_ptr<SessionContext> SessionContext::Make(common::ConfigOptions options) {
  auto session = std::make_shared<SessionContext>(std::move(options));
  session->table_functions_["read_parquet"] = std::make_shared<ReadParquetFunction>();
  session->table_functions_["read_csv"] = std::make_shared<ReadCsvFunction>();
  session->table_functions_["read_json"] = std::make_shared<ReadJsonFunction>();
  session->table_functions_["read_http_json"] =
      std::make_shared<ReadHttpJsonFunction>(datasource::http_json::default_record_stream_opener());
  return session;
}

arrow::Result<std::shared_ptr<DataFrame>> SessionContext::sql(std::string_view query) {
  PlanningContext planning(*this, options_snapshot());
  ARROW_ASSIGN_OR_RAISE(auto statements, sql::SqlPlanner(planning).plan(query));
  if (statements.size() != 1) {
    return arrow::Status::Invalid("expected exactly one SQL statement, got ", statements.size());
  }
  return run_statement(shared_from_this(), std::move(statements[0]));
}

arrow::Status SessionContext::register_table(const std::string& name,
                                             std::shared_ptr<TableProvider> table) {
  if (name.empty()) return arrow::Status::Invalid("a table name cannot be empty");
  if (table == nullptr)
    return arrow::Status::Invalid("cannot register table '", name, "': no table");
  std::lock_guard<std::mutex> lock(mutex_);
  if (tables_.count(name) > 0) return arrow::Status::Invalid("table '", name, "' already exists");
  tables_.emplace(name, std::move(table));
  return arrow::Status::OK();
}

void SessionContext::register_or_replace_table(const std::string& name,
                                               std::shared_ptr<TableProvider> table) {
  std::lock_guard<std::mutex> lock(mutex_);
  tables_[name] = std::move(table);
}

bool SessionContext::deregister_table(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  return tables_.erase(name) > 0;
}

bool SessionContext::has_table(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tables_.count(name) > 0;
}

arrow::Status SessionContext::register_parquet(const std::string& name, const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(auto table, datasource::ListingTable::Make(
                                        path, std::make_shared<const datasource::ParquetSource>()));
  return register_table(name, std::move(table));
}

arrow::Status SessionContext::register_csv(const std::string& name, const std::string& path,
                                           CsvReadOptions options) {
  auto source =
      std::make_shared<const datasource::CsvSource>(options.has_header, options.delimiter);
  ARROW_ASSIGN_OR_RAISE(auto table,
                        datasource::ListingTable::Make(path, std::move(source), options.schema));
  return register_table(name, std::move(table));
}

arrow::Status SessionContext::register_json(const std::string& name, const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(auto table, datasource::ListingTable::Make(
                                        path, std::make_shared<const datasource::JsonSource>()));
  return register_table(name, std::move(table));
}

arrow::Status SessionContext::register_path(const std::string& name, const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(auto source, datasource::source_for_path(path));
  ARROW_ASSIGN_OR_RAISE(auto table, datasource::ListingTable::Make(path, std::move(source)));
  return register_table(name, std::move(table));
}

arrow::Status SessionContext::register_sources(const std::string& path) {
  return register_sources(path, datasource::http_json::default_record_stream_opener());
}

arrow::Status SessionContext::register_sources(
    const std::string& path, const datasource::http_json::HttpRecordStreamOpener& opener) {
  ARROW_ASSIGN_OR_RAISE(auto specs, read_source_file(path));
  std::vector<std::pair<std::string, std::shared_ptr<TableProvider>>> tables;
  for (const auto& spec : specs) {
    const std::string place = "source file '" + path + "': table '" + spec.name + "'" +
                              (spec.where.empty() ? "" : " (" + spec.where + ")") + ": ";
    if (has_table(spec.name)) {
      return arrow::Status::Invalid(place, "a table of that name already exists");
    }
    auto options = datasource::http_json::parse_http_json_options(spec.options);
    if (!options.ok()) return options.status().WithMessage(place, options.status().message());
    auto table = datasource::http_json::HttpJsonTable::Make(std::move(*options), opener);
    if (!table.ok()) return table.status().WithMessage(place, table.status().message());
    tables.emplace_back(spec.name, std::move(*table));
  }
  for (auto& [name, table] : tables) ARROW_RETURN_NOT_OK(register_table(name, std::move(table)));
  return arrow::Status::OK();
}

arrow::Status SessionContext::register_arrow_table(const std::string& name,
                                                   std::shared_ptr<arrow::Table> table) {
  if (table == nullptr)
    return arrow::Status::Invalid("cannot register table '", name, "': no table");
  ARROW_ASSIGN_OR_RAISE(auto memory, datasource::MemoryTable::FromTable(*table));
  return register_table(name, std::move(memory));
}

arrow::Status SessionContext::register_table_function(const std::string& name,
                                                      std::shared_ptr<TableFunction> function) {
  if (name.empty()) return arrow::Status::Invalid("a table function name cannot be empty");
  if (function == nullptr) {
    return arrow::Status::Invalid("cannot register table function '", name, "': no function");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (table_functions_.count(name) > 0) {
    return arrow::Status::Invalid("table function '", name, "' already exists");
  }
  table_functions_.emplace(name, std::move(function));
  return arrow::Status::OK();
}

arrow::Status SessionContext::register_config_extension(const common::ConfigExtension& extension) {
  std::lock_guard<std::mutex> lock(mutex_);
  return options_.register_extension(extension);
}

void SessionContext::add_physical_optimizer_rule(
    std::shared_ptr<physical::PhysicalOptimizerRule> rule) {
  std::lock_guard<std::mutex> lock(mutex_);
  physical_rules_.push_back(std::move(rule));
}

std::vector<std::shared_ptr<physical::PhysicalOptimizerRule>>
SessionContext::physical_optimizer_rules() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return physical_rules_;
}

arrow::Status SessionContext::set_option(std::string_view key, std::string_view value) {
  std::lock_guard<std::mutex> lock(mutex_);
  return options_.set(key, value);
}

arrow::Status SessionContext::reset_option(std::string_view key) {
  std::lock_guard<std::mutex> lock(mutex_);
  return options_.reset(key);
}

common::ConfigOptions SessionContext::options_snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return options_;
}

std::vector<std::string> SessionContext::table_names() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> names;
  names.reserve(tables_.size());
  for (const auto& [name, table] : tables_) names.push_back(name);
  return names;  // std::map keeps them sorted
}

arrow::Result<physical::ExecutionPlanPtr> SessionContext::create_physical_plan(
    const logical::LogicalPlanPtr& plan) const {
  common::ConfigOptions options;
  std::vector<std::shared_ptr<physical::PhysicalOptimizerRule>> rules;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    options = options_;
    rules = physical_rules_;
  }
  ARROW_ASSIGN_OR_RAISE(auto optimized, optimizer::optimize(plan, options));
  ARROW_ASSIGN_OR_RAISE(auto physical, planner::create_physical_plan(optimized, options));
  for (const auto& rule : rules) {
    auto rewritten = rule->optimize(physical, options);
    if (!rewritten.ok()) {
      return rewritten.status().WithMessage("physical optimizer rule '", rule->name(),
                                            "': ", rewritten.status().message());
    }
    physical = std::move(rewritten).ValueUnsafe();
  }
  return physical;
}

std::shared_ptr<physical::TaskContext> SessionContext::task_context() const {
  return std::make_shared<physical::TaskContext>(options_snapshot());
}

arrow::Result<std::shared_ptr<TableProvider>> SessionContext::get_table(
    const std::string& name) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = tables_.find(name);
  if (it != tables_.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& [n, t] : tables_) names.push_back(n);
  return arrow::Status::Invalid("table '", name, "' not found", common::did_you_mean(name, names));
}

arrow::Result<std::shared_ptr<TableProvider>> SessionContext::call_table_function(
    const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>& args) const {
  return call_table_function_named(name, args, {});
}

arrow::Result<std::shared_ptr<TableProvider>> SessionContext::call_table_function_named(
    const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>& args,
    const std::vector<NamedArgument>& named) const {
  std::shared_ptr<TableFunction> function;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = table_functions_.find(name);
    if (it == table_functions_.end()) {
      std::vector<std::string> names;
      for (const auto& [n, f] : table_functions_) names.push_back(n);
      return arrow::Status::Invalid("table function '", name, "' not found",
                                    common::did_you_mean(name, names));
    }
    function = it->second;
  }
  if (function->takes_named_arguments()) return function->call_named(args, named);
  if (!named.empty()) {
    return arrow::Status::Invalid("table function '", name, "' takes no named arguments (got '",
                                  named.front().name, " => ...')");
  }
  return function->call(args);
}

}  // namespace quiver::catalog
