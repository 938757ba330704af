#pragma once

#include <arrow/array.h>
#include <arrow/datum.h>
#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::physical {

/// Most literals a string IN list may have for string_set_match() to be used (a linear scan over
/// the candidates, lengths compared first, beats hashing for small lists).
inline constexpr size_t kMaxStringSetMatch = 16;

/// Returns whether `values` is a (large) utf8 or binary array that string_set_match() handles.
bool is_matchable_string_array(const arrow::Datum& values);

/// Returns a boolean array: whether each value of the (large) utf8 or binary array `values`
/// equals one of `candidates` (byte-wise), negated when `negate`, NULL where the value is NULL.
/// This is `values = c` / `values <> c` for one candidate and `values [NOT] IN (c1, ...)` for
/// non-NULL candidates, written as one tight loop producing the bitmap directly.
arrow::Result<std::shared_ptr<arrow::Array>> string_set_match(
    const arrow::Array& values, const std::vector<std::string>& candidates, bool negate);

/// Returns string_set_match(column, {scalar}, not_equal) when `left` and `right` are a string
/// column and a valid string scalar of the same type (either order), otherwise nullopt.
arrow::Result<std::optional<arrow::Datum>> string_equality(const arrow::Datum& left,
                                                           const arrow::Datum& right,
                                                           bool not_equal);

}  // namespace quiver::physical
