#include "quiver/exec/aggregate/row_key_table.h"

#include <arrow/array/builder_binary.h>
#include <arrow/buffer.h>
#include <arrow/builder.h>
#include <arrow/util/bit_util.h>
#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>

#include "quiver/exec/join/int_key_map.h"

namespace quiver::exec {

namespace {
// Rows whose slots are prefetched ahead of the one probed.
constexpr int64_t kAhead = 16;
// Tables of this many bytes or more are mapped from the kernel and advised for huge pages.
constexpr size_t kMappedBytes = size_t{2} << 20;

bool is_var_binary(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::STRING:
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
      return true;
    default:
      return false;
  }
}

bool is_large(const arrow::DataType& type) {
  return type.id() == arrow::Type::LARGE_STRING || type.id() == arrow::Type::LARGE_BINARY;
}

// Start and end of row i's value in a (large) string array (offsets include the array's).
template <typename Offset>
void bounds(const arrow::ArrayData& data, int64_t i, int64_t* start, int64_t* end) {
  const Offset* offsets = data.GetValues<Offset>(1);
  *start = offsets[i];
  *end = offsets[i + 1];
}

// Bytes past the end of a batch's serialized rows, so that hash_bytes may load whole words and
// short strings may be copied as 16 bytes.
constexpr size_t kSlack = 16;

// The low `bytes` (0 to 8) bytes of a word.
inline uint64_t low_bytes(uint64_t w, uint64_t bytes) {
  return bytes >= 8 ? w : w & ((uint64_t{1} << (8 * bytes)) - 1);
}

// A hash of the `n` bytes at `p` (of which 16 more may be read): 16 at a time as two words
// multiplied apart (so that short keys take one step), then mixed.
inline uint64_t hash_bytes(const uint8_t* p, uint64_t n) {
  uint64_t h = n * 0x9E3779B97F4A7C15ull;
  uint64_t a, b;
  for (; n > 16; p += 16, n -= 16) {
    std::memcpy(&a, p, 8);
    std::memcpy(&b, p + 8, 8);
    h ^= (a * 0xC2B2AE3D27D4EB4Full) ^ std::rotl(b * 0x165667B19E3779F9ull, 31);
    h = std::rotl(h, 27) * 0x9E3779B97F4A7C15ull;
  }
  std::memcpy(&a, p, 8);
  std::memcpy(&b, p + 8, 8);
  a = low_bytes(a, n);
  b = n > 8 ? low_bytes(b, n - 8) : 0;
  h ^= (a * 0xC2B2AE3D27D4EB4Full) ^ std::rotl(b * 0x165667B19E3779F9ull, 31);
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 29;
  return h;
}

// Returns whether the `n` bytes at `a` and `b` (each with 16 more readable) are equal; short
// keys compare as two words instead of through memcmp.
inline bool equal_keys(const uint8_t* a, const uint8_t* b, uint64_t n) {
  if (n > 16) return std::memcmp(a, b, n) == 0;
  uint64_t a0, a1, b0, b1;
  std::memcpy(&a0, a, 8);
  std::memcpy(&a1, a + 8, 8);
  std::memcpy(&b0, b, 8);
  std::memcpy(&b1, b + 8, 8);
  const uint64_t high = n > 8 ? n - 8 : 0;
  return low_bytes(a0 ^ b0, n) == 0 && low_bytes(a1 ^ b1, high) == 0;
}

// Copies `width` bytes; fixed widths get a fixed-size copy.
inline void copy_fixed(uint8_t* out, const uint8_t* in, int width) {
  switch (width) {
    case 1:
      *out = *in;
      break;
    case 2:
      std::memcpy(out, in, 2);
      break;
    case 4:
      std::memcpy(out, in, 4);
      break;
    case 8:
      std::memcpy(out, in, 8);
      break;
    case 16:
      std::memcpy(out, in, 16);
      break;
    default:
      std::memcpy(out, in, static_cast<size_t>(width));
  }
}
}  // namespace

bool RowKeyTable::supports(const std::vector<std::shared_ptr<arrow::DataType>>& key_types) {
  if (key_types.empty()) return false;
  for (const auto& type : key_types) {
    const auto id = type->id();
    const bool fixed = is_int_like(*type) || id == arrow::Type::DECIMAL128 ||
                       id == arrow::Type::DECIMAL256 || id == arrow::Type::FIXED_SIZE_BINARY;
    if (!fixed && !is_var_binary(*type)) return false;
  }
  return true;
}

RowKeyTable::RowKeyTable(std::vector<std::shared_ptr<arrow::DataType>> key_types)
    : types_(std::move(key_types)), fixed_offsets_(types_.size(), -1) {
  mask_bytes_ = static_cast<int>((types_.size() + 7) / 8);
  fixed_bytes_ = mask_bytes_;
  for (size_t c = 0; c < types_.size(); ++c) {
    if (is_var_binary(*types_[c])) continue;
    fixed_offsets_[c] = fixed_bytes_;
    fixed_bytes_ += types_[c]->byte_width();
  }
  offsets_.push_back(0);
  reserve(8);
}

RowKeyTable::~RowKeyTable() = default;

void RowKeyTable::SlotsDeleter::operator()(Slot* p) const {
  if (bytes >= kMappedBytes) {
    munmap(p, bytes);
  } else {
    std::free(p);
  }
}

void RowKeyTable::reserve(int64_t max_keys) {
  const int64_t capacity = slots_ == nullptr ? 0 : static_cast<int64_t>(slot_mask_ + 1);
  if (2 * max_keys <= capacity) return;
  int bits = 4;
  while ((int64_t{1} << bits) < std::max(2 * max_keys, 2 * capacity)) ++bits;
  const uint64_t count = uint64_t{1} << bits;
  const size_t bytes = static_cast<size_t>(count) * sizeof(Slot);
  auto old = std::move(slots_);
  if (bytes < kMappedBytes) {
    void* p = std::calloc(static_cast<size_t>(count), sizeof(Slot));
    if (p == nullptr) throw std::bad_alloc();
    slots_ = {static_cast<Slot*>(p), SlotsDeleter{bytes}};
  } else {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    (void)madvise(p, bytes, MADV_HUGEPAGE);
    slots_ = {static_cast<Slot*>(p), SlotsDeleter{bytes}};
  }
  slot_mask_ = count - 1;
  shift_ = 64 - bits;
  // Slots are indexed by the top bits of the hash, so the old table read in order fills the new
  // one nearly in order too (no random writes).
  for (int64_t i = 0; i < capacity; ++i) {
    const Slot s = old[i];
    if (s.id_plus_one == 0) continue;
    uint64_t at = hashes_[s.id_plus_one - 1] >> shift_;
    while (slots_[at].id_plus_one != 0) at = (at + 1) & slot_mask_;
    slots_[at] = s;
  }
}

int64_t RowKeyTable::memory() const {
  return static_cast<int64_t>((slot_mask_ + 1) * sizeof(Slot) + arena_.capacity() +
                              (offsets_.capacity() + hashes_.capacity()) * sizeof(uint64_t));
}

void RowKeyTable::serialize(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                            int64_t num_rows, Serialized& rows) const {
  // What each column's values are read from.
  struct Source {
    const uint8_t* validity;  // null when no NULLs
    int64_t offset;           // the array's offset, for validity
    const uint8_t* values;    // fixed width: the first row's value
    int width;                // fixed width; 0 for strings
    int at;                   // fixed width: offset in the row
    const int32_t* offsets32;
    const int64_t* offsets64;
    const uint8_t* chars;
    int64_t chars_size;
  };
  std::vector<Source> sources(keys.size());
  for (size_t c = 0; c < keys.size(); ++c) {
    const arrow::ArrayData& data = *keys[c]->data();
    Source& src = sources[c];
    src = Source{};
    src.validity = keys[c]->null_count() > 0 ? data.buffers[0]->data() : nullptr;
    src.offset = data.offset;
    if (fixed_offsets_[c] >= 0) {
      src.width = types_[c]->byte_width();
      src.at = fixed_offsets_[c];
      src.values = data.buffers[1]->data() + data.offset * src.width;
      continue;
    }
    if (is_large(*types_[c])) {
      src.offsets64 = data.GetValues<int64_t>(1);
    } else {
      src.offsets32 = data.GetValues<int32_t>(1);
    }
    if (data.buffers[2] != nullptr) {
      src.chars = data.buffers[2]->data();
      src.chars_size = data.buffers[2]->size();
    }
  }
  auto valid = [](const Source& src, int64_t i) {
    return src.validity == nullptr || arrow::bit_util::GetBit(src.validity, src.offset + i);
  };
  auto string_bounds = [&](const Source& src, int64_t i, int64_t* start) -> int64_t {
    if (!valid(src, i)) return 0;
    if (src.offsets64 != nullptr) {
      *start = src.offsets64[i];
      return src.offsets64[i + 1] - src.offsets64[i];
    }
    *start = src.offsets32[i];
    return src.offsets32[i + 1] - src.offsets32[i];
  };
  // Row lengths, then their offsets.
  rows.offsets.assign(num_rows + 1, 0);
  uint64_t* lengths = rows.offsets.data() + 1;
  for (int64_t i = 0; i < num_rows; ++i) lengths[i] = fixed_bytes_;
  for (size_t c = 0; c < keys.size(); ++c) {
    const Source& src = sources[c];
    if (src.width > 0) continue;
    int64_t start = 0;
    for (int64_t i = 0; i < num_rows; ++i) {
      lengths[i] += 4 + static_cast<uint64_t>(string_bounds(src, i, &start));
    }
  }
  for (int64_t i = 0; i < num_rows; ++i) rows.offsets[i + 1] += rows.offsets[i];
  rows.bytes.resize(rows.offsets[num_rows] + kSlack);
  rows.hashes.resize(num_rows);
  // Row by row, each written front to back: a string copied as 16 bytes may spill into what
  // comes next, which is written afterwards.
  for (int64_t i = 0; i < num_rows; ++i) {
    uint8_t* row = rows.bytes.data() + rows.offsets[i];
    std::memset(row, 0, static_cast<size_t>(mask_bytes_));
    uint8_t* out = row + fixed_bytes_;
    for (size_t c = 0; c < sources.size(); ++c) {
      const Source& src = sources[c];
      const bool is_valid = valid(src, i);
      if (!is_valid) arrow::bit_util::SetBit(row, c);
      if (src.width > 0) {
        if (is_valid) {
          copy_fixed(row + src.at, src.values + i * src.width, src.width);
        } else {
          std::memset(row + src.at, 0, static_cast<size_t>(src.width));
        }
        continue;
      }
      int64_t start = 0;
      const auto length = static_cast<uint32_t>(string_bounds(src, i, &start));
      std::memcpy(out, &length, 4);
      if (length <= 16 && start + 16 <= src.chars_size) {
        std::memcpy(out + 4, src.chars + start, 16);
      } else if (length > 0) {
        std::memcpy(out + 4, src.chars + start, length);
      }
      out += 4 + length;
    }
  }
  // Hashed apart: reading a row's words right after its narrow stores would stall.
  const uint8_t* bytes = rows.bytes.data();
  for (int64_t i = 0; i < num_rows; ++i) {
    rows.hashes[i] = hash_bytes(bytes + rows.offsets[i], rows.offsets[i + 1] - rows.offsets[i]);
  }
}

uint32_t RowKeyTable::insert(const uint8_t* key, uint64_t length, uint64_t h) {
  const auto tag = static_cast<uint32_t>(h);
  for (uint64_t at = h >> shift_;; at = (at + 1) & slot_mask_) {
    Slot& slot = slots_[at];
    if (slot.id_plus_one == 0) {
      const uint32_t id = size();
      // The arena keeps kSlack bytes past the last key, for equal_keys.
      const uint64_t start = offsets_.back();
      arena_.resize(start + length + kSlack);
      std::memcpy(arena_.data() + start, key, length);
      offsets_.push_back(start + length);
      hashes_.push_back(h);
      slot = Slot{tag, id + 1};
      return id;
    }
    if (slot.tag != tag) continue;
    const uint32_t id = slot.id_plus_one - 1;
    if (offsets_[id + 1] - offsets_[id] == length &&
        equal_keys(arena_.data() + offsets_[id], key, length)) {
      return id;
    }
  }
}

arrow::Status RowKeyTable::consume(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                                   int64_t num_rows, uint32_t* ids) {
  if (static_cast<int64_t>(size()) + num_rows >= int64_t{kMissing}) {
    return arrow::Status::Invalid("AggregateExec: more than 2^32 - 1 groups");
  }
  reserve(static_cast<int64_t>(size()) + num_rows);
  Serialized& rows = scratch_;
  serialize(keys, num_rows, rows);
  const uint8_t* bytes = rows.bytes.data();
  const uint64_t* offsets = rows.offsets.data();
  const uint64_t* hashes = rows.hashes.data();
  for (int64_t i = 0; i < std::min(num_rows, kAhead); ++i) {
    __builtin_prefetch(slots_.get() + (hashes[i] >> shift_), 1, 1);
  }
  for (int64_t i = 0; i < num_rows; ++i) {
    if (i + kAhead < num_rows) {
      __builtin_prefetch(slots_.get() + (hashes[i + kAhead] >> shift_), 1, 1);
    }
    ids[i] = insert(bytes + offsets[i], offsets[i + 1] - offsets[i], hashes[i]);
  }
  return arrow::Status::OK();
}

void RowKeyTable::find(const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows,
                       uint32_t* ids) const {
  Serialized rows;
  serialize(keys, num_rows, rows);
  const uint8_t* bytes = rows.bytes.data();
  const uint64_t* offsets = rows.offsets.data();
  const uint64_t* hashes = rows.hashes.data();
  const uint8_t* arena = arena_.data();
  for (int64_t i = 0; i < std::min(num_rows, kAhead); ++i) {
    __builtin_prefetch(slots_.get() + (hashes[i] >> shift_), 0, 1);
  }
  for (int64_t i = 0; i < num_rows; ++i) {
    if (i + kAhead < num_rows) {
      __builtin_prefetch(slots_.get() + (hashes[i + kAhead] >> shift_), 0, 1);
    }
    const uint8_t* key = bytes + offsets[i];
    const uint64_t length = offsets[i + 1] - offsets[i];
    const uint64_t h = hashes[i];
    const auto tag = static_cast<uint32_t>(h);
    uint32_t found = kMissing;
    for (uint64_t at = h >> shift_;; at = (at + 1) & slot_mask_) {
      const Slot slot = slots_[at];
      if (slot.id_plus_one == 0) break;
      if (slot.tag != tag) continue;
      const uint32_t id = slot.id_plus_one - 1;
      if (offsets_[id + 1] - offsets_[id] == length &&
          equal_keys(arena + offsets_[id], key, length)) {
        found = id;
        break;
      }
    }
    ids[i] = found;
  }
}

arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> RowKeyTable::keys() const {
  const int64_t n = size();
  const uint8_t* arena = arena_.data();
  std::vector<std::shared_ptr<arrow::Array>> out(types_.size());
  std::vector<uint64_t> cursor(offsets_.begin(), offsets_.end() - 1);
  for (auto& at : cursor) at += fixed_bytes_;
  for (size_t c = 0; c < types_.size(); ++c) {
    // Validity from the NULL masks.
    std::shared_ptr<arrow::Buffer> validity;
    int64_t null_count = 0;
    for (int64_t id = 0; id < n; ++id) {
      if (!arrow::bit_util::GetBit(arena + offsets_[id], c)) continue;
      if (validity == nullptr) {
        ARROW_ASSIGN_OR_RAISE(validity, arrow::AllocateBitmap(n));
        std::memset(validity->mutable_data(), 0xFF, static_cast<size_t>(validity->size()));
      }
      arrow::bit_util::ClearBit(validity->mutable_data(), id);
      ++null_count;
    }
    if (fixed_offsets_[c] >= 0) {
      const int width = types_[c]->byte_width();
      ARROW_ASSIGN_OR_RAISE(auto values, arrow::AllocateBuffer(n * width));
      for (int64_t id = 0; id < n; ++id) {
        copy_fixed(values->mutable_data() + id * width, arena + offsets_[id] + fixed_offsets_[c],
                   width);
      }
      out[c] = arrow::MakeArray(arrow::ArrayData::Make(
          types_[c], n, {std::move(validity), std::shared_ptr<arrow::Buffer>(std::move(values))},
          null_count));
      continue;
    }
    // Strings: offsets and characters, walking each group's cursor past the column.
    const bool large = is_large(*types_[c]);
    const int offset_width = large ? 8 : 4;
    ARROW_ASSIGN_OR_RAISE(auto offsets, arrow::AllocateBuffer((n + 1) * offset_width));
    int64_t total = 0;
    for (int64_t id = 0; id < n; ++id) {
      uint32_t length;
      std::memcpy(&length, arena + cursor[id], 4);
      total += length;
    }
    if (!large && total > INT32_MAX) {
      return arrow::Status::CapacityError("AggregateExec: group keys of column ", c,
                                          " exceed 2 GiB; use large_utf8");
    }
    ARROW_ASSIGN_OR_RAISE(auto chars, arrow::AllocateBuffer(total));
    int64_t position = 0;
    for (int64_t id = 0; id < n; ++id) {
      uint32_t length;
      std::memcpy(&length, arena + cursor[id], 4);
      if (large) {
        reinterpret_cast<int64_t*>(offsets->mutable_data())[id] = position;
      } else {
        reinterpret_cast<int32_t*>(offsets->mutable_data())[id] = static_cast<int32_t>(position);
      }
      std::memcpy(chars->mutable_data() + position, arena + cursor[id] + 4, length);
      position += length;
      cursor[id] += 4 + length;
    }
    if (large) {
      reinterpret_cast<int64_t*>(offsets->mutable_data())[n] = position;
    } else {
      reinterpret_cast<int32_t*>(offsets->mutable_data())[n] = static_cast<int32_t>(position);
    }
    out[c] = arrow::MakeArray(arrow::ArrayData::Make(
        types_[c], n,
        {std::move(validity), std::shared_ptr<arrow::Buffer>(std::move(offsets)),
         std::shared_ptr<arrow::Buffer>(std::move(chars))},
        null_count));
  }
  return out;
}

}  // namespace quiver::exec
