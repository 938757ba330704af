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

// Whether `len` bytes at `p` equal `c` (of length `len`): first byte, then the rest.
inline bool same_bytes(const uint8_t* p, const std::string& c, size_t len) {
  if (len == 0) return true;
  if (p[0] != static_cast<uint8_t>(c[0])) return false;
  return len == 1 || std::memcmp(p + 1, c.data() + 1, len - 1) == 0;
}

// Fills `out` (bit i = row i) for `n` rows of an array whose offsets start at `offsets`.
template <typename Offset>
void match_rows(const Offset* offsets, const uint8_t* bytes, int64_t n,
                const std::vector<std::string>& candidates, bool negate, uint8_t* out) {
  auto hit = [&](int64_t i) {
    const Offset start = offsets[i];
    const size_t len = static_cast<size_t>(offsets[i + 1] - start);
    const uint8_t* p = bytes + start;
    for (const auto& c : candidates) {
      if (len == c.size() && same_bytes(p, c, len)) return !negate;
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
  ARROW_ASSIGN_OR_RAISE(auto bits, arrow::AllocateEmptyBitmap(n));
  const uint8_t* bytes = data.buffers[2] == nullptr ? nullptr : data.buffers[2]->data();
  static const uint8_t kNoBytes = 0;
  if (bytes == nullptr) bytes = &kNoBytes;
  if (values.type_id() == arrow::Type::LARGE_STRING ||
      values.type_id() == arrow::Type::LARGE_BINARY) {
    match_rows(data.GetValues<int64_t>(1), bytes, n, candidates, negate, bits->mutable_data());
  } else {
    match_rows(data.GetValues<int32_t>(1), bytes, n, candidates, negate, bits->mutable_data());
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
