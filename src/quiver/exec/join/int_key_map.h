#pragma once

#include <arrow/array.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <vector>

namespace quiver::exec {

/// An open-addressing hash map from 64-bit integer keys to dense ids (in first-seen order): the
/// fast path of the hash join and of the hash aggregation for one integer-like key column (much
/// cheaper than a general row hash table). Sized for a number of keys up front; `reserve` grows
/// it (rehashing, ids unchanged) before a batch of inserts, so insert() itself never checks the
/// load. Lookups are read-only and thread-safe; inserts and reserve are not.
class IntKeyMap {
 public:
  /// Returned by find() for a missing key.
  static constexpr uint32_t kMissing = std::numeric_limits<uint32_t>::max();

  /// Creates an empty map for up to `max_keys` distinct keys (load factor at most 1/2).
  explicit IntKeyMap(int64_t max_keys) { allocate(max_keys); }

  /// Makes room for `max_keys` distinct keys in all (load factor at most 1/2), rehashing the
  /// keys present into a larger table when needed (at least doubling it); ids are kept.
  void reserve(int64_t max_keys) {
    const auto capacity = static_cast<int64_t>(mask_ + 1);
    if (2 * max_keys <= capacity) return;
    SlotArray old = std::move(slots_);
    allocate(std::max(max_keys, capacity));
    for (int64_t i = 0; i < capacity; ++i) {
      const Slot& s = old[i];
      if (s.id_plus_one == 0) continue;
      uint64_t h = slot_of(s.key);
      while (slots_[h].id_plus_one != 0) h = (h + 1) & mask_;
      slots_[h] = s;
    }
  }

  /// Returns the id of `key`, adding it with the next id when new.
  uint32_t insert(int64_t key) {
    for (uint64_t h = slot_of(key);; h = (h + 1) & mask_) {
      Slot& slot = slots_[h];
      if (slot.id_plus_one == 0) {
        slot = Slot{key, ++size_};
        return size_ - 1;
      }
      if (slot.key == key) return slot.id_plus_one - 1;
    }
  }

  /// Returns the id of `key`, or kMissing.
  uint32_t find(int64_t key) const {
    for (uint64_t h = slot_of(key);; h = (h + 1) & mask_) {
      const Slot& slot = slots_[h];
      // An empty slot holds 0, which wraps to kMissing.
      if (slot.id_plus_one == 0 || slot.key == key) return slot.id_plus_one - 1;
    }
  }

  /// Hands out the next id without a key (e.g. for a NULL group kept beside the map).
  uint32_t add_id() { return size_++; }

  /// Calls `fn(key, id)` for every key, in slot order.
  template <typename Fn>
  void for_each_key(Fn&& fn) const {
    for (uint64_t h = 0; h <= mask_; ++h) {
      if (slots_[h].id_plus_one != 0) fn(slots_[h].key, slots_[h].id_plus_one - 1);
    }
  }

  /// Returns the number of ids handed out (distinct keys, plus add_id() calls).
  uint32_t size() const { return size_; }
  /// Returns the bytes held.
  int64_t memory() const { return static_cast<int64_t>((mask_ + 1) * sizeof(Slot)); }

 private:
  struct Slot {
    int64_t key;
    uint32_t id_plus_one;  // 0: empty, so that zeroed memory is an empty table
  };
  // Frees slots from calloc, or from mmap when `mapped_bytes` > 0.
  struct Release {
    size_t mapped_bytes;
    void operator()(Slot* p) const {
      if (mapped_bytes > 0) {
        munmap(p, mapped_bytes);
      } else {
        std::free(p);
      }
    }
  };
  using SlotArray = std::unique_ptr<Slot[], Release>;

  // Allocates empty (zeroed) slots for `max_keys` keys. A table of 2 MiB or more is mapped
  // straight from the kernel (zeroed already, no fill pass) and advised for transparent huge
  // pages: its accesses are random, and with 4 KiB pages nearly every one would miss the TLB.
  void allocate(int64_t max_keys) {
    int shift = 4;
    while ((int64_t{1} << shift) < 2 * max_keys) ++shift;
    shift_ = 64 - shift;
    mask_ = (uint64_t{1} << shift) - 1;
    const size_t bytes = static_cast<size_t>(mask_ + 1) * sizeof(Slot);
    if (bytes < (size_t{2} << 20)) {
      void* p = std::calloc(static_cast<size_t>(mask_ + 1), sizeof(Slot));
      if (p == nullptr) throw std::bad_alloc();
      slots_ = SlotArray(static_cast<Slot*>(p), Release{0});
      return;
    }
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    (void)madvise(p, bytes, MADV_HUGEPAGE);
    slots_ = SlotArray(static_cast<Slot*>(p), Release{bytes});
  }
  uint64_t slot_of(int64_t key) const {
    return (static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >> shift_;
  }

  SlotArray slots_;
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
