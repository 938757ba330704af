#include "sqllogictest/slt_format.h"

#include <arrow/array/array_decimal.h>
#include <arrow/compute/exec.h>
#include <arrow/scalar.h>
#include <arrow/util/checked_cast.h>
#include <arrow/util/float16.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace quiver::slt {
namespace {

using arrow::internal::checked_cast;

constexpr int kFractionDigits = 12;
constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr int64_t kSecondsPerDay = 86'400;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

/// Converts days since 1970-01-01 into a proleptic Gregorian year, month and day.
void civil_from_days(int64_t days, int64_t* year, int* month, int* day) {
  const int64_t shifted = days + 719'468;  // Days since 0000-03-01.
  const int64_t era = floor_div(shifted, 146'097);
  const int64_t day_of_era = shifted - era * 146'097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1'460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;  // March is 0.
  *day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  *month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  *year = year_of_era + era * 400 + (*month <= 2 ? 1 : 0);
}

std::string format_date(int64_t days) {
  int64_t year;
  int month;
  int day;
  civil_from_days(days, &year, &month, &day);
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%04lld-%02d-%02d", static_cast<long long>(year), month,
                day);
  return buffer;
}

/// Renders nanoseconds since midnight as `HH:MM:SS` plus `.fff`, `.ffffff` or `.fffffffff` when
/// the sub-second part is not zero.
std::string format_time_of_day(int64_t nanos) {
  const int64_t seconds = nanos / kNanosPerSecond;
  const int64_t fraction = nanos % kNanosPerSecond;
  char buffer[48];
  std::snprintf(buffer, sizeof(buffer), "%02lld:%02lld:%02lld",
                static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                static_cast<long long>(seconds % 60));
  std::string out = buffer;
  if (fraction != 0) {
    if (fraction % 1'000'000 == 0) {
      std::snprintf(buffer, sizeof(buffer), ".%03lld",
                    static_cast<long long>(fraction / 1'000'000));
    } else if (fraction % 1'000 == 0) {
      std::snprintf(buffer, sizeof(buffer), ".%06lld", static_cast<long long>(fraction / 1'000));
    } else {
      std::snprintf(buffer, sizeof(buffer), ".%09lld", static_cast<long long>(fraction));
    }
    out += buffer;
  }
  return out;
}

int64_t units_per_second(arrow::TimeUnit::type unit) {
  switch (unit) {
    case arrow::TimeUnit::SECOND:
      return 1;
    case arrow::TimeUnit::MILLI:
      return 1'000;
    case arrow::TimeUnit::MICRO:
      return 1'000'000;
    case arrow::TimeUnit::NANO:
      return kNanosPerSecond;
  }
  return 1;
}

/// Renders a wall-clock timestamp (`value` units since the epoch) as `YYYY-MM-DDTHH:MM:SS[.f]`.
std::string format_naive_timestamp(int64_t value, arrow::TimeUnit::type unit) {
  const int64_t per_second = units_per_second(unit);
  const int64_t per_day = per_second * kSecondsPerDay;
  const int64_t days = floor_div(value, per_day);
  const int64_t nanos = (value - days * per_day) * (kNanosPerSecond / per_second);
  return format_date(days) + "T" + format_time_of_day(nanos);
}

std::string format_utc_offset(int64_t offset_seconds) {
  if (offset_seconds == 0) return "Z";
  const char sign = offset_seconds < 0 ? '-' : '+';
  const int64_t magnitude = std::llabs(offset_seconds);
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%c%02lld:%02lld", sign,
                static_cast<long long>(magnitude / 3600),
                static_cast<long long>(magnitude / 60 % 60));
  return buffer;
}

/// Renders a timestamp: wall-clock time in its time zone followed by the UTC offset (`Z` for 0).
arrow::Result<std::string> format_timestamp(const arrow::TimestampArray& array, int64_t index) {
  const auto& type = checked_cast<const arrow::TimestampType&>(*array.type());
  const int64_t value = array.Value(index);
  if (type.timezone().empty()) return format_naive_timestamp(value, type.unit());
  ARROW_ASSIGN_OR_RAISE(auto local,
                        arrow::compute::CallFunction("local_timestamp", {array.Slice(index, 1)}));
  const auto local_array_ptr = local.make_array();
  const auto& local_array = checked_cast<const arrow::TimestampArray&>(*local_array_ptr);
  const int64_t local_value = local_array.Value(0);
  const int64_t offset_seconds = (local_value - value) / units_per_second(type.unit());
  return format_naive_timestamp(local_value, type.unit()) + format_utc_offset(offset_seconds);
}

std::string format_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0xF];
  }
  return out;
}

template <typename ListArrayType>
arrow::Result<std::string> format_list(const ListArrayType& array, int64_t index);
arrow::Result<std::string> format_struct(const arrow::StructArray& array, int64_t index);
arrow::Result<std::string> format_map(const arrow::MapArray& array, int64_t index);

/// Renders one value. Nested values are rendered without the `(empty)` marker for "".
arrow::Result<std::string> format_any(const arrow::Array& array, int64_t index, bool top_level) {
  if (array.IsNull(index)) return std::string("NULL");
  switch (array.type_id()) {
    case arrow::Type::NA:
      return std::string("NULL");
    case arrow::Type::BOOL:
      return std::string(checked_cast<const arrow::BooleanArray&>(array).Value(index) ? "true"
                                                                                      : "false");
    case arrow::Type::INT8:
      return std::to_string(checked_cast<const arrow::Int8Array&>(array).Value(index));
    case arrow::Type::INT16:
      return std::to_string(checked_cast<const arrow::Int16Array&>(array).Value(index));
    case arrow::Type::INT32:
      return std::to_string(checked_cast<const arrow::Int32Array&>(array).Value(index));
    case arrow::Type::INT64:
      return std::to_string(checked_cast<const arrow::Int64Array&>(array).Value(index));
    case arrow::Type::UINT8:
      return std::to_string(checked_cast<const arrow::UInt8Array&>(array).Value(index));
    case arrow::Type::UINT16:
      return std::to_string(checked_cast<const arrow::UInt16Array&>(array).Value(index));
    case arrow::Type::UINT32:
      return std::to_string(checked_cast<const arrow::UInt32Array&>(array).Value(index));
    case arrow::Type::UINT64:
      return std::to_string(checked_cast<const arrow::UInt64Array&>(array).Value(index));
    case arrow::Type::HALF_FLOAT: {
      const uint16_t bits = checked_cast<const arrow::HalfFloatArray&>(array).Value(index);
      return format_float(arrow::util::Float16::FromBits(bits).ToFloat());
    }
    case arrow::Type::FLOAT:
      return format_float(checked_cast<const arrow::FloatArray&>(array).Value(index));
    case arrow::Type::DOUBLE:
      return format_double(checked_cast<const arrow::DoubleArray&>(array).Value(index));
    case arrow::Type::DECIMAL32:
      return format_decimal_text(
          checked_cast<const arrow::Decimal32Array&>(array).FormatValue(index));
    case arrow::Type::DECIMAL64:
      return format_decimal_text(
          checked_cast<const arrow::Decimal64Array&>(array).FormatValue(index));
    case arrow::Type::DECIMAL128:
      return format_decimal_text(
          checked_cast<const arrow::Decimal128Array&>(array).FormatValue(index));
    case arrow::Type::DECIMAL256:
      return format_decimal_text(
          checked_cast<const arrow::Decimal256Array&>(array).FormatValue(index));
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::STRING_VIEW: {
      std::string text;
      if (array.type_id() == arrow::Type::STRING) {
        text = checked_cast<const arrow::StringArray&>(array).GetString(index);
      } else if (array.type_id() == arrow::Type::LARGE_STRING) {
        text = checked_cast<const arrow::LargeStringArray&>(array).GetString(index);
      } else {
        text = checked_cast<const arrow::StringViewArray&>(array).GetString(index);
      }
      if (text.empty() && top_level) return std::string("(empty)");
      return text;
    }
    case arrow::Type::BINARY:
      return format_hex(checked_cast<const arrow::BinaryArray&>(array).GetView(index));
    case arrow::Type::LARGE_BINARY:
      return format_hex(checked_cast<const arrow::LargeBinaryArray&>(array).GetView(index));
    case arrow::Type::BINARY_VIEW:
      return format_hex(checked_cast<const arrow::BinaryViewArray&>(array).GetView(index));
    case arrow::Type::FIXED_SIZE_BINARY:
      return format_hex(checked_cast<const arrow::FixedSizeBinaryArray&>(array).GetView(index));
    case arrow::Type::DATE32:
      return format_date(checked_cast<const arrow::Date32Array&>(array).Value(index));
    case arrow::Type::DATE64:
      return format_date(floor_div(checked_cast<const arrow::Date64Array&>(array).Value(index),
                                   kSecondsPerDay * 1'000));
    case arrow::Type::TIME32: {
      const auto& type = checked_cast<const arrow::Time32Type&>(*array.type());
      const int64_t value = checked_cast<const arrow::Time32Array&>(array).Value(index);
      return format_time_of_day(value * (kNanosPerSecond / units_per_second(type.unit())));
    }
    case arrow::Type::TIME64: {
      const auto& type = checked_cast<const arrow::Time64Type&>(*array.type());
      const int64_t value = checked_cast<const arrow::Time64Array&>(array).Value(index);
      return format_time_of_day(value * (kNanosPerSecond / units_per_second(type.unit())));
    }
    case arrow::Type::TIMESTAMP:
      return format_timestamp(checked_cast<const arrow::TimestampArray&>(array), index);
    case arrow::Type::LIST:
      return format_list(checked_cast<const arrow::ListArray&>(array), index);
    case arrow::Type::LARGE_LIST:
      return format_list(checked_cast<const arrow::LargeListArray&>(array), index);
    case arrow::Type::FIXED_SIZE_LIST:
      return format_list(checked_cast<const arrow::FixedSizeListArray&>(array), index);
    case arrow::Type::STRUCT:
      return format_struct(checked_cast<const arrow::StructArray&>(array), index);
    case arrow::Type::MAP:
      return format_map(checked_cast<const arrow::MapArray&>(array), index);
    case arrow::Type::DICTIONARY: {
      const auto& dictionary_array = checked_cast<const arrow::DictionaryArray&>(array);
      return format_any(*dictionary_array.dictionary(), dictionary_array.GetValueIndex(index),
                        top_level);
    }
    case arrow::Type::EXTENSION:
      return format_any(*checked_cast<const arrow::ExtensionArray&>(array).storage(), index,
                        top_level);
    default: {
      ARROW_ASSIGN_OR_RAISE(auto scalar, array.GetScalar(index));
      return scalar->ToString();
    }
  }
}

template <typename ListArrayType>
arrow::Result<std::string> format_list(const ListArrayType& array, int64_t index) {
  const auto values = array.values();
  const int64_t begin = array.value_offset(index);
  const int64_t end = begin + array.value_length(index);
  std::string out = "[";
  for (int64_t i = begin; i < end; ++i) {
    if (i > begin) out += ", ";
    ARROW_ASSIGN_OR_RAISE(auto cell, format_any(*values, i, /*top_level=*/false));
    out += cell;
  }
  return out + "]";
}

arrow::Result<std::string> format_struct(const arrow::StructArray& array, int64_t index) {
  const auto& type = *array.struct_type();
  std::string out = "{";
  for (int i = 0; i < type.num_fields(); ++i) {
    if (i > 0) out += ", ";
    // field(i) applies the struct's offset, so the index is the struct's own.
    ARROW_ASSIGN_OR_RAISE(auto cell, format_any(*array.field(i), index, /*top_level=*/false));
    out += type.field(i)->name() + ": " + cell;
  }
  return out + "}";
}

arrow::Result<std::string> format_map(const arrow::MapArray& array, int64_t index) {
  const auto keys = array.keys();
  const auto items = array.items();
  const int64_t begin = array.value_offset(index);
  const int64_t end = begin + array.value_length(index);
  std::string out = "{";
  for (int64_t i = begin; i < end; ++i) {
    if (i > begin) out += ", ";
    ARROW_ASSIGN_OR_RAISE(auto key, format_any(*keys, i, /*top_level=*/false));
    ARROW_ASSIGN_OR_RAISE(auto item, format_any(*items, i, /*top_level=*/false));
    out += key + ": " + item;
  }
  return out + "}";
}

/// Returns true if `text` looks like `[-+]digits[.digits][(e|E)[-+]digits]`.
bool split_decimal(std::string_view text, bool* negative, std::string* digits, int64_t* point) {
  size_t pos = 0;
  *negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    *negative = text[pos] == '-';
    ++pos;
  }
  digits->clear();
  int64_t integer_digits = -1;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c >= '0' && c <= '9') {
      *digits += c;
    } else if (c == '.' && integer_digits < 0) {
      integer_digits = static_cast<int64_t>(digits->size());
    } else {
      break;
    }
  }
  if (digits->empty()) return false;
  if (integer_digits < 0) integer_digits = static_cast<int64_t>(digits->size());
  int64_t exponent = 0;
  if (pos < text.size()) {
    if (text[pos] != 'e' && text[pos] != 'E') return false;
    ++pos;
    if (pos < text.size() && text[pos] == '+') ++pos;
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), exponent);
    if (ec != std::errc() || end != text.data() + text.size()) return false;
  }
  *point = integer_digits + exponent;
  return true;
}

}  // namespace

std::string format_decimal_text(std::string_view text) {
  bool negative;
  std::string digits;
  int64_t point;  // Position of the decimal point within `digits`.
  if (!split_decimal(text, &negative, &digits, &point)) return std::string(text);
  // Pad so that the point falls inside the digits and at least one integer digit exists.
  if (point <= 0) {
    digits.insert(0, static_cast<size_t>(1 - point), '0');
    point = 1;
  }
  if (point > static_cast<int64_t>(digits.size())) digits.append(point - digits.size(), '0');
  std::string integer = digits.substr(0, point);
  std::string fraction = digits.substr(point);
  if (fraction.size() > kFractionDigits) {
    const char first_dropped = fraction[kFractionDigits];
    const bool rest_nonzero =
        fraction.find_first_not_of('0', kFractionDigits + 1) != std::string::npos;
    fraction.resize(kFractionDigits);
    const char last_kept = fraction.empty() ? integer.back() : fraction.back();
    const bool round_up = first_dropped > '5' ||
                          (first_dropped == '5' && (rest_nonzero || (last_kept - '0') % 2 == 1));
    if (round_up) {
      std::string all = integer + fraction;
      int64_t i = static_cast<int64_t>(all.size()) - 1;
      for (; i >= 0 && all[i] == '9'; --i) all[i] = '0';
      if (i >= 0) {
        ++all[i];
      } else {
        all.insert(0, 1, '1');
      }
      integer = all.substr(0, all.size() - fraction.size());
      fraction = all.substr(all.size() - fraction.size());
    }
  }
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  const auto first_nonzero = integer.find_first_not_of('0');
  integer = first_nonzero == std::string::npos ? "0" : integer.substr(first_nonzero);
  const bool is_zero = integer == "0" && fraction.empty();
  std::string out = (negative && !is_zero) ? "-" : "";
  out += integer;
  if (!fraction.empty()) out += "." + fraction;
  return out;
}

std::string format_double(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[400];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  return format_decimal_text(std::string_view(buffer, result.ptr - buffer));
}

std::string format_float(float value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[100];
  const auto result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::fixed);
  return format_decimal_text(std::string_view(buffer, result.ptr - buffer));
}

arrow::Result<std::string> format_value(const arrow::Array& array, int64_t index) {
  if (index < 0 || index >= array.length()) {
    return arrow::Status::IndexError("row ", index, " out of range for an array of length ",
                                     array.length());
  }
  return format_any(array, index, /*top_level=*/true);
}

arrow::Result<std::vector<Row>> format_table(const arrow::Table& table) {
  const int num_columns = table.num_columns();
  std::vector<Row> rows(static_cast<size_t>(table.num_rows()), Row(num_columns));
  for (int column = 0; column < num_columns; ++column) {
    size_t row = 0;
    for (const auto& chunk : table.column(column)->chunks()) {
      for (int64_t i = 0; i < chunk->length(); ++i, ++row) {
        ARROW_ASSIGN_OR_RAISE(rows[row][column], format_any(*chunk, i, /*top_level=*/true));
      }
    }
  }
  return rows;
}

std::string join_row(const Row& row) {
  std::string out;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) out += ' ';
    out += row[i];
  }
  const auto end = out.find_last_not_of(" \t\r\n");
  out.resize(end == std::string::npos ? 0 : end + 1);
  return out;
}

}  // namespace quiver::slt
