#pragma once

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/datum.h>
#include <arrow/result.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

/// Row-at-a-time access to function arguments for the functions Arrow has no kernel for
/// (substr, lpad, split_part, make_date, ...): each argument may be a scalar or an array.
namespace quiver::functions {

/// A text argument read row by row (cast to Utf8 first).
class TextArgument {
 public:
  /// Wraps `value` (a scalar or an array of a text type or Null).
  static arrow::Result<TextArgument> make(const arrow::Datum& value);
  /// Returns true when row `i` is NULL.
  bool is_null(int64_t i) const { return array_ ? array_->IsNull(i) : scalar_null_; }
  /// Returns the text of row `i` (valid only when not NULL).
  std::string_view value(int64_t i) const {
    return array_ ? array_->GetView(i) : std::string_view(scalar_);
  }

 private:
  std::shared_ptr<arrow::StringArray> array_;
  std::string scalar_;
  bool scalar_null_ = false;
};

/// An integer argument read row by row (cast to Int64 first).
class IntegerArgument {
 public:
  /// Wraps `value` (a scalar or an array of an integer type or Null).
  static arrow::Result<IntegerArgument> make(const arrow::Datum& value);
  /// Returns true when row `i` is NULL.
  bool is_null(int64_t i) const { return array_ ? array_->IsNull(i) : scalar_null_; }
  /// Returns the value of row `i` (valid only when not NULL).
  int64_t value(int64_t i) const { return array_ ? array_->Value(i) : scalar_; }

 private:
  std::shared_ptr<arrow::Int64Array> array_;
  int64_t scalar_ = 0;
  bool scalar_null_ = false;
};

/// Returns how many rows to compute: 1 when every argument is a scalar, else `num_rows`.
int64_t rows_to_compute(const std::vector<arrow::Datum>& args, int64_t num_rows);

/// Finishes `builder` into the result: a scalar when every argument was a scalar.
arrow::Result<arrow::Datum> finish_rows(arrow::ArrayBuilder& builder,
                                        const std::vector<arrow::Datum>& args);

/// Returns the number of UTF-8 code points in `text`.
int64_t utf8_length(std::string_view text);

/// Returns the byte offset just after the first `chars` code points of `text` (its size when it
/// has fewer).
size_t utf8_offset(std::string_view text, int64_t chars);

}  // namespace quiver::functions
