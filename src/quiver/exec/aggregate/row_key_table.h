#pragma once

#include <arrow/array.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace quiver::exec {

/// A hash table from rows of several key columns (integer-like, other fixed-width such as
/// decimals, and strings or binaries) to dense group ids in first-seen order: GroupTable's path
/// for keys that PackedKeyMap cannot pack. Every row's key is serialized into bytes (a mask of
/// its NULL columns, the fixed-width values, then each string as a 4-byte length and its
/// bytes; a NULL stores zeros), hashed, and looked up by open addressing in slots of a hash tag
/// and an id; each group's serialized key lives in one byte arena, in id order, and key
/// columns are decoded from it at the end. Also the build and probe table of hash joins on such
/// keys (find() looks up without adding). consume() and reserve() are not thread-safe; find()
/// may run on many threads at once.
class RowKeyTable {
 public:
  /// Returned by find() for a key without a group.
  static constexpr uint32_t kMissing = 0xFFFFFFFFu;

  /// Returns true when keys of these types can be serialized: at least one column, each
  /// integer-like, decimal, fixed-size binary, or (large) string or binary.
  static bool supports(const std::vector<std::shared_ptr<arrow::DataType>>& key_types);

  /// Creates an empty table for keys of these types (supports() must hold).
  explicit RowKeyTable(std::vector<std::shared_ptr<arrow::DataType>> key_types);
  ~RowKeyTable();
  RowKeyTable(const RowKeyTable&) = delete;
  RowKeyTable& operator=(const RowKeyTable&) = delete;

  /// Sets `ids[i]` to the group id of row i of `keys` (arrays of the table's key types, each
  /// at least `num_rows` long) for every i < num_rows, adding new groups. Fails when the ids
  /// would pass 2^32 - 1.
  arrow::Status consume(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
                        uint32_t* ids);

  /// Sets `ids[i]` to the group id of row i of `keys` (as for consume), or kMissing when that
  /// key has no group; adds nothing. Thread-safe against other find() calls.
  void find(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
            uint32_t* ids) const;

  /// Makes room for `max_keys` groups in all, so that consuming up to that many grows nothing.
  void reserve(int64_t max_keys);

  /// Returns the number of groups.
  uint32_t size() const { return static_cast<uint32_t>(offsets_.size() - 1); }

  /// Returns the bytes held by the slots and the serialized keys.
  int64_t memory() const;

  /// Returns the key columns with one row per group, in id order.
  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> keys() const;

 private:
  struct Slot {
    uint32_t tag;          // high bits of the hash
    uint32_t id_plus_one;  // 0: empty
  };
  struct SlotsDeleter {
    size_t bytes;
    void operator()(Slot* p) const;
  };

  // A batch's rows serialized: row i is bytes[offsets[i], offsets[i + 1]), hashed to hashes[i].
  struct Serialized {
    std::vector<uint8_t> bytes;
    std::vector<uint64_t> offsets, hashes;
  };

  // Serializes rows [0, num_rows) into `out` and hashes them.
  void serialize(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
                 Serialized& out) const;
  uint32_t insert(const uint8_t* key, uint64_t length, uint64_t h);

  std::vector<std::shared_ptr<arrow::DataType>> types_;
  std::vector<int> fixed_offsets_;  // by column: offset of its fixed value, -1 for strings
  int fixed_bytes_ = 0;             // the NULL mask plus the fixed values
  int mask_bytes_ = 0;
  std::unique_ptr<Slot[], SlotsDeleter> slots_{nullptr, SlotsDeleter{0}};
  uint64_t slot_mask_ = 0;
  int shift_ = 64;
  std::vector<uint8_t> arena_;     // the groups' serialized keys, in id order
  std::vector<uint64_t> offsets_;  // group id -> start in arena_, plus the end
  std::vector<uint64_t> hashes_;   // by group id, for growing the table
  Serialized scratch_;             // consume()'s, kept between batches
};

}  // namespace quiver::exec
