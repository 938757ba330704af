#pragma once

#include <arrow/array.h>
#include <arrow/result.h>
#include <arrow/type.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "quiver/physical/plan_properties.h"

namespace quiver::exec {

/// Compares rows of sort-key columns across batches, by a LexOrdering: the first key that
/// differs decides; each key has its direction and its own null placement (NULLS FIRST/LAST
/// holds whatever the direction). Floats order NaN above every number (NaN equals NaN).
/// Supports booleans, integers, floats, strings and binaries (plain, large, view), dates,
/// times, timestamps, durations, decimals and fixed-size binaries. Immutable; thread-safe.
class RowComparator {
 public:
  /// Creates a comparator for key columns of `types` (one per key of `ordering`); an unsupported
  /// type is NotImplemented.
  static arrow::Result<RowComparator> Make(
      const std::vector<std::shared_ptr<arrow::DataType>>& types,
      const physical::LexOrdering& ordering);

  /// Returns a negative number, zero or a positive number as row `i` of the keys `a` sorts
  /// before, with, or after row `j` of the keys `b`.
  int compare(const std::vector<std::shared_ptr<arrow::Array>>& a, int64_t i,
              const std::vector<std::shared_ptr<arrow::Array>>& b, int64_t j) const;

 private:
  using ValueCompare = int (*)(const arrow::Array&, int64_t, const arrow::Array&, int64_t);
  struct Key {
    ValueCompare compare_values;
    bool ascending;
    bool nulls_first;
  };
  explicit RowComparator(std::vector<Key> keys) : keys_(std::move(keys)) {}

  std::vector<Key> keys_;
};

}  // namespace quiver::exec
