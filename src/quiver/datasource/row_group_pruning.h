#pragma once

#include <arrow/type_fwd.h>

#include <memory>
#include <vector>

#include "quiver/logical/expr.h"

namespace parquet {
class FileMetaData;
class RowGroupMetaData;
namespace arrow {
struct SchemaManifest;
}  // namespace arrow
}  // namespace parquet

namespace quiver::datasource {

/// Skips Parquet row groups whose column statistics (min, max, null count) prove that no row
/// matches the pushed-down predicates. Understood: `col <op> literal` (=, !=, <, <=, >, >=, either
/// side), `col IS [NOT] NULL`, `col [NOT] IN (literals)`, `col [NOT] BETWEEN lit AND lit`, NOT,
/// AND, OR, and widening numeric casts of the column. Anything else keeps the row group, so
/// pruning is always safe (inexact: a FilterExec above still filters rows).
class RowGroupPruner {
 public:
  /// Creates a pruner for predicates over `table_schema`'s columns (matched by name).
  RowGroupPruner(std::vector<logical::ExprPtr> predicates,
                 std::shared_ptr<arrow::Schema> table_schema);

  /// Returns whether `predicate` can ever prune a row group (used to accept a pushed filter).
  static bool can_prune(const logical::Expr& predicate, const arrow::Schema& table_schema);

  /// Returns the indices of the row groups that may hold matching rows, in file order.
  std::vector<int> select_row_groups(const parquet::FileMetaData& metadata,
                                     const parquet::arrow::SchemaManifest& manifest) const;

  /// Returns whether one row group may hold matching rows.
  bool may_match(const parquet::RowGroupMetaData& row_group,
                 const parquet::arrow::SchemaManifest& manifest) const;

 private:
  std::vector<logical::ExprPtr> predicates_;
  std::shared_ptr<arrow::Schema> table_schema_;
};

}  // namespace quiver::datasource
