#pragma once

#include <arrow/array.h>
#include <arrow/compute/row/grouper.h>
#include <arrow/record_batch.h>
#include <arrow/result.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include "quiver/exec/aggregate/packed_key_map.h"
#include "quiver/exec/aggregate/row_key_table.h"
#include "quiver/exec/join/int_key_map.h"
#include "quiver/physical/memory_pool.h"

namespace quiver::exec {

/// The build side of a hash join: every build row, keyed by its join key values. Distinct keys
/// get dense group ids (through an IntKeyMap for one integer-like key, a PackedKeyMap for
/// several that pack into 16 bytes, a RowKeyTable for other mixes of integer-like, decimal and
/// string keys, else `arrow::compute::Grouper`); the rows of group g are
/// `rows()[offsets()[g] .. offsets()[g + 1])`, ascending. Rows with a NULL in any key column
/// belong to no group (they never match) unless `null_equals_null`. Floating point keys are
/// normalised first (-0.0 equals 0.0, every NaN equals every NaN), see normalize_join_key.
///
/// Immutable after Make; `lookup` may be called from many threads at once.
class JoinHashTable {
 public:
  /// Group id of a row that matches nothing (a NULL key without null_equals_null).
  static constexpr uint32_t kNoGroup = std::numeric_limits<uint32_t>::max();

  /// Builds the table over `batch` whose key columns (evaluated over `batch`, normalised) are
  /// `keys`. Reserves the table's memory (not the batch's) in `reservation`.
  static arrow::Result<std::shared_ptr<JoinHashTable>> Make(
      std::shared_ptr<arrow::RecordBatch> batch, std::vector<std::shared_ptr<arrow::Array>> keys,
      bool null_equals_null, physical::MemoryReservation& reservation);

  /// Builds the table over the rows of `chunks` (of `schema`) in order, without copying them
  /// into one batch: build row r is row r - (rows of the chunks before) of its chunk. `keys` are
  /// the key columns over all the rows (one array each). Such a table has no batch() when there
  /// is more than one chunk; take_rows() reads its rows.
  static arrow::Result<std::shared_ptr<JoinHashTable>> Make(
      std::vector<std::shared_ptr<arrow::RecordBatch>> chunks,
      std::shared_ptr<arrow::Schema> schema, std::vector<std::shared_ptr<arrow::Array>> keys,
      bool null_equals_null, physical::MemoryReservation& reservation);

  /// Returns the group id of each probe row (`num_rows` long; kNoGroup where the key is not in
  /// the table, or is NULL without null_equals_null). `keys` must have the build keys' types and
  /// be normalised.
  arrow::Result<std::vector<uint32_t>> lookup(
      const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows) const;

  /// Returns the build rows as one batch, or nullptr when the table was made from several
  /// chunks (see take_rows).
  const std::shared_ptr<arrow::RecordBatch>& batch() const { return batch_; }
  /// Returns the columns of the build rows `rows` (`count` of them, ascending), from the batch
  /// or the chunks.
  arrow::Result<arrow::ArrayVector> take_rows(const uint32_t* rows, int64_t count) const;
  /// Returns the number of build rows.
  int64_t num_rows() const { return num_rows_; }
  /// Returns the number of groups (distinct keys).
  uint32_t num_groups() const { return num_groups_; }
  /// Returns the CSR offsets (num_groups() + 1 entries).
  const uint32_t* offsets() const { return offsets_.data(); }
  /// Returns the build row indices, grouped.
  const uint32_t* rows() const { return rows_.data(); }
  /// Returns the group of every build row (kNoGroup for rows that never match).
  const uint32_t* row_groups() const { return row_groups_.data(); }
  /// Returns whether build row `row` has a NULL in some key column.
  bool key_is_null(int64_t row) const { return !null_rows_.empty() && null_rows_[row] != 0; }

 private:
  JoinHashTable() = default;
  // Fill row_groups_ and num_groups_ (the rows with NULL keys already in null_rows_).
  arrow::Status build_int(const arrow::Array& key, physical::MemoryReservation& reservation);
  // Through packed_ or row_table_ when they take the key types, else through the Grouper.
  arrow::Status build_keyed(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                            int64_t key_bytes, physical::MemoryReservation& reservation);
  arrow::Status build_grouper(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                              int64_t key_bytes, physical::MemoryReservation& reservation);
  static constexpr uint32_t kNullGroupPending = kNoGroup - 1;

  std::shared_ptr<arrow::RecordBatch> batch_;                // the rows, when in one batch
  std::vector<std::shared_ptr<arrow::RecordBatch>> chunks_;  // else the rows in chunks
  std::vector<int64_t> chunk_starts_;                        // first row of each chunk
  int64_t num_rows_ = 0;
  bool null_equals_null_ = false;
  std::unique_ptr<IntKeyMap> int_map_;  // one integer-like key
  uint32_t int_null_group_ = kNoGroup;  // the NULL key's group (int_map_, null_equals_null)
  std::vector<std::shared_ptr<arrow::DataType>> key_types_;  // packed_ / row_table_
  std::unique_ptr<PackedKeyMap> packed_;              // several integer-like keys in 16 bytes
  std::unique_ptr<RowKeyTable> row_table_;            // else integer-like, decimal and string keys
  std::unique_ptr<arrow::compute::Grouper> grouper_;  // otherwise
  mutable std::mutex grouper_mutex_;  // Grouper::Lookup uses scratch space: one at a time
  uint32_t num_groups_ = 0;
  std::vector<uint32_t> offsets_;
  std::vector<uint32_t> rows_;
  std::vector<uint32_t> row_groups_;
  std::vector<uint8_t> null_rows_;  // empty when no key has NULLs
};

/// Returns the key column ready for hashing: floating point values are normalised (-0.0 becomes
/// 0.0, NaNs one canonical NaN) so that bitwise equality is SQL equality; others are unchanged.
arrow::Result<std::shared_ptr<arrow::Array>> normalize_join_key(std::shared_ptr<arrow::Array> key);

/// Returns true when the hash table can use keys of this type (ints, floats, decimals, strings,
/// binary, dates, times, timestamps, bool, ...).
bool is_hashable_join_key(const arrow::DataType& type);

/// Returns a mask per row: 1 when some key column is NULL at that row (empty when none is).
std::vector<uint8_t> null_key_rows(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                                   int64_t num_rows);

}  // namespace quiver::exec
