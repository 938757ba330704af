#pragma once

#include <arrow/array.h>
#include <arrow/compute/row/grouper.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "quiver/exec/aggregate/packed_key_map.h"
#include "quiver/exec/aggregate/row_key_table.h"
#include "quiver/exec/join/int_key_map.h"

namespace quiver::exec {

/// Assigns dense group ids, in first-seen order, to the rows of key columns; NULL is a key like
/// any other. One integer-like key column (integers, dates, times, timestamps, durations) goes
/// through a growable IntKeyMap with the NULL group kept beside it; several integer-like key
/// columns of at most 16 bytes in all through a PackedKeyMap; other integer-like, decimal and
/// string keys through a RowKeyTable; any other keys through `arrow::compute::Grouper` (whose
/// ids are dense, but not in first-seen order within a batch). Without key columns every row is
/// group 0 and there is always exactly one group. Not thread-safe: one per aggregation stream.
class GroupTable {
 public:
  /// Creates a table for keys of these types (possibly none).
  static arrow::Result<std::unique_ptr<GroupTable>> Make(
      const std::vector<std::shared_ptr<arrow::DataType>>& key_types);

  /// Returns the group id of every row (`num_rows` long), adding new groups.
  arrow::Result<std::shared_ptr<arrow::UInt32Array>> consume(
      const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows);

  /// Returns the number of groups so far.
  int64_t num_groups() const;

  /// Returns the key columns with one row per group, in id order.
  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> keys();

  /// Returns an estimate of the bytes held by the keys and the hash table.
  int64_t estimated_size() const { return estimated_size_; }

 private:
  GroupTable() = default;

  arrow::Result<std::shared_ptr<arrow::UInt32Array>> consume_int(const arrow::Array& key,
                                                                 int64_t num_rows);
  arrow::Result<std::shared_ptr<arrow::Array>> int_keys() const;

  std::unique_ptr<arrow::compute::Grouper> grouper_;  // general keys
  std::unique_ptr<IntKeyMap> int_map_;                // one integer-like key
  std::unique_ptr<PackedKeyMap> packed_;              // several packable keys
  std::unique_ptr<RowKeyTable> rows_;                 // serializable keys
  std::vector<std::shared_ptr<arrow::DataType>> key_types_;
  std::shared_ptr<arrow::DataType> int_type_;  // its type
  uint32_t null_group_ = IntKeyMap::kMissing;  // its NULL group, once seen

  std::shared_ptr<arrow::UInt32Array> zeros_;  // group ids when there are no keys
  int64_t estimated_size_ = 0;
};

}  // namespace quiver::exec
