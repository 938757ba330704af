#include "quiver/physical/expr/string_set_match.h"

#include <arrow/array/data.h>
#include <arrow/buffer.h>
#include <arrow/scalar.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>

#include <cstring>

namespace quiver::physical {

namespace {

bool is_matchable_type(arrow::Type::type id) {
  return id == arrow::Type::STRING || id == arrow::Type::BINARY ||
         id == arrow::Type::LARGE_STRING || id == arrow::Type::LARGE_BINARY;
}

template <typename T>
inline T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

// Whether the `n` bytes at `a` and `b` are equal, without branching on the bytes: up to 16
// bytes by overlapping loads from each side (all within the `n` bytes), longer ones by memcmp.
// Branches only on `n`, which is a candidate's length, so they are predictable.
inline bool equal_bytes(const uint8_t* a, const uint8_t* b, size_t n) {
  if (n >= 8) {
    if (n > 16) return std::memcmp(a, b, n) == 0;
    return ((load<uint64_t>(a) ^ load<uint64_t>(b)) |
            (load<uint64_t>(a + n - 8) ^ load<uint64_t>(b + n - 8))) == 0;
  }
  if (n >= 4) {
    return ((load<uint32_t>(a) ^ load<uint32_t>(b)) |
            (load<uint32_t>(a + n - 4) ^ load<uint32_t>(b + n - 4))) == 0;
  }
  if (n == 0) return true;
  return ((a[0] ^ b[0]) | (a[n / 2] ^ b[n / 2]) | (a[n - 1] ^ b[n - 1])) == 0;
}

struct Candidate {
  const uint8_t* bytes;
  size_t length;
};

// ORs into `out` (bit i = row i, `n` rows, a multiple of 8 or the whole array) whether row i
// equals `c`, whose length is `kLength` when that is not -1. Every row must have at least 16
// bytes of the data buffer from its start, so the candidate's bytes can be compared whatever the
// row's length: the only branches are on the candidate's length, hoisted out of the loop.
template <int kLength, typename Offset>
void or_matches(const Offset* offsets, const uint8_t* bytes, int64_t n, const Candidate& c,
                uint8_t* out) {
  const size_t length = kLength >= 0 ? static_cast<size_t>(kLength) : c.length;
  for (int64_t i = 0; i < n; i += 8) {
    uint8_t byte = 0;
    for (int b = 0; b < 8 && i + b < n; ++b) {
      const Offset start = offsets[i + b];
      const auto len = static_cast<size_t>(offsets[i + b + 1] - start);
      const bool hit = (len == length) & equal_bytes(bytes + start, c.bytes, length);
      byte |= static_cast<uint8_t>(hit) << b;
    }
    out[i / 8] |= byte;
  }
}

// Fills `out` (zeroed, bit i = row i) for `n` rows of an array whose offsets start at
// `offsets` and whose data buffer holds `bytes_size` bytes.
template <typename Offset>
void match_rows(const Offset* offsets, const uint8_t* bytes, int64_t bytes_size, int64_t n,
                const std::vector<Candidate>& candidates, bool negate, uint8_t* out) {
  // Rows [0, fast) start at least 16 bytes before the buffer's end (in whole bytes of `out`).
  int64_t fast = n;
  while (fast > 0 && static_cast<int64_t>(offsets[fast - 1]) + 16 > bytes_size) --fast;
  fast &= ~int64_t{7};
  for (const Candidate& c : candidates) {
    switch (c.length) {
      case 0:
        or_matches<0>(offsets, bytes, fast, c, out);
        break;
      case 1:
        or_matches<1>(offsets, bytes, fast, c, out);
        break;
      case 2:
        or_matches<2>(offsets, bytes, fast, c, out);
        break;
      case 3:
        or_matches<3>(offsets, bytes, fast, c, out);
        break;
      default:
        if (c.length <= 16) {
          or_matches<-1>(offsets, bytes, fast, c, out);  // two 4- or 8-byte loads
        } else {
          for (int64_t i = 0; i < fast; ++i) {
            const Offset start = offsets[i];
            if (static_cast<size_t>(offsets[i + 1] - start) == c.length &&
                std::memcmp(bytes + start, c.bytes, c.length) == 0) {
              arrow::bit_util::SetBit(out, i);
            }
          }
        }
    }
  }
  // The last rows, comparing bytes only when the lengths agree.
  for (int64_t i = fast; i < n; ++i) {
    const Offset start = offsets[i];
    const auto len = static_cast<size_t>(offsets[i + 1] - start);
    for (const Candidate& c : candidates) {
      if (len == c.length && std::memcmp(bytes + start, c.bytes, len) == 0) {
        arrow::bit_util::SetBit(out, i);
        break;
      }
    }
  }
  if (negate) arrow::internal::InvertBitmap(out, 0, n, out, 0);
}

}  // namespace

bool is_matchable_string_array(const arrow::Datum& values) {
  return values.is_array() && is_matchable_type(values.type()->id());
}

arrow::Result<std::shared_ptr<arrow::Array>> string_set_match(
    const arrow::Array& values, const std::vector<std::string>& candidates, bool negate) {
  const arrow::ArrayData& data = *values.data();
  const int64_t n = data.length;
  if (!is_matchable_type(values.type_id())) {
    return arrow::Status::TypeError("string comparison: cannot match values of type ",
                                    values.type()->ToString());
  }
  std::vector<Candidate> wanted;
  for (const auto& c : candidates) {
    wanted.push_back(Candidate{reinterpret_cast<const uint8_t*>(c.data()), c.size()});
  }
  ARROW_ASSIGN_OR_RAISE(auto bits, arrow::AllocateEmptyBitmap(n));
  const uint8_t* bytes = data.buffers[2] == nullptr ? nullptr : data.buffers[2]->data();
  const int64_t bytes_size = data.buffers[2] == nullptr ? 0 : data.buffers[2]->size();
  static const uint8_t kNoBytes = 0;
  if (bytes == nullptr) bytes = &kNoBytes;
  if (values.type_id() == arrow::Type::LARGE_STRING ||
      values.type_id() == arrow::Type::LARGE_BINARY) {
    match_rows(data.GetValues<int64_t>(1), bytes, bytes_size, n, wanted, negate,
               bits->mutable_data());
  } else {
    match_rows(data.GetValues<int32_t>(1), bytes, bytes_size, n, wanted, negate,
               bits->mutable_data());
  }
  std::shared_ptr<arrow::Buffer> validity;
  const int64_t nulls = values.null_count();
  if (nulls > 0) {
    ARROW_ASSIGN_OR_RAISE(
        validity, arrow::internal::CopyBitmap(arrow::default_memory_pool(), data.buffers[0]->data(),
                                              data.offset, n));
  }
  return arrow::MakeArray(
      arrow::ArrayData::Make(arrow::boolean(), n, {std::move(validity), bits}, nulls));
}

arrow::Result<std::optional<arrow::Datum>> string_equality(const arrow::Datum& left,
                                                           const arrow::Datum& right,
                                                           bool not_equal) {
  const bool left_column = is_matchable_string_array(left);
  const arrow::Datum& column = left_column ? left : right;
  const arrow::Datum& other = left_column ? right : left;
  if (!is_matchable_string_array(column) || !other.is_scalar() ||
      other.type()->id() != column.type()->id() || !other.scalar()->is_valid) {
    return std::nullopt;
  }
  std::vector<std::string> candidates{
      std::string(static_cast<const arrow::BaseBinaryScalar&>(*other.scalar()).view())};
  ARROW_ASSIGN_OR_RAISE(auto matched,
                        string_set_match(*column.make_array(), candidates, not_equal));
  return arrow::Datum(std::move(matched));
}

}  // namespace quiver::physical
