#pragma once

#include <arrow/result.h>
#include <arrow/type_fwd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/catalog/table_statistics.h"
#include "quiver/common/config.h"
#include "quiver/logical/expr.h"
#include "quiver/physical/execution_plan.h"

namespace quiver::catalog {

/// How a provider handles a pushed-down filter: ignores it, uses it to skip data but still needs
/// a FilterExec above (inexact, e.g. Parquet row-group pruning), or applies it fully.
enum class FilterPushdown { kUnsupported, kInexact, kExact };

/// What the planner asks a table for.
struct ScanArgs {
  const common::ConfigOptions* options = nullptr;
  /// Columns to read, as indices into schema(); nullopt = all columns.
  std::optional<std::vector<int>> projection;
  /// Predicates over the table's (unqualified) columns that the provider accepted as
  /// kInexact or kExact.
  std::vector<logical::ExprPtr> filters;
  /// Rows the query needs at most (after filters the provider applies exactly).
  std::optional<int64_t> limit;
};

/// A table: a schema and a way to scan it into an ExecutionPlan. Implementations: Parquet, CSV,
/// NDJSON files (datasource/), in-memory tables, views, and users' own.
class TableProvider {
 public:
  virtual ~TableProvider() = default;
  /// Returns the table's full schema.
  virtual std::shared_ptr<arrow::Schema> schema() const = 0;
  /// Returns a physical plan that reads the table as `args` asks.
  virtual arrow::Result<physical::ExecutionPlanPtr> scan(const ScanArgs& args) const = 0;
  /// Returns, per filter, how the provider would handle it (default: unsupported).
  virtual std::vector<FilterPushdown> supports_filters_pushdown(
      const std::vector<logical::ExprPtr>& filters) const {
    return std::vector<FilterPushdown>(filters.size(), FilterPushdown::kUnsupported);
  }
  /// Returns whether scan() accepts an empty projection (zero columns, only row counts, as
  /// for `SELECT count(*)`); when false the optimizer reads the cheapest single column instead.
  virtual bool supports_empty_projection() const { return false; }
  /// Returns the exact row count when cheaply known (Parquet metadata, memory tables).
  virtual std::optional<int64_t> num_rows() const { return std::nullopt; }
  /// Returns what the table's metadata says about column `index` of schema() (min, max, NULL
  /// count; default: nothing known). Used for the optimizer's estimates, never for answers.
  virtual ColumnStatistics column_statistics(int index) const { return {}; }
  /// Returns the defining plan for a view (the binder inlines it), or null for a base table.
  virtual logical::LogicalPlanPtr view_plan() const { return nullptr; }
};

/// A named argument of a table function call, `name => value` (PostgreSQL syntax).
struct NamedArgument {
  std::string name;
  std::shared_ptr<arrow::Scalar> value;
};

/// A function usable in FROM: `read_parquet('path')`, `numbers(0, 10)`,
/// `read_http_json('url', page_size => 50)`. Arguments are constant expressions, already
/// evaluated to scalars.
class TableFunction {
 public:
  virtual ~TableFunction() = default;
  /// Returns the table for these arguments, or a user error naming the bad argument.
  virtual arrow::Result<std::shared_ptr<TableProvider>> call(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args) const = 0;
  /// Returns whether the function takes named arguments (then call_named() is called).
  virtual bool takes_named_arguments() const { return false; }
  /// Returns the table for positional and named arguments (named ones in call order, names
  /// distinct); by default the positional ones go to call().
  virtual arrow::Result<std::shared_ptr<TableProvider>> call_named(
      const std::vector<std::shared_ptr<arrow::Scalar>>& args,
      const std::vector<NamedArgument>& named) const {
    return call(args);
  }
};

}  // namespace quiver::catalog
