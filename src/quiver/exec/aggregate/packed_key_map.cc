#include "quiver/exec/aggregate/packed_key_map.h"

#include <arrow/buffer.h>
#include <arrow/util/bit_util.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <numeric>
#include <type_traits>

#include "quiver/exec/join/int_key_map.h"

namespace quiver::exec {

namespace {
// Rows whose slots are prefetched ahead of the one probed.
constexpr int64_t kAhead = 16;
// Tables of this many bytes or more are mapped from the kernel and advised for huge pages.
constexpr size_t kMappedBytes = size_t{2} << 20;
}  // namespace

bool PackedKeyMap::supports(const std::vector<std::shared_ptr<arrow::DataType>>& key_types) {
  if (key_types.empty() || key_types.size() > 16) return false;
  int bytes = 0;
  for (const auto& type : key_types) {
    if (!is_int_like(*type)) return false;
    bytes += type->byte_width();
  }
  return bytes <= 16;
}

PackedKeyMap::PackedKeyMap(std::vector<std::shared_ptr<arrow::DataType>> key_types)
    : types_(std::move(key_types)), fields_(types_.size()) {
  // Widest first: every offset is then a multiple of the width, and no field straddles words.
  std::vector<size_t> order(types_.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return types_[a]->byte_width() > types_[b]->byte_width();
  });
  int offset = 0;
  for (size_t c : order) {
    const int width = types_[c]->byte_width();
    fields_[c] = Field{width, offset / 8, (offset % 8) * 8};
    offset += width;
  }
  reserve(8);
}

PackedKeyMap::~PackedKeyMap() = default;

void PackedKeyMap::SlotsDeleter::operator()(Slot* p) const {
  if (bytes >= kMappedBytes) {
    munmap(p, bytes);
  } else {
    std::free(p);
  }
}

PackedKeyMap::SlotArray PackedKeyMap::allocate_slots(uint64_t count) {
  const size_t bytes = static_cast<size_t>(count) * sizeof(Slot);
  if (bytes < kMappedBytes) {
    void* p = std::calloc(static_cast<size_t>(count), sizeof(Slot));
    if (p == nullptr) throw std::bad_alloc();
    return SlotArray(static_cast<Slot*>(p), SlotsDeleter{bytes});
  }
  // Zeroed by the kernel; huge pages because the accesses are random.
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  (void)madvise(p, bytes, MADV_HUGEPAGE);
  return SlotArray(static_cast<Slot*>(p), SlotsDeleter{bytes});
}

uint64_t PackedKeyMap::hash(uint64_t lo, uint64_t hi, uint32_t nulls) {
  uint64_t h = lo * 0x9E3779B97F4A7C15ull;
  h ^= (hi ^ (uint64_t{nulls} * 0xFF51AFD7ED558CCDull)) * 0xC2B2AE3D27D4EB4Full;
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 29;
  return h;
}

void PackedKeyMap::reserve(int64_t max_keys) {
  const int64_t capacity = slots_ == nullptr ? 0 : static_cast<int64_t>(mask_ + 1);
  if (4 * max_keys <= 3 * capacity) return;
  int bits = 4;
  while (3 * (int64_t{1} << bits) < 4 * max_keys || (int64_t{1} << bits) < 2 * capacity) ++bits;
  SlotArray old = std::move(slots_);
  slots_ = allocate_slots(uint64_t{1} << bits);
  mask_ = (uint64_t{1} << bits) - 1;
  shift_ = 64 - bits;
  keys_.reserve(static_cast<size_t>((mask_ + 1) / 4 * 3));
  // Slots are indexed by the top bits of the hash, so the old table read in order fills the new
  // one nearly in order too (no random writes).
  for (int64_t i = 0; i < capacity; ++i) {
    const Slot& s = old[i];
    if (s.id_plus_one == 0) continue;
    uint64_t at = hash(s.lo, s.hi, s.nulls) >> shift_;
    while (slots_[at].id_plus_one != 0) at = (at + 1) & mask_;
    slots_[at] = s;
  }
}

int64_t PackedKeyMap::memory() const {
  return static_cast<int64_t>((mask_ + 1) * sizeof(Slot) + keys_.capacity() * sizeof(Key));
}

void PackedKeyMap::pack(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
                        Packed& out) const {
  out.lo.assign(num_rows, 0);
  out.hi.assign(num_rows, 0);
  out.nulls.assign(num_rows, 0);
  out.hashes.resize(num_rows);
  uint32_t* nulls = out.nulls.data();
  for (size_t c = 0; c < keys.size(); ++c) {
    const arrow::Array& array = *keys[c];
    const Field field = fields_[c];
    uint64_t* words = field.word == 0 ? out.lo.data() : out.hi.data();
    visit_int_values(array, [&](const auto* values, int64_t) {
      using U = std::make_unsigned_t<std::remove_cv_t<std::remove_pointer_t<decltype(values)>>>;
      const auto* raw = reinterpret_cast<const U*>(values);
      if (array.null_count() == 0) {
        for (int64_t i = 0; i < num_rows; ++i) words[i] |= uint64_t{raw[i]} << field.shift;
        return;
      }
      const uint8_t* validity = array.null_bitmap_data();
      const int64_t offset = array.offset();
      const uint32_t bit = uint32_t{1} << c;
      for (int64_t i = 0; i < num_rows; ++i) {
        const uint64_t valid = arrow::bit_util::GetBit(validity, offset + i) ? 1 : 0;
        words[i] |= (uint64_t{raw[i]} << field.shift) & (0 - valid);
        nulls[i] |= bit & static_cast<uint32_t>(valid - 1);
      }
    });
  }
  for (int64_t i = 0; i < num_rows; ++i) {
    out.hashes[i] = hash(out.lo[i], out.hi[i], nulls[i]);
  }
}

uint32_t PackedKeyMap::insert(uint64_t lo, uint64_t hi, uint32_t nulls, uint64_t h) {
  for (uint64_t at = h >> shift_;; at = (at + 1) & mask_) {
    Slot& slot = slots_[at];
    if (slot.id_plus_one == 0) {
      slot = Slot{lo, hi, nulls, ++size_};
      keys_.push_back(Key{lo, hi, nulls});
      return size_ - 1;
    }
    if (slot.lo == lo && slot.hi == hi && slot.nulls == nulls) return slot.id_plus_one - 1;
  }
}

arrow::Status PackedKeyMap::consume(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                                    int64_t num_rows, uint32_t* ids) {
  if (static_cast<int64_t>(size_) + num_rows >= int64_t{kMissing}) {
    return arrow::Status::Invalid("AggregateExec: more than 2^32 - 1 groups");
  }
  // Room for every row being a new key, so insert() never finds the table full.
  reserve(static_cast<int64_t>(size_) + num_rows);
  Packed& p = scratch_;
  pack(keys, num_rows, p);
  // Each row's slot is prefetched kAhead rows before it is probed.
  const int64_t ahead = std::min(num_rows, kAhead);
  for (int64_t i = 0; i < ahead; ++i) {
    __builtin_prefetch(slots_.get() + (p.hashes[i] >> shift_), 1, 1);
  }
  for (int64_t i = 0; i < num_rows; ++i) {
    if (i + kAhead < num_rows) {
      __builtin_prefetch(slots_.get() + (p.hashes[i + kAhead] >> shift_), 1, 1);
    }
    ids[i] = insert(p.lo[i], p.hi[i], p.nulls[i], p.hashes[i]);
  }
  return arrow::Status::OK();
}

void PackedKeyMap::find(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
                        uint32_t* ids) const {
  Packed p;
  pack(keys, num_rows, p);
  const int64_t ahead = std::min(num_rows, kAhead);
  for (int64_t i = 0; i < ahead; ++i) {
    __builtin_prefetch(slots_.get() + (p.hashes[i] >> shift_), 0, 1);
  }
  for (int64_t i = 0; i < num_rows; ++i) {
    if (i + kAhead < num_rows) {
      __builtin_prefetch(slots_.get() + (p.hashes[i + kAhead] >> shift_), 0, 1);
    }
    const uint64_t lo = p.lo[i];
    const uint64_t hi = p.hi[i];
    const uint32_t nulls = p.nulls[i];
    for (uint64_t at = p.hashes[i] >> shift_;; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      // An empty slot holds 0, which wraps to kMissing.
      if (slot.id_plus_one == 0 || (slot.lo == lo && slot.hi == hi && slot.nulls == nulls)) {
        ids[i] = slot.id_plus_one - 1;
        break;
      }
    }
  }
}

arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> PackedKeyMap::keys() const {
  const int64_t n = size_;
  const size_t k = types_.size();
  std::vector<std::unique_ptr<arrow::Buffer>> values(k);
  std::vector<std::shared_ptr<arrow::Buffer>> validity(k);
  std::vector<int64_t> null_counts(k, 0);
  for (size_t c = 0; c < k; ++c) {
    ARROW_ASSIGN_OR_RAISE(values[c], arrow::AllocateBuffer(n * fields_[c].width));
  }
  uint32_t any_nulls = 0;
  for (const Key& key : keys_) any_nulls |= key.nulls;
  for (size_t c = 0; c < k; ++c) {
    const Field field = fields_[c];
    // A NULL was packed as 0, so the values come out as 0 there too.
    auto unpack = [&](auto* out) {
      using T = std::remove_pointer_t<decltype(out)>;
      for (int64_t id = 0; id < n; ++id) {
        const Key& key = keys_[id];
        out[id] = static_cast<T>((field.word == 0 ? key.lo : key.hi) >> field.shift);
      }
    };
    uint8_t* out = values[c]->mutable_data();
    switch (field.width) {
      case 1:
        unpack(out);
        break;
      case 2:
        unpack(reinterpret_cast<uint16_t*>(out));
        break;
      case 4:
        unpack(reinterpret_cast<uint32_t*>(out));
        break;
      default:
        unpack(reinterpret_cast<uint64_t*>(out));
        break;
    }
    const uint32_t bit = uint32_t{1} << c;
    if ((any_nulls & bit) == 0) continue;
    ARROW_ASSIGN_OR_RAISE(validity[c], arrow::AllocateBitmap(n));
    uint8_t* bitmap = validity[c]->mutable_data();
    for (int64_t id = 0; id < n; ++id) {
      const bool valid = (keys_[id].nulls & bit) == 0;
      arrow::bit_util::SetBitTo(bitmap, id, valid);
      null_counts[c] += valid ? 0 : 1;
    }
  }
  std::vector<std::shared_ptr<arrow::Array>> out;
  for (size_t c = 0; c < k; ++c) {
    out.push_back(arrow::MakeArray(arrow::ArrayData::Make(
        types_[c], n,
        {std::move(validity[c]), std::shared_ptr<arrow::Buffer>(std::move(values[c]))},
        null_counts[c])));
  }
  return out;
}

}  // namespace quiver::exec
