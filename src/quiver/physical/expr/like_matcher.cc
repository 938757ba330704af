#include "quiver/physical/expr/like_matcher.h"

#include <arrow/array/data.h>
#include <arrow/buffer.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>

#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace quiver::physical {

namespace {

// Whether the `m` bytes of `needle` occur at `at` (its first and last byte already compared).
inline bool inner_equal(const char* at, std::string_view needle) {
  const size_t m = needle.size();
  return m <= 2 || std::memcmp(at + 1, needle.data() + 1, m - 2) == 0;
}

}  // namespace

size_t find_substring(std::string_view text, std::string_view needle) {
  const size_t n = text.size();
  const size_t m = needle.size();
  if (m == 0) return 0;
  if (m > n) return std::string_view::npos;
  const char* hay = text.data();
  if (m == 1) {
    const void* hit = std::memchr(hay, needle[0], n);
    return hit == nullptr ? std::string_view::npos : static_cast<const char*>(hit) - hay;
  }
  const char first = needle.front();
  const char last = needle.back();
  size_t i = 0;
#if defined(__SSE2__)
  // 16 candidate positions at a time: those whose first and last byte both match.
  const __m128i want_first = _mm_set1_epi8(first);
  const __m128i want_last = _mm_set1_epi8(last);
  for (; i + m + 15 <= n; i += 16) {
    const __m128i at_first = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay + i));
    const __m128i at_last = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay + i + m - 1));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_and_si128(_mm_cmpeq_epi8(at_first, want_first), _mm_cmpeq_epi8(at_last, want_last))));
    while (mask != 0) {
      const auto bit = static_cast<size_t>(__builtin_ctz(mask));
      if (inner_equal(hay + i + bit, needle)) return i + bit;
      mask &= mask - 1;
    }
  }
#endif
  for (; i + m <= n; ++i) {
    if (hay[i] == first && hay[i + m - 1] == last && inner_equal(hay + i, needle)) return i;
  }
  return std::string_view::npos;
}

std::optional<LikeMatcher> LikeMatcher::compile(std::string_view pattern) {
  // Split at unescaped % into literal pieces.
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 == pattern.size()) return std::nullopt;
      pieces.back() += pattern[++i];
    } else if (c == '%') {
      pieces.emplace_back();
    } else if (c == '_') {
      return std::nullopt;
    } else {
      pieces.back() += c;
    }
  }
  LikeMatcher m;
  if (pieces.size() == 1) {
    m.prefix_ = std::move(pieces[0]);
    return m;
  }
  m.has_wildcard_ = true;
  m.anchored_start_ = !pieces.front().empty();
  m.anchored_end_ = !pieces.back().empty();
  m.prefix_ = std::move(pieces.front());
  m.suffix_ = std::move(pieces.back());
  for (size_t i = 1; i + 1 < pieces.size(); ++i) {
    if (!pieces[i].empty()) m.middle_.push_back(std::move(pieces[i]));
  }
  return m;
}

bool LikeMatcher::matches(std::string_view text) const {
  if (!has_wildcard_) return text == prefix_;
  size_t pos = 0;
  size_t end = text.size();
  if (anchored_start_) {
    if (text.substr(0, prefix_.size()) != prefix_) return false;
    pos = prefix_.size();
  }
  if (anchored_end_) {
    if (end - pos < suffix_.size() || text.substr(end - suffix_.size()) != suffix_) return false;
    end -= suffix_.size();
  }
  for (const auto& piece : middle_) {
    const size_t found = find_substring(text.substr(pos, end - pos), piece);
    if (found == std::string_view::npos) return false;
    pos += found + piece.size();
  }
  return true;
}

namespace {

template <typename Offset>
void match_values(const LikeMatcher& matcher, const arrow::ArrayData& values, bool negate,
                  uint8_t* out) {
  const int64_t n = values.length;
  const Offset* offsets = values.GetValues<Offset>(1);
  const char* bytes =
      values.buffers[2] == nullptr ? "" : reinterpret_cast<const char*>(values.buffers[2]->data());
  auto hit = [&](int64_t i) {
    const std::string_view text(bytes + offsets[i],
                                static_cast<size_t>(offsets[i + 1] - offsets[i]));
    return static_cast<uint8_t>(matcher.matches(text) != negate);
  };
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint8_t byte = 0;
    for (int b = 0; b < 8; ++b) byte |= static_cast<uint8_t>(hit(i + b) << b);
    out[i / 8] = byte;
  }
  for (; i < n; ++i) arrow::bit_util::SetBitTo(out, i, hit(i) != 0);
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Array>> LikeMatcher::match_array(const arrow::Array& values,
                                                                      bool negate) const {
  const int64_t n = values.length();
  ARROW_ASSIGN_OR_RAISE(auto bits, arrow::AllocateEmptyBitmap(n));
  switch (values.type_id()) {
    case arrow::Type::STRING:
    case arrow::Type::BINARY:
      match_values<int32_t>(*this, *values.data(), negate, bits->mutable_data());
      break;
    case arrow::Type::LARGE_STRING:
    case arrow::Type::LARGE_BINARY:
      match_values<int64_t>(*this, *values.data(), negate, bits->mutable_data());
      break;
    default:
      return arrow::Status::TypeError("LIKE: cannot match values of type ",
                                      values.type()->ToString());
  }
  std::shared_ptr<arrow::Buffer> validity;
  if (values.null_count() > 0) {
    ARROW_ASSIGN_OR_RAISE(
        validity, arrow::internal::CopyBitmap(arrow::default_memory_pool(),
                                              values.null_bitmap_data(), values.offset(), n));
  }
  return arrow::MakeArray(arrow::ArrayData::Make(
      arrow::boolean(), n, {std::move(validity), std::shared_ptr<arrow::Buffer>(std::move(bits))},
      values.null_count()));
}

}  // namespace quiver::physical
