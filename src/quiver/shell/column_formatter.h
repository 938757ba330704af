#pragma once

#include <arrow/array.h>
#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::shell {

/// Formats the values of one Arrow array for output: as display text (tables, CSV) and as JSON
/// values. Scalar types are cast to text once with Arrow's cast kernels; lists, structs and maps
/// are formatted element by element (`[1, 2]`, `{a: 1}` as text; arrays and objects as JSON);
/// binary values are shown in hex.
///
/// Thread-safety: immutable after Make(); const methods may be called concurrently.
class ColumnFormatter {
 public:
  /// Prepares the formatting of `array`; fails only on an internal cast error.
  static arrow::Result<ColumnFormatter> Make(std::shared_ptr<arrow::Array> array);

  /// Returns whether value `i` is null.
  bool is_null(int64_t i) const;
  /// Returns the text of value `i`; a null reads as `null_text`.
  std::string text(int64_t i, std::string_view null_text = "NULL") const;
  /// Appends value `i` as a JSON value: null, a number, true/false, a string, an array or an
  /// object (NaN and infinities become null, as JSON has no spelling for them).
  void append_json(int64_t i, std::string& out) const;

 private:
  enum class Kind { kText, kNumber, kBool, kBinary, kNull, kList, kStruct, kMap, kScalar };

  ColumnFormatter() = default;
  arrow::Status init(std::shared_ptr<arrow::Array> array);
  void append_text(int64_t i, std::string& out) const;
  std::string_view cast_text(int64_t i) const;
  void list_range(int64_t i, int64_t& begin, int64_t& end) const;

  Kind kind_ = Kind::kText;
  std::shared_ptr<arrow::Array> array_;
  std::shared_ptr<arrow::Array> text_;  // array_ cast to utf8 / large_utf8, when cast
  std::vector<ColumnFormatter> children_;
  std::vector<std::string> field_names_;
};

/// Appends `text` as a JSON string literal (quoted, with `"`, `\` and control characters
/// escaped).
void append_json_string(std::string_view text, std::string& out);

}  // namespace quiver::shell
