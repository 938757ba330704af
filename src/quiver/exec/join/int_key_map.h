#pragma once

#include <arrow/array.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace quiver::exec {

/// An open-addressing hash map from 64-bit integer keys to dense ids (in first-seen order), sized
/// once for a known number of keys; the hash join's fast path for one integer-like key column
/// (much cheaper than a general row hash table). Lookups are read-only and thread-safe.
class IntKeyMap {
 public:
  /// Returned by find() for a missing key.
  static constexpr uint32_t kMissing = std::numeric_limits<uint32_t>::max();

  /// Creates an empty map for up to `max_keys` distinct keys (load factor at most 1/2).
  explicit IntKeyMap(int64_t max_keys) {
    int shift = 4;
    while ((int64_t{1} << shift) < 2 * max_keys) ++shift;
    shift_ = 64 - shift;
    mask_ = (uint64_t{1} << shift) - 1;
    slots_.assign(static_cast<size_t>(mask_ + 1), Slot{0, kMissing});
  }

  /// Returns the id of `key`, adding it with the next id when new.
  uint32_t insert(int64_t key) {
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
    for (uint64_t h = slot_of(key);; h = (h + 1) & mask_) {
      const Slot& slot = slots_[h];
      if (slot.id == kMissing || slot.key == key) return slot.id;
    }
  }

  /// Returns the number of distinct keys.
  uint32_t size() const { return size_; }
  /// Returns the bytes held.
  int64_t memory() const { return static_cast<int64_t>(slots_.size() * sizeof(Slot)); }

 private:
  struct Slot {
    int64_t key;
    uint32_t id;
  };
  uint64_t slot_of(int64_t key) const {
    return (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_;
  }

  std::vector<Slot> slots_;
  uint64_t mask_ = 0;
  int shift_ = 0;
  uint32_t size_ = 0;
};

/// Returns true when `type` is stored as one integer of 1, 2, 4 or 8 bytes (integers, dates,
/// times, timestamps, durations), so that IntKeyMap can key it.
bool is_int_like(const arrow::DataType& type);

/// Calls `fn(row, value)` for every row of an int-like array (values widened to int64; NULL rows
/// are visited too, with an unspecified value).
template <typename Fn>
void for_each_int(const arrow::Array& array, Fn&& fn) {
  const auto& data = *array.data();
  const int64_t n = array.length();
  switch (array.type()->byte_width()) {
    case 1: {
      const auto* v = data.GetValues<int8_t>(1);
      for (int64_t i = 0; i < n; ++i) fn(i, static_cast<int64_t>(v[i]));
      break;
    }
    case 2: {
      const auto* v = data.GetValues<int16_t>(1);
      for (int64_t i = 0; i < n; ++i) fn(i, static_cast<int64_t>(v[i]));
      break;
    }
    case 4: {
      const auto* v = data.GetValues<int32_t>(1);
      for (int64_t i = 0; i < n; ++i) fn(i, static_cast<int64_t>(v[i]));
      break;
    }
    default: {
      const auto* v = data.GetValues<int64_t>(1);
      for (int64_t i = 0; i < n; ++i) fn(i, v[i]);
      break;
    }
  }
}

}  // namespace quiver::exec
