#pragma once

#include <arrow/array.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <vector>

namespace quiver::exec {

/// The smallest and largest of some 64-bit integer keys.
struct IntKeyRange {
  int64_t min = 0;
  int64_t max = 0;
};

/// An open-addressing hash map from 64-bit integer keys to dense ids (in first-seen order): the
/// fast path of the hash join and of the hash aggregation for one integer-like key column (much
/// cheaper than a general row hash table). Sized for a number of keys up front; in hash mode
/// `reserve` grows it (rehashing, ids unchanged) before a batch of inserts, so insert() itself
/// never checks the load. When the keys' range is known and no wider than
/// the hash table would be, the map is a direct array indexed by `key - min` instead (no hashing,
/// no probing, and keys that arrive in order are looked up in order). Lookups are read-only and
/// thread-safe; inserts and reserve are not.
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
    allocate(max_keys);
  }

  /// Makes room for `max_keys` distinct keys in all (load factor at most 1/2), rehashing the
  /// keys present into a larger table when needed (at least doubling it); ids are kept. Hash
  /// mode only (a direct map holds its whole range already).
  void reserve(int64_t max_keys) {
    if (is_direct()) return;
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
      if (slot.id_plus_one == 0) {
        slot = Slot{key, ++size_};
        return size_ - 1;
      }
      if (slot.key == key) return slot.id_plus_one - 1;
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
      // An empty slot holds 0, which wraps to kMissing.
      if (slot.id_plus_one == 0 || slot.key == key) return slot.id_plus_one - 1;
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

  /// Hands out the next id without a key (e.g. for a NULL group kept beside the map).
  uint32_t add_id() { return size_++; }

  /// Calls `fn(key, id)` for every key, in slot order.
  template <typename Fn>
  void for_each_key(Fn&& fn) const {
    if (is_direct()) {
      for (uint64_t i = 0; i <= width_; ++i) {
        if (direct_[i] != kMissing) fn(static_cast<int64_t>(base_ + i), direct_[i]);
      }
      return;
    }
    for (uint64_t h = 0; h <= mask_; ++h) {
      if (slots_[h].id_plus_one != 0) fn(slots_[h].key, slots_[h].id_plus_one - 1);
    }
  }

  /// Returns the number of ids handed out (distinct keys, plus add_id() calls).
  uint32_t size() const { return size_; }
  /// Returns whether the map is a direct array over the keys' range.
  bool is_direct() const { return !direct_.empty(); }
  /// Returns the bytes held.
  int64_t memory() const {
    const int64_t slots = is_direct() ? 0 : static_cast<int64_t>(mask_ + 1);
    return slots * static_cast<int64_t>(sizeof(Slot)) +
           static_cast<int64_t>(direct_.size() * sizeof(uint32_t));
  }

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

  // Allocates empty (zeroed) hash slots for `max_keys` keys. A table of 2 MiB or more is mapped
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
        __builtin_prefetch(slots_.get() + slot_of(static_cast<int64_t>(keys[i])), 1, 1);
      }
    } else {
      for (int64_t i = start; i < end; ++i) {
        __builtin_prefetch(slots_.get() + slot_of(static_cast<int64_t>(keys[i])), 0, 1);
      }
    }
  }

  SlotArray slots_{nullptr, Release{0}};  // hash mode
  std::vector<uint32_t> direct_;          // direct mode: the id of key base_ + i at i
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
