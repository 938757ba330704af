#pragma once

#include <arrow/array.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace quiver::exec {

/// The smallest and largest of some 64-bit integer keys.
struct IntKeyRange {
  int64_t min = 0;
  int64_t max = 0;
};

/// An open-addressing hash map from 64-bit integer keys to dense ids (in first-seen order), sized
/// once for a known number of keys; the hash join's fast path for one integer-like key column
/// (much cheaper than a general row hash table). When the keys' range is known and no wider than
/// the hash table would be, the map is a direct array indexed by `key - min` instead (no hashing,
/// no probing, and keys that arrive in order are looked up in order). Lookups are read-only and
/// thread-safe.
///
/// The batched insert_all / find_all hash a block of keys and prefetch their slots before
/// touching any, so the cache misses of a large map overlap.
class IntKeyMap {
 public:
  /// Returned by find() for a missing key.
  static constexpr uint32_t kMissing = std::numeric_limits<uint32_t>::max();
  /// Keys hashed and prefetched ahead of probing by the batched calls.
  static constexpr int64_t kBlock = 32;

  /// Creates an empty map for up to `max_keys` distinct keys (load factor at most 1/2), all
  /// within `range` when given (a direct array when that is no larger than the hash table).
  explicit IntKeyMap(int64_t max_keys, std::optional<IntKeyRange> range = std::nullopt) {
    int shift = 4;
    while ((int64_t{1} << shift) < 2 * max_keys) ++shift;
    const uint64_t slots = uint64_t{1} << shift;
    if (range.has_value() && range->max >= range->min) {
      const uint64_t width = static_cast<uint64_t>(range->max) - static_cast<uint64_t>(range->min);
      // 4 bytes per possible key against 16 per slot.
      if (width < 4 * slots) {
        base_ = range->min;
        width_ = width;
        direct_.assign(static_cast<size_t>(width + 1), kMissing);
        return;
      }
    }
    shift_ = 64 - shift;
    mask_ = slots - 1;
    slots_.assign(static_cast<size_t>(slots), Slot{0, kMissing});
  }

  /// Returns the id of `key`, adding it with the next id when new. In direct mode `key` must
  /// lie within the range given to the constructor.
  uint32_t insert(int64_t key) {
    if (is_direct()) {
      uint32_t& id = direct_[static_cast<size_t>(offset_of(key))];
      if (id == kMissing) id = size_++;
      return id;
    }
    for (uint64_t h = slot_of(key);; h = (h + 1) & mask_) {
      Slot& slot = slots_[h];
      if (slot.id == kMissing) {
        slot = Slot{key, size_++};
        return slot.id;
      }
      if (slot.key == key) return slot.id;
    }
  }

  /// Returns the id of `key`, or kMissing.
  uint32_t find(int64_t key) const {
    if (is_direct()) {
      const uint64_t offset = offset_of(key);
      return offset <= width_ ? direct_[static_cast<size_t>(offset)] : kMissing;
    }
    for (uint64_t h = slot_of(key);; h = (h + 1) & mask_) {
      const Slot& slot = slots_[h];
      if (slot.id == kMissing || slot.key == key) return slot.id;
    }
  }

  /// Sets `ids[i] = insert(keys[i])` for every i < n, in order (the same ids as one by one).
  template <typename T>
  void insert_all(const T* keys, int64_t n, uint32_t* ids) {
    for (int64_t start = 0; start < n; start += kBlock) {
      const int64_t end = std::min(n, start + kBlock);
      prefetch_block(keys, start, end, /*write=*/true);
      for (int64_t i = start; i < end; ++i) ids[i] = insert(static_cast<int64_t>(keys[i]));
    }
  }

  /// Sets `ids[i] = find(keys[i])` for every i < n.
  template <typename T>
  void find_all(const T* keys, int64_t n, uint32_t* ids) const {
    for (int64_t start = 0; start < n; start += kBlock) {
      const int64_t end = std::min(n, start + kBlock);
      prefetch_block(keys, start, end, /*write=*/false);
      for (int64_t i = start; i < end; ++i) ids[i] = find(static_cast<int64_t>(keys[i]));
    }
  }

  /// Returns the number of distinct keys.
  uint32_t size() const { return size_; }
  /// Returns whether the map is a direct array over the keys' range.
  bool is_direct() const { return !direct_.empty(); }
  /// Returns the bytes held.
  int64_t memory() const {
    return static_cast<int64_t>(slots_.size() * sizeof(Slot) + direct_.size() * sizeof(uint32_t));
  }

 private:
  struct Slot {
    int64_t key;
    uint32_t id;
  };
  uint64_t slot_of(int64_t key) const {
    return (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_;
  }
  uint64_t offset_of(int64_t key) const {
    return static_cast<uint64_t>(key) - static_cast<uint64_t>(base_);
  }
  template <typename T>
  void prefetch_block(const T* keys, int64_t start, int64_t end, bool write) const {
    if (is_direct()) {
      for (int64_t i = start; i < end; ++i) {
        const uint64_t offset = std::min(offset_of(static_cast<int64_t>(keys[i])), width_);
        __builtin_prefetch(direct_.data() + offset, 0, 1);
      }
    } else if (write) {
      for (int64_t i = start; i < end; ++i) {
        __builtin_prefetch(slots_.data() + slot_of(static_cast<int64_t>(keys[i])), 1, 1);
      }
    } else {
      for (int64_t i = start; i < end; ++i) {
        __builtin_prefetch(slots_.data() + slot_of(static_cast<int64_t>(keys[i])), 0, 1);
      }
    }
  }

  std::vector<Slot> slots_;       // hash mode
  std::vector<uint32_t> direct_;  // direct mode: the id of key base_ + i at i
  int64_t base_ = 0;
  uint64_t width_ = 0;  // direct mode: largest key - base_
  uint64_t mask_ = 0;
  int shift_ = 0;
  uint32_t size_ = 0;
};

/// Returns true when `type` is stored as one integer of 1, 2, 4 or 8 bytes (integers, dates,
/// times, timestamps, durations), so that IntKeyMap can key it.
bool is_int_like(const arrow::DataType& type);

/// Returns the smallest and largest non-NULL value of an int-like array (widened to int64), or
/// nullopt when every row is NULL.
std::optional<IntKeyRange> int_key_range(const arrow::Array& array);

/// Calls `fn(values, length)` with the typed values of an int-like array (`const int8_t*`,
/// `const int16_t*`, `const int32_t*` or `const int64_t*`, starting at the array's offset).
template <typename Fn>
decltype(auto) visit_int_values(const arrow::Array& array, Fn&& fn) {
  const auto& data = *array.data();
  switch (array.type()->byte_width()) {
    case 1:
      return fn(data.GetValues<int8_t>(1), array.length());
    case 2:
      return fn(data.GetValues<int16_t>(1), array.length());
    case 4:
      return fn(data.GetValues<int32_t>(1), array.length());
    default:
      return fn(data.GetValues<int64_t>(1), array.length());
  }
}

}  // namespace quiver::exec
