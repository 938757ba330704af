// String functions that address characters by position (1-based, in code points, with
// PostgreSQL's rules), computed row by row.

#include <arrow/builder.h>

#include <optional>

#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/row_arguments.h"
#include "quiver/functions/signature.h"

namespace quiver::functions {

namespace {

using arrow::Datum;

constexpr int64_t kMaxPaddedLength = 64 * 1024 * 1024;

// Checks (text, integer, ...) argument kinds: 't' text, 'i' integer; trailing ones optional
// from `min_args` on.
arrow::Status check_kinds(std::string_view name, const DataTypeVector& types,
                          std::string_view kinds, size_t min_args, std::string_view expected) {
  ARROW_RETURN_NOT_OK(check_arity(name, types, min_args, kinds.size(), expected));
  for (size_t i = 0; i < types.size(); ++i) {
    bool ok = kinds[i] == 't' ? fits_text(*types[i]) : fits_integer(*types[i]);
    if (!ok) return unsupported_call(name, types, expected);
  }
  return arrow::Status::OK();
}

// Returns the code points [begin, end) of `s` (0-based, clamped).
std::string_view char_slice(std::string_view s, int64_t begin, int64_t end) {
  if (end <= begin || end <= 0) return {};
  size_t from = utf8_offset(s, std::max<int64_t>(begin, 0));
  size_t to = utf8_offset(s, end);
  return s.substr(from, to - from);
}

ScalarFunctionDef substr_function(std::string name) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(
        check_kinds(name, types, "tii", 2, "(string, start integer[, length integer])"));
    return arrow::utf8();
  };
  def.invoke = [name](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto s, TextArgument::make(args[0]));
    ARROW_ASSIGN_OR_RAISE(auto start, IntegerArgument::make(args[1]));
    std::optional<IntegerArgument> len;
    if (args.size() == 3) {
      ARROW_ASSIGN_OR_RAISE(len, IntegerArgument::make(args[2]));
    }
    const int64_t n = rows_to_compute(args, num_rows);
    arrow::StringBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(n));
    for (int64_t i = 0; i < n; ++i) {
      if (s.is_null(i) || start.is_null(i) || (len && len->is_null(i))) {
        ARROW_RETURN_NOT_OK(builder.AppendNull());
        continue;
      }
      const int64_t begin = start.value(i) - 1;
      int64_t end = INT64_MAX;
      if (len) {
        if (len->value(i) < 0) {
          return arrow::Status::Invalid(name, ": negative substring length not allowed");
        }
        if (__builtin_add_overflow(begin, len->value(i), &end)) end = INT64_MAX;
      }
      ARROW_RETURN_NOT_OK(builder.Append(char_slice(s.value(i), begin, end)));
    }
    return finish_rows(builder, args);
  };
  return def;
}

ScalarFunctionDef strpos_function(std::string name) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_kinds(name, types, "tt", 2, "(string, substring) strings"));
    return arrow::int32();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto s, TextArgument::make(args[0]));
    ARROW_ASSIGN_OR_RAISE(auto sub, TextArgument::make(args[1]));
    const int64_t n = rows_to_compute(args, num_rows);
    arrow::Int32Builder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(n));
    for (int64_t i = 0; i < n; ++i) {
      if (s.is_null(i) || sub.is_null(i)) {
        builder.UnsafeAppendNull();
        continue;
      }
      std::string_view text = s.value(i);
      size_t at = text.find(sub.value(i));
      builder.UnsafeAppend(at == std::string_view::npos
                               ? 0
                               : static_cast<int32_t>(utf8_length(text.substr(0, at)) + 1));
    }
    return finish_rows(builder, args);
  };
  return def;
}

// left(s, n) / right(s, n); a negative n drops |n| characters from the other end.
ScalarFunctionDef edge_function(std::string name, bool from_left) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_kinds(name, types, "ti", 2, "(string, integer)"));
    return arrow::utf8();
  };
  def.invoke = [from_left](const std::vector<Datum>& args,
                           int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto s, TextArgument::make(args[0]));
    ARROW_ASSIGN_OR_RAISE(auto count, IntegerArgument::make(args[1]));
    const int64_t n = rows_to_compute(args, num_rows);
    arrow::StringBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(n));
    for (int64_t i = 0; i < n; ++i) {
      if (s.is_null(i) || count.is_null(i)) {
        ARROW_RETURN_NOT_OK(builder.AppendNull());
        continue;
      }
      std::string_view text = s.value(i);
      const int64_t length = utf8_length(text);
      const int64_t k = count.value(i);
      int64_t begin = 0;
      int64_t end = length;
      if (from_left) {
        end = k >= 0 ? k : length + k;
      } else {
        begin = k >= 0 ? length - k : -k;
      }
      ARROW_RETURN_NOT_OK(builder.Append(char_slice(text, begin, end)));
    }
    return finish_rows(builder, args);
  };
  return def;
}

// lpad / rpad (s, length[, fill]): pads with `fill` (default a space) or truncates to `length`.
ScalarFunctionDef pad_function(std::string name, bool pad_left) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(
        check_kinds(name, types, "tit", 2, "(string, length integer[, fill string])"));
    return arrow::utf8();
  };
  def.invoke = [name, pad_left](const std::vector<Datum>& args,
                                int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto s, TextArgument::make(args[0]));
    ARROW_ASSIGN_OR_RAISE(auto width, IntegerArgument::make(args[1]));
    std::optional<TextArgument> fill;
    if (args.size() == 3) {
      ARROW_ASSIGN_OR_RAISE(fill, TextArgument::make(args[2]));
    }
    const int64_t n = rows_to_compute(args, num_rows);
    arrow::StringBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(n));
    std::string padded;
    for (int64_t i = 0; i < n; ++i) {
      if (s.is_null(i) || width.is_null(i) || (fill && fill->is_null(i))) {
        ARROW_RETURN_NOT_OK(builder.AppendNull());
        continue;
      }
      const int64_t target = width.value(i);
      if (target > kMaxPaddedLength) {
        return arrow::Status::Invalid(name, ": requested length ", target, " is too large");
      }
      std::string_view text = s.value(i);
      std::string_view filler = fill ? fill->value(i) : std::string_view(" ");
      const int64_t length = utf8_length(text);
      if (target <= length || filler.empty()) {
        ARROW_RETURN_NOT_OK(builder.Append(char_slice(text, 0, std::max<int64_t>(target, 0))));
        continue;
      }
      // Repeat the filler (by code points) for the missing characters.
      std::string pad;
      const int64_t fill_chars = utf8_length(filler);
      int64_t missing = target - length;
      while (missing >= fill_chars) {
        pad.append(filler);
        missing -= fill_chars;
      }
      pad.append(char_slice(filler, 0, missing));
      padded = pad_left ? pad + std::string(text) : std::string(text) + pad;
      ARROW_RETURN_NOT_OK(builder.Append(padded));
    }
    return finish_rows(builder, args);
  };
  return def;
}

// Returns field `index` (1-based; negative counts from the end) of `s` split at `delim`.
std::string_view split_field(std::string_view s, std::string_view delim, int64_t index) {
  if (delim.empty()) return (index == 1 || index == -1) ? s : std::string_view();
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t at = s.find(delim, start);
    if (at == std::string_view::npos) {
      fields.push_back(s.substr(start));
      break;
    }
    fields.push_back(s.substr(start, at - start));
    start = at + delim.size();
  }
  const int64_t count = static_cast<int64_t>(fields.size());
  const int64_t pos = index > 0 ? index - 1 : count + index;
  if (pos < 0 || pos >= count) return {};
  return fields[static_cast<size_t>(pos)];
}

ScalarFunctionDef split_part_function() {
  ScalarFunctionDef def;
  def.name = "split_part";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(
        check_kinds("split_part", types, "tti", 3, "(string, delimiter string, field integer)"));
    return arrow::utf8();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto s, TextArgument::make(args[0]));
    ARROW_ASSIGN_OR_RAISE(auto delim, TextArgument::make(args[1]));
    ARROW_ASSIGN_OR_RAISE(auto field, IntegerArgument::make(args[2]));
    const int64_t n = rows_to_compute(args, num_rows);
    arrow::StringBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(n));
    for (int64_t i = 0; i < n; ++i) {
      if (s.is_null(i) || delim.is_null(i) || field.is_null(i)) {
        ARROW_RETURN_NOT_OK(builder.AppendNull());
        continue;
      }
      if (field.value(i) == 0) {
        return arrow::Status::Invalid("split_part: field position must not be zero");
      }
      ARROW_RETURN_NOT_OK(builder.Append(split_field(s.value(i), delim.value(i), field.value(i))));
    }
    return finish_rows(builder, args);
  };
  return def;
}

}  // namespace

std::vector<ScalarFunctionDef> string_slice_functions() {
  std::vector<ScalarFunctionDef> out;
  out.push_back(substr_function("substr"));
  out.push_back(substr_function("substring"));
  out.push_back(strpos_function("strpos"));
  out.push_back(strpos_function("instr"));
  out.push_back(edge_function("left", true));
  out.push_back(edge_function("right", false));
  out.push_back(pad_function("lpad", true));
  out.push_back(pad_function("rpad", false));
  out.push_back(split_part_function());
  return out;
}

}  // namespace quiver::functions
