#include "quiver/sql/interval_literal.h"

#include <arrow/scalar.h>
#include <pg_query/pg_query.pb.h>

#include <cctype>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "quiver/logical/expr_type.h"

namespace quiver::sql {

namespace {

// PostgreSQL's field bits (datetime.h): INTERVAL_MASK(field) = 1 << field.
constexpr int32_t kMonthBit = 1 << 1;
constexpr int32_t kYearBit = 1 << 2;
constexpr int32_t kDayBit = 1 << 3;
constexpr int32_t kHourBit = 1 << 10;
constexpr int32_t kMinuteBit = 1 << 11;
constexpr int32_t kSecondBit = 1 << 12;
constexpr int32_t kFullRange = 0x7FFF;

constexpr int64_t kNanosPerSecond = 1000000000LL;
constexpr int64_t kNanosPerDay = 86400LL * kNanosPerSecond;

enum class Unit { kYear, kMonth, kWeek, kDay, kHour, kMinute, kSecond, kMilli, kMicro };

std::optional<Unit> unit_named(std::string word) {
  for (auto& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (word.size() > 1 && word.back() == 's' && word != "ms" && word != "us") word.pop_back();
  if (word == "year" || word == "y" || word == "yr") return Unit::kYear;
  if (word == "month" || word == "mon") return Unit::kMonth;
  if (word == "week" || word == "w") return Unit::kWeek;
  if (word == "day" || word == "d") return Unit::kDay;
  if (word == "hour" || word == "h" || word == "hr") return Unit::kHour;
  if (word == "minute" || word == "min" || word == "m") return Unit::kMinute;
  if (word == "second" || word == "sec" || word == "s") return Unit::kSecond;
  if (word == "millisecond" || word == "m" || word == "ms" || word == "msec") return Unit::kMilli;
  if (word == "microsecond" || word == "us" || word == "usec") return Unit::kMicro;
  return std::nullopt;
}

// The unit a bare number is counted in under a qualifier: its last (smallest) field.
Unit bare_number_unit(int32_t mask) {
  if (mask == 0 || mask == kFullRange) return Unit::kSecond;
  if (mask & kSecondBit) return Unit::kSecond;
  if (mask & kMinuteBit) return Unit::kMinute;
  if (mask & kHourBit) return Unit::kHour;
  if (mask & kDayBit) return Unit::kDay;
  if (mask & kMonthBit) return Unit::kMonth;
  if (mask & kYearBit) return Unit::kYear;
  return Unit::kSecond;
}

struct Accumulator {
  double months = 0;  // whole months are exact in a double far beyond any real interval
  double days = 0;
  long double nanos = 0;

  void add(double amount, Unit unit) {
    switch (unit) {
      case Unit::kYear:
        months += amount * 12;
        break;
      case Unit::kMonth:
        months += amount;
        break;
      case Unit::kWeek:
        days += amount * 7;
        break;
      case Unit::kDay:
        days += amount;
        break;
      case Unit::kHour:
        nanos += static_cast<long double>(amount) * 3600 * kNanosPerSecond;
        break;
      case Unit::kMinute:
        nanos += static_cast<long double>(amount) * 60 * kNanosPerSecond;
        break;
      case Unit::kSecond:
        nanos += static_cast<long double>(amount) * kNanosPerSecond;
        break;
      case Unit::kMilli:
        nanos += static_cast<long double>(amount) * 1000000;
        break;
      case Unit::kMicro:
        nanos += static_cast<long double>(amount) * 1000;
        break;
    }
  }

  // Fractional months spill into 30-day days, fractional days into time (PostgreSQL's rule).
  arrow::MonthDayNanoIntervalType::MonthDayNanos finish(bool negate) const {
    const double whole_months = std::trunc(months);
    const double all_days = days + (months - whole_months) * 30;
    const double whole_days = std::trunc(all_days);
    const long double all_nanos =
        nanos + static_cast<long double>(all_days - whole_days) * kNanosPerDay;
    arrow::MonthDayNanoIntervalType::MonthDayNanos out;
    out.months = static_cast<int32_t>(whole_months);
    out.days = static_cast<int32_t>(whole_days);
    out.nanoseconds = static_cast<int64_t>(std::llround(all_nanos));
    if (negate) {
      out.months = -out.months;
      out.days = -out.days;
      out.nanoseconds = -out.nanoseconds;
    }
    return out;
  }
};

std::optional<double> parse_number(const std::string& token) {
  if (token.empty()) return std::nullopt;
  size_t used = 0;
  try {
    const double v = std::stod(token, &used);
    if (used != token.size()) return std::nullopt;
    return v;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// `[-]hh:mm[:ss[.fff]]` added to `acc`; false when `token` is not a time.
bool add_time(const std::string& token, Accumulator* acc) {
  std::string body = token;
  double sign = 1;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    sign = body[0] == '-' ? -1 : 1;
    body.erase(0, 1);
  }
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; (colon = body.find(':', start)) != std::string::npos; start = colon + 1) {
    parts.push_back(body.substr(start, colon - start));
  }
  parts.push_back(body.substr(start));
  if (parts.size() < 2 || parts.size() > 3) return false;
  const Unit units[] = {Unit::kHour, Unit::kMinute, Unit::kSecond};
  for (size_t i = 0; i < parts.size(); ++i) {
    auto v = parse_number(parts[i]);
    if (!v || *v < 0) return false;
    acc->add(sign * *v, units[i]);
  }
  return true;
}

// `Y-M` (YEAR TO MONTH) added to `acc`; false when `token` is not one.
bool add_year_month(const std::string& token, Accumulator* acc) {
  const size_t dash = token.find('-', 1);
  if (dash == std::string::npos) return false;
  auto years = parse_number(token.substr(0, dash));
  auto months = parse_number(token.substr(dash + 1));
  if (!years || !months || *months < 0) return false;
  const double sign = *years < 0 || token[0] == '-' ? -1 : 1;
  acc->add(*years, Unit::kYear);
  acc->add(sign * *months, Unit::kMonth);
  return true;
}

arrow::Status bad_interval(std::string_view text, const std::string& why) {
  return arrow::Status::Invalid("invalid input syntax for type interval: \"", std::string(text),
                                "\" (", why, ")");
}

}  // namespace

arrow::Result<arrow::MonthDayNanoIntervalType::MonthDayNanos> parse_interval(std::string_view text,
                                                                             int32_t range_mask) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) tokens.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(std::move(current));
  if (!tokens.empty() && tokens.front() == "@") tokens.erase(tokens.begin());
  bool negate = false;
  if (!tokens.empty() && (tokens.back() == "ago" || tokens.back() == "AGO")) {
    negate = true;
    tokens.pop_back();
  }
  if (tokens.empty()) return bad_interval(text, "it is empty");
  Accumulator acc;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (token.find(':') != std::string::npos) {
      if (!add_time(token, &acc)) return bad_interval(text, "bad time " + token);
      continue;
    }
    // A number glued to its unit (`3days`) is split at the first letter.
    size_t letters = 0;
    while (letters < token.size() && !std::isalpha(static_cast<unsigned char>(token[letters]))) {
      ++letters;
    }
    std::string number = token.substr(0, letters);
    std::string unit_word = token.substr(letters);
    if (number.empty()) return bad_interval(text, "expected a number before " + token);
    if (unit_word.empty() && i + 1 < tokens.size() && unit_named(tokens[i + 1])) {
      unit_word = tokens[++i];
    }
    auto amount = parse_number(number);
    if (!amount) {
      if (unit_word.empty() && (range_mask & kYearBit) && (range_mask & kMonthBit) &&
          add_year_month(number, &acc)) {
        continue;
      }
      return bad_interval(text, "bad number " + number);
    }
    Unit unit = bare_number_unit(range_mask);
    if (!unit_word.empty()) {
      auto named = unit_named(unit_word);
      if (!named) return bad_interval(text, "unknown unit " + unit_word);
      unit = *named;
    }
    acc.add(*amount, unit);
  }
  if (std::abs(acc.months) > 2147483647.0 || std::abs(acc.days) > 2147483647.0) {
    return bad_interval(text, "out of range");
  }
  return acc.finish(negate);
}

bool is_interval_type_name(const pg_query::TypeName& name) {
  return name.names_size() > 0 && name.names(name.names_size() - 1).has_string() &&
         name.names(name.names_size() - 1).string().sval() == "interval" &&
         name.array_bounds_size() == 0;
}

arrow::Result<logical::ExprPtr> bind_interval_cast(const pg_query::TypeName& name,
                                                   const logical::ExprPtr& arg) {
  int32_t mask = 0;
  if (name.typmods_size() > 0 && name.typmods(0).has_a_const() &&
      name.typmods(0).a_const().has_ival()) {
    mask = name.typmods(0).a_const().ival().ival();
  }
  if (arg->kind == logical::ExprKind::kLiteral && arg->literal) {
    if (!arg->literal->is_valid) {
      return logical::lit(arrow::MakeNullScalar(arrow::month_day_nano_interval()));
    }
    if (logical::is_string_type(*arg->literal->type)) {
      const auto& text = static_cast<const arrow::BaseBinaryScalar&>(*arg->literal).view();
      ARROW_ASSIGN_OR_RAISE(auto value, parse_interval(text, mask));
      return logical::lit(std::make_shared<arrow::MonthDayNanoIntervalScalar>(value));
    }
    if (logical::is_integer_type(*arg->literal->type) ||
        arrow::is_decimal(arg->literal->type->id())) {
      ARROW_ASSIGN_OR_RAISE(auto value, parse_interval(arg->literal->ToString(), mask));
      return logical::lit(std::make_shared<arrow::MonthDayNanoIntervalScalar>(value));
    }
  }
  return arrow::Status::NotImplemented(
      "only INTERVAL literals are supported (INTERVAL '3 days', INTERVAL '3' MONTH), not a "
      "cast of ",
      arg->to_string(), " to interval");
}

}  // namespace quiver::sql
