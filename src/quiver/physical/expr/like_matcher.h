#pragma once

#include <arrow/array.h>
#include <arrow/result.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::physical {

/// Returns the position of the first occurrence of `needle` in `text` (0 for an empty needle), or
/// npos: like std::string_view::find, but it tests 16 positions at a time by their first and
/// last byte before comparing the rest.
size_t find_substring(std::string_view text, std::string_view needle);

/// A case-sensitive LIKE pattern made only of literal text and `%` wildcards (backslash escapes
/// allowed), matched without a regular expression: an optional prefix, an optional suffix and
/// the literal pieces between them found left to right with substring search. The greedy
/// leftmost search is exact for `%`-only patterns. TPC-H's `'%special%requests%'` or
/// `'%Customer%Complaints%'` are such patterns; patterns with `_` (one character, which in UTF-8
/// is not one byte) are not compiled and keep the general path.
class LikeMatcher {
 public:
  /// Returns the matcher for `pattern`, or nullopt when it holds `_` or ends in a lone escape.
  static std::optional<LikeMatcher> compile(std::string_view pattern);

  /// Returns whether `text` matches the whole pattern.
  bool matches(std::string_view text) const;

  /// Returns a boolean array: matches() of every value of a string or large string array (negated
  /// when `negate`), NULL where the value is NULL.
  arrow::Result<std::shared_ptr<arrow::Array>> match_array(const arrow::Array& values,
                                                           bool negate) const;

 private:
  LikeMatcher() = default;

  bool has_wildcard_ = false;  // false: the text must equal prefix_
  bool anchored_start_ = false;
  bool anchored_end_ = false;
  std::string prefix_;
  std::string suffix_;
  std::vector<std::string> middle_;  // pieces between % signs, in order
};

}  // namespace quiver::physical
