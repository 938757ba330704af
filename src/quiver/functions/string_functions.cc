// String functions that map onto Arrow compute kernels.

#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"

namespace quiver::functions {

namespace {

using arrow::Datum;
using arrow::compute::CallFunction;

constexpr const char* kOneString = "a string";

arrow::Status check_all_text(std::string_view name, const DataTypeVector& types,
                             std::string_view expected) {
  for (const auto& t : types) {
    if (!fits_text(*t)) return unsupported_call(name, types, expected);
  }
  return arrow::Status::OK();
}

// A one-argument string -> string kernel (upper, lower, reverse, initcap).
ScalarFunctionDef text_to_text(std::string name, std::string kernel) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity(name, types, 1, 1, kOneString));
    ARROW_RETURN_NOT_OK(check_all_text(name, types, kOneString));
    return text_type(*types[0]);
  };
  def.invoke = [kernel](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], text_type(*args[0].type())));
    return CallFunction(kernel, {s});
  };
  return def;
}

// length-like: string -> Int32 (Int64 for LargeUtf8).
ScalarFunctionDef text_measure(std::string name, std::string kernel) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity(name, types, 1, 1, kOneString));
    ARROW_RETURN_NOT_OK(check_all_text(name, types, kOneString));
    return text_type(*types[0])->id() == arrow::Type::LARGE_STRING
               ? arrow::int64()
               : std::static_pointer_cast<arrow::DataType>(arrow::int32());
  };
  def.invoke = [kernel](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], text_type(*args[0].type())));
    return CallFunction(kernel, {s});
  };
  return def;
}

// trim(s[, characters]) and its one-sided variants; SQL trims spaces by default.
ScalarFunctionDef trim_function(std::string name, std::string kernel) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a string and optional characters to remove";
    ARROW_RETURN_NOT_OK(check_arity(name, types, 1, 2, kExpected));
    ARROW_RETURN_NOT_OK(check_all_text(name, types, kExpected));
    return text_type(*types[0]);
  };
  def.invoke = [name, kernel](const std::vector<Datum>& args,
                              int64_t num_rows) -> arrow::Result<Datum> {
    auto type = text_type(*args[0].type());
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], type));
    std::string characters = " ";
    if (args.size() == 2) {
      ARROW_ASSIGN_OR_RAISE(auto chars, constant_text(name, "character set", args[1]));
      if (!chars) return null_result(type, s.is_scalar(), num_rows);
      characters = *chars;
    }
    arrow::compute::TrimOptions options(characters);
    return CallFunction(kernel, {s}, &options);
  };
  return def;
}

ScalarFunctionDef concat_function() {
  ScalarFunctionDef def;
  def.name = "concat";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity("concat", types, 1, SIZE_MAX, "at least one argument"));
    return arrow::utf8();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    // NULL arguments count as empty strings, as in PostgreSQL.
    std::vector<Datum> parts;
    for (const auto& a : args) {
      ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(a, arrow::utf8()));
      parts.push_back(std::move(s));
    }
    parts.emplace_back(std::make_shared<arrow::StringScalar>(""));
    arrow::compute::JoinOptions options(arrow::compute::JoinOptions::REPLACE, "");
    return CallFunction("binary_join_element_wise", parts, &options);
  };
  return def;
}

ScalarFunctionDef concat_ws_function() {
  ScalarFunctionDef def;
  def.name = "concat_ws";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a string separator and at least one value";
    ARROW_RETURN_NOT_OK(check_arity("concat_ws", types, 2, SIZE_MAX, kExpected));
    if (!fits_text(*types[0])) return unsupported_call("concat_ws", types, kExpected);
    return arrow::utf8();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    // NULL values are skipped (no doubled separators); a NULL separator gives NULL.
    std::vector<Datum> parts;
    for (size_t i = 1; i < args.size(); ++i) {
      ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[i], arrow::utf8()));
      parts.push_back(std::move(s));
    }
    ARROW_ASSIGN_OR_RAISE(Datum separator, cast_arg(args[0], arrow::utf8()));
    parts.push_back(std::move(separator));
    arrow::compute::JoinOptions options(arrow::compute::JoinOptions::SKIP);
    return CallFunction("binary_join_element_wise", parts, &options);
  };
  return def;
}

ScalarFunctionDef replace_function() {
  ScalarFunctionDef def;
  def.name = "replace";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "(string, from, to) strings";
    ARROW_RETURN_NOT_OK(check_arity("replace", types, 3, 3, kExpected));
    ARROW_RETURN_NOT_OK(check_all_text("replace", types, kExpected));
    return text_type(*types[0]);
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    auto type = text_type(*args[0].type());
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], type));
    ARROW_ASSIGN_OR_RAISE(auto from, constant_text("replace", "search string", args[1]));
    ARROW_ASSIGN_OR_RAISE(auto to, constant_text("replace", "replacement", args[2]));
    if (!from || !to) return null_result(type, s.is_scalar(), num_rows);
    if (from->empty()) return s;
    arrow::compute::ReplaceSubstringOptions options(*from, *to);
    return CallFunction("replace_substring", {s}, &options);
  };
  return def;
}

// starts_with / ends_with (s, affix) -> Boolean.
ScalarFunctionDef affix_function(std::string name, std::string kernel) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity(name, types, 2, 2, "two strings"));
    ARROW_RETURN_NOT_OK(check_all_text(name, types, "two strings"));
    return arrow::boolean();
  };
  def.invoke = [name, kernel](const std::vector<Datum>& args,
                              int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], text_type(*args[0].type())));
    ARROW_ASSIGN_OR_RAISE(auto affix, constant_text(name, "affix", args[1]));
    if (!affix) return null_result(arrow::boolean(), s.is_scalar(), num_rows);
    arrow::compute::MatchSubstringOptions options(*affix);
    return CallFunction(kernel, {s}, &options);
  };
  return def;
}

// Splits PostgreSQL regex flags into RE2 terms: 'g' (all matches) and 'i' (ignore case).
arrow::Status parse_regex_flags(std::string_view name, const std::string& flags, bool* global,
                                bool* ignore_case) {
  for (char f : flags) {
    if (f == 'g') {
      *global = true;
    } else if (f == 'i') {
      *ignore_case = true;
    } else if (f != 'c') {
      return arrow::Status::Invalid(name, ": unsupported regular expression flag '", f, "'");
    }
  }
  return arrow::Status::OK();
}

ScalarFunctionDef regexp_replace_function() {
  ScalarFunctionDef def;
  def.name = "regexp_replace";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "(string, pattern, replacement[, flags]) strings";
    ARROW_RETURN_NOT_OK(check_arity("regexp_replace", types, 3, 4, kExpected));
    ARROW_RETURN_NOT_OK(check_all_text("regexp_replace", types, kExpected));
    return text_type(*types[0]);
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    auto type = text_type(*args[0].type());
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], type));
    ARROW_ASSIGN_OR_RAISE(auto pattern, constant_text("regexp_replace", "pattern", args[1]));
    ARROW_ASSIGN_OR_RAISE(auto replacement,
                          constant_text("regexp_replace", "replacement", args[2]));
    std::optional<std::string> flags = std::string();
    if (args.size() == 4) {
      ARROW_ASSIGN_OR_RAISE(flags, constant_text("regexp_replace", "flags", args[3]));
    }
    if (!pattern || !replacement || !flags) return null_result(type, s.is_scalar(), num_rows);
    bool global = false;
    bool ignore_case = false;
    ARROW_RETURN_NOT_OK(parse_regex_flags("regexp_replace", *flags, &global, &ignore_case));
    std::string re = ignore_case ? "(?i)" + *pattern : *pattern;
    arrow::compute::ReplaceSubstringOptions options(re, *replacement, global ? -1 : 1);
    return CallFunction("replace_substring_regex", {s}, &options);
  };
  return def;
}

ScalarFunctionDef regexp_like_function() {
  ScalarFunctionDef def;
  def.name = "regexp_like";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "(string, pattern[, flags]) strings";
    ARROW_RETURN_NOT_OK(check_arity("regexp_like", types, 2, 3, kExpected));
    ARROW_RETURN_NOT_OK(check_all_text("regexp_like", types, kExpected));
    return arrow::boolean();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], text_type(*args[0].type())));
    ARROW_ASSIGN_OR_RAISE(auto pattern, constant_text("regexp_like", "pattern", args[1]));
    std::optional<std::string> flags = std::string();
    if (args.size() == 3) {
      ARROW_ASSIGN_OR_RAISE(flags, constant_text("regexp_like", "flags", args[2]));
    }
    if (!pattern || !flags) return null_result(arrow::boolean(), s.is_scalar(), num_rows);
    bool global = false;
    bool ignore_case = false;
    ARROW_RETURN_NOT_OK(parse_regex_flags("regexp_like", *flags, &global, &ignore_case));
    arrow::compute::MatchSubstringOptions options(*pattern, ignore_case);
    return CallFunction("match_substring_regex", {s}, &options);
  };
  return def;
}

ScalarFunctionDef repeat_function() {
  ScalarFunctionDef def;
  def.name = "repeat";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a string and an integer count";
    ARROW_RETURN_NOT_OK(check_arity("repeat", types, 2, 2, kExpected));
    if (!fits_text(*types[0]) || !fits_integer(*types[1])) {
      return unsupported_call("repeat", types, kExpected);
    }
    return text_type(*types[0]);
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum s, cast_arg(args[0], text_type(*args[0].type())));
    ARROW_ASSIGN_OR_RAISE(Datum n, cast_arg(args[1], arrow::int64()));
    // A negative count gives an empty string, as in PostgreSQL.
    ARROW_ASSIGN_OR_RAISE(
        n, CallFunction("max_element_wise", {n, Datum(std::make_shared<arrow::Int64Scalar>(0))}));
    return CallFunction("binary_repeat", {s, n});
  };
  return def;
}

}  // namespace

std::vector<ScalarFunctionDef> string_functions() {
  std::vector<ScalarFunctionDef> out;
  out.push_back(text_to_text("upper", "utf8_upper"));
  out.push_back(text_to_text("lower", "utf8_lower"));
  out.push_back(text_to_text("reverse", "utf8_reverse"));
  out.push_back(text_to_text("initcap", "utf8_title"));
  out.push_back(text_measure("length", "utf8_length"));
  out.push_back(text_measure("char_length", "utf8_length"));
  out.push_back(text_measure("character_length", "utf8_length"));
  out.push_back(text_measure("octet_length", "binary_length"));
  out.push_back(trim_function("trim", "utf8_trim"));
  out.push_back(trim_function("btrim", "utf8_trim"));
  out.push_back(trim_function("ltrim", "utf8_ltrim"));
  out.push_back(trim_function("rtrim", "utf8_rtrim"));
  out.push_back(concat_function());
  out.push_back(concat_ws_function());
  out.push_back(replace_function());
  out.push_back(affix_function("starts_with", "starts_with"));
  out.push_back(affix_function("ends_with", "ends_with"));
  out.push_back(regexp_replace_function());
  out.push_back(regexp_like_function());
  out.push_back(repeat_function());
  return out;
}

}  // namespace quiver::functions
