#pragma once

#include <arrow/scalar.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace quiver::catalog {

/// What a table's metadata says about one column, for the optimizer's estimates. Every part may
/// be unknown; what is known holds for every row of the table (min and max ignore NULLs).
struct ColumnStatistics {
  std::shared_ptr<arrow::Scalar> min;  ///< Smallest non-NULL value, null when unknown.
  std::shared_ptr<arrow::Scalar> max;  ///< Largest non-NULL value, null when unknown.
  std::optional<int64_t> null_count;   ///< NULLs in the column, nullopt when unknown.

  /// Returns statistics covering both `this` and `other` (two files or row groups of one table):
  /// the smaller min, the larger max, the summed NULL counts; unknown when either is unknown.
  ColumnStatistics merged(const ColumnStatistics& other) const;
};

/// What a table's (or one file's) metadata says: its row count and per-column statistics, in
/// schema order (empty when the columns are unknown).
struct TableStatistics {
  std::optional<int64_t> num_rows;
  std::vector<ColumnStatistics> columns;

  /// Returns statistics covering both `this` and `other` (rows added, columns merged).
  TableStatistics merged(const TableStatistics& other) const;
};

}  // namespace quiver::catalog
