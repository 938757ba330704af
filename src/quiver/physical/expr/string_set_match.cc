#include "quiver/physical/expr/string_set_match.h"

#include <arrow/array/data.h>
#include <arrow/buffer.h>
#include <arrow/scalar.h>
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

// Whether the `len` bytes at `a` and `b` are equal: up to 16 bytes by two overlapping loads from
// each side (all within the `len` bytes), longer ones by memcmp.
inline bool equal_bytes(const uint8_t* a, const uint8_t* b, size_t len) {
  if (len >= 8) {
    if (len > 16) return std::memcmp(a, b, len) == 0;
    return ((load<uint64_t>(a) ^ load<uint64_t>(b)) |
            (load<uint64_t>(a + len - 8) ^ load<uint64_t>(b + len - 8))) == 0;
  }
  if (len >= 4) {
    return ((load<uint32_t>(a) ^ load<uint32_t>(b)) |
            (load<uint32_t>(a + len - 4) ^ load<uint32_t>(b + len - 4))) == 0;
  }
  for (size_t i = 0; i < len; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

struct Candidate {
  const uint8_t* bytes;
  size_t length;
};

// Fills `out` (bit i = row i) for `n` rows of an array whose offsets start at `offsets`.
template <typename Offset>
void match_rows(const Offset* offsets, const uint8_t* bytes, int64_t n,
                const std::vector<Candidate>& candidates, bool negate, uint8_t* out) {
  const Candidate* begin = candidates.data();
  const Candidate* end = begin + candidates.size();
  auto hit = [&](int64_t i) {
    const Offset start = offsets[i];
    const size_t len = static_cast<size_t>(offsets[i + 1] - start);
    for (const Candidate* c = begin; c != end; ++c) {
      if (len == c->length && equal_bytes(bytes + start, c->bytes, len)) return !negate;
    }
    return negate;
  };
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint8_t byte = 0;
    for (int b = 0; b < 8; ++b) byte |= static_cast<uint8_t>(hit(i + b)) << b;
    out[i / 8] = byte;
  }
  if (i < n) {
    uint8_t byte = 0;
    for (int b = 0; i + b < n; ++b) byte |= static_cast<uint8_t>(hit(i + b)) << b;
    out[i / 8] = byte;
  }
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
  static const uint8_t kNoBytes = 0;
  if (bytes == nullptr) bytes = &kNoBytes;
  if (values.type_id() == arrow::Type::LARGE_STRING ||
      values.type_id() == arrow::Type::LARGE_BINARY) {
    match_rows(data.GetValues<int64_t>(1), bytes, n, wanted, negate, bits->mutable_data());
  } else {
    match_rows(data.GetValues<int32_t>(1), bytes, n, wanted, negate, bits->mutable_data());
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
