#pragma once

#include <arrow/array.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace quiver::exec {

/// A hash map from rows of several fixed-width integer-like key columns (see is_int_like) to
/// dense group ids in first-seen order: the fast path of GroupTable for multi-column keys whose
/// widths add up to at most 16 bytes. Each row's key is packed into two 64-bit words (columns
/// laid out widest first, so none straddles the words) plus a mask of its NULL columns (a NULL
/// stores 0, and the mask keeps it apart from a real 0), hashed, and looked up by open
/// addressing in slots that hold the packed key inline; a batch hashes every row first and
/// prefetches the slots of a block of rows before probing them, so cache misses overlap. The
/// keys are also kept in id order, so that building the key columns reads them in sequence.
/// Also the build and probe table of hash joins on several such keys (find() looks up without
/// adding). consume() and reserve() are not thread-safe; find() may run on many threads at once.
class PackedKeyMap {
 public:
  /// Returned by group ids never handed out.
  static constexpr uint32_t kMissing = 0xFFFFFFFFu;

  /// Returns true when keys of these types can be packed: at least one column, every column
  /// integer-like, widths adding up to at most 16 bytes.
  static bool supports(const std::vector<std::shared_ptr<arrow::DataType>>& key_types);

  /// Creates an empty map for keys of these types (supports() must hold).
  explicit PackedKeyMap(std::vector<std::shared_ptr<arrow::DataType>> key_types);
  ~PackedKeyMap();
  PackedKeyMap(const PackedKeyMap&) = delete;
  PackedKeyMap& operator=(const PackedKeyMap&) = delete;

  /// Sets `ids[i]` to the group id of row i of `keys` (arrays of the map's key types, each at
  /// least `num_rows` long) for every i < num_rows, adding new groups. Fails when the ids would
  /// pass 2^32 - 1.
  arrow::Status consume(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
                        uint32_t* ids);

  /// Sets `ids[i]` to the group id of row i of `keys` (as for consume), or kMissing when that
  /// key has no group; adds nothing. Thread-safe against other find() calls.
  void find(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
            uint32_t* ids) const;

  /// Makes room for `max_keys` groups in all, so that consuming up to that many grows nothing.
  void reserve(int64_t max_keys);

  /// Returns the number of groups.
  uint32_t size() const { return size_; }

  /// Returns the bytes held by the hash slots and the keys.
  int64_t memory() const;

  /// Returns the key columns with one row per group, in id order.
  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> keys() const;

 private:
  struct Slot {
    uint64_t lo;
    uint64_t hi;
    uint32_t nulls;
    uint32_t id_plus_one;  // 0: empty, so that zeroed memory is an empty table
  };
  // A group's packed key.
  struct Key {
    uint64_t lo;
    uint64_t hi;
    uint32_t nulls;
  };
  // Where one key column lives in the packed key.
  struct Field {
    int width;  // bytes
    int word;   // 0: lo, 1: hi
    int shift;  // bits
  };
  struct SlotsDeleter {
    size_t bytes;
    void operator()(Slot* p) const;
  };
  using SlotArray = std::unique_ptr<Slot[], SlotsDeleter>;
  // The packed keys and hashes of a batch's rows.
  struct Packed {
    std::vector<uint64_t> lo, hi, hashes;
    std::vector<uint32_t> nulls;
  };

  static uint64_t hash(uint64_t lo, uint64_t hi, uint32_t nulls);
  static SlotArray allocate_slots(uint64_t count);
  // Packs rows [0, num_rows) into `out` and hashes them.
  void pack(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
            Packed& out) const;
  uint32_t insert(uint64_t lo, uint64_t hi, uint32_t nulls, uint64_t h);

  std::vector<std::shared_ptr<arrow::DataType>> types_;
  std::vector<Field> fields_;  // by key column
  SlotArray slots_{nullptr, SlotsDeleter{0}};
  std::vector<Key> keys_;  // by group id, for keys()
  uint64_t mask_ = 0;
  int shift_ = 64;
  uint32_t size_ = 0;
  Packed scratch_;  // consume()'s, kept between batches
};

}  // namespace quiver::exec
