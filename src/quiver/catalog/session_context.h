#pragma once

#include <arrow/result.h>
#include <arrow/table.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/catalog/data_frame.h"
#include "quiver/catalog/table_provider.h"
#include "quiver/common/config.h"
#include "quiver/datasource/http_json/http_json_table.h"
#include "quiver/physical/physical_optimizer_rule.h"
#include "quiver/sql/context_provider.h"

namespace quiver::catalog {

/// Options for reading CSV files.
struct CsvReadOptions {
  bool has_header = true;
  char delimiter = ',';
  /// Declared schema; null = inferred from the first rows.
  std::shared_ptr<arrow::Schema> schema;
};

/// The entry point of the engine: a catalog of tables, views and table functions, session
/// options (with user config extensions), and user physical optimizer rules. `sql()` plans a
/// statement; DataFrame::collect() runs it.
///
/// Thread-safety: registration and `sql()` may be called from several threads; each query gets a
/// snapshot of the options as they were when it was planned.
class SessionContext : public sql::ContextProvider,
                       public std::enable_shared_from_this<SessionContext> {
 public:
  /// Creates a session with the built-in table functions (read_parquet, read_csv, read_json).
  static std::shared_ptr<SessionContext> Make(common::ConfigOptions options = {});

  /// Plans one SQL statement. Statements other than queries (CREATE VIEW, CREATE TABLE AS, SET,
  /// SHOW, DROP) run here; EXPLAIN [ANALYZE] returns its text as a two-column result.
  arrow::Result<std::shared_ptr<DataFrame>> sql(std::string_view query);

  /// Registers a table under `name`; fails if the name is taken.
  arrow::Status register_table(const std::string& name, std::shared_ptr<TableProvider> table);
  /// Registers a table under `name`, replacing any table or view of that name.
  void register_or_replace_table(const std::string& name, std::shared_ptr<TableProvider> table);
  /// Removes a table or view; returns whether it existed.
  bool deregister_table(const std::string& name);
  /// Registers Parquet file(s): a file, a directory, or a glob.
  arrow::Status register_parquet(const std::string& name, const std::string& path);
  /// Registers CSV file(s): a file, a directory, or a glob.
  arrow::Status register_csv(const std::string& name, const std::string& path,
                             CsvReadOptions options = {});
  /// Registers newline-delimited JSON file(s): a file, a directory, or a glob.
  arrow::Status register_json(const std::string& name, const std::string& path);
  /// Registers a file by its extension (.parquet, .csv, .json/.ndjson), or a directory of them.
  arrow::Status register_path(const std::string& name, const std::string& path);
  /// Registers the HTTP JSON tables of a source file (TOML or YAML, by extension; see
  /// catalog/source_file.h), all or none: errors name the file, the table, the key and the
  /// line. Tables without declared columns are sampled (their APIs requested) here.
  arrow::Status register_sources(const std::string& path);
  /// Registers the tables of a source file, reading their APIs through `opener`.
  arrow::Status register_sources(const std::string& path,
                                 const datasource::http_json::HttpRecordStreamOpener& opener);
  /// Registers an in-memory Arrow table.
  arrow::Status register_arrow_table(const std::string& name, std::shared_ptr<arrow::Table> table);
  /// Registers a table function callable in FROM.
  arrow::Status register_table_function(const std::string& name,
                                        std::shared_ptr<TableFunction> function);
  /// Registers a config extension (its options become settable with SET).
  arrow::Status register_config_extension(const common::ConfigExtension& extension);
  /// Adds a physical optimizer rule, run after the built-in ones.
  void add_physical_optimizer_rule(std::shared_ptr<physical::PhysicalOptimizerRule> rule);
  /// Returns the added physical optimizer rules, in the order they run.
  std::vector<std::shared_ptr<physical::PhysicalOptimizerRule>> physical_optimizer_rules() const;

  /// Returns the session options (mutable: SET changes them).
  common::ConfigOptions& mutable_options() { return options_; }
  /// Sets an option, as `SET key = value` does (thread-safe).
  arrow::Status set_option(std::string_view key, std::string_view value);
  /// Resets an option to its default, as `RESET key` does (thread-safe).
  arrow::Status reset_option(std::string_view key);
  /// Returns a copy of the options as they are now (thread-safe).
  common::ConfigOptions options_snapshot() const;
  /// Returns whether a table or view is registered under `name`.
  bool has_table(const std::string& name) const;
  /// Returns the names of the registered tables and views, sorted.
  std::vector<std::string> table_names() const;

  /// Optimizes a logical plan and creates its physical plan (running the physical optimizer
  /// rules).
  arrow::Result<physical::ExecutionPlanPtr> create_physical_plan(
      const logical::LogicalPlanPtr& plan) const;
  /// Returns a fresh task context for running one query with the current options.
  std::shared_ptr<physical::TaskContext> task_context() const;

  // sql::ContextProvider
  arrow::Result<std::shared_ptr<TableProvider>> get_table(const std::string& name) const override;
  arrow::Result<std::shared_ptr<TableProvider>> call_table_function(
      const std::string& name,
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const override;
  arrow::Result<std::shared_ptr<TableProvider>> call_table_function_named(
      const std::string& name, const std::vector<std::shared_ptr<arrow::Scalar>>& args,
      const std::vector<NamedArgument>& named) const override;
  const common::ConfigOptions& options() const override { return options_; }

  /// Creates an empty session; use Make().
  explicit SessionContext(common::ConfigOptions options) : options_(std::move(options)) {}

 private:
  mutable std::mutex mutex_;
  common::ConfigOptions options_;
  std::map<std::string, std::shared_ptr<TableProvider>> tables_;
  std::map<std::string, std::shared_ptr<TableFunction>> table_functions_;
  std::vector<std::shared_ptr<physical::PhysicalOptimizerRule>> physical_rules_;
};

}  // namespace quiver::catalog
