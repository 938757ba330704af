// Date and time functions: date_trunc, date_part (and datepart), to_date, to_timestamp, now,
// current_timestamp, current_date, make_date. Timestamps without a time zone are read as UTC.

#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/row_arguments.h"
#include "quiver/functions/signature.h"
#include "quiver/physical/expr/cast_expr.h"

namespace quiver::functions {

namespace {

using arrow::Datum;
using arrow::compute::CallFunction;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Timestamps keep their type; dates become Timestamp(Nanosecond, None).
std::shared_ptr<arrow::DataType> as_timestamp(const arrow::DataType& type) {
  if (type.id() == arrow::Type::TIMESTAMP) return type.GetSharedPtr();
  return arrow::timestamp(arrow::TimeUnit::NANO);
}

arrow::Result<arrow::compute::CalendarUnit> trunc_unit(const std::string& text) {
  using arrow::compute::CalendarUnit;
  static const std::map<std::string, CalendarUnit> kUnits = {
      {"microsecond", CalendarUnit::MICROSECOND},
      {"microseconds", CalendarUnit::MICROSECOND},
      {"millisecond", CalendarUnit::MILLISECOND},
      {"milliseconds", CalendarUnit::MILLISECOND},
      {"second", CalendarUnit::SECOND},
      {"minute", CalendarUnit::MINUTE},
      {"hour", CalendarUnit::HOUR},
      {"day", CalendarUnit::DAY},
      {"week", CalendarUnit::WEEK},
      {"month", CalendarUnit::MONTH},
      {"quarter", CalendarUnit::QUARTER},
      {"year", CalendarUnit::YEAR}};
  auto it = kUnits.find(lower(text));
  if (it == kUnits.end()) {
    return arrow::Status::Invalid("date_trunc: unsupported unit '", text,
                                  "' (expected year, quarter, month, week, day, hour, minute, "
                                  "second, millisecond or microsecond)");
  }
  return it->second;
}

ScalarFunctionDef date_trunc_function() {
  ScalarFunctionDef def;
  def.name = "date_trunc";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a unit string and a date or timestamp";
    ARROW_RETURN_NOT_OK(check_arity("date_trunc", types, 2, 2, kExpected));
    if (!fits_text(*types[0]) || !fits_datetime(*types[1])) {
      return unsupported_call("date_trunc", types, kExpected);
    }
    return as_timestamp(*types[1]);
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    auto type = as_timestamp(*args[1].type());
    ARROW_ASSIGN_OR_RAISE(Datum ts, cast_arg(args[1], type));
    ARROW_ASSIGN_OR_RAISE(auto unit_text, constant_text("date_trunc", "unit", args[0]));
    if (!unit_text) return null_result(type, ts.is_scalar(), num_rows);
    ARROW_ASSIGN_OR_RAISE(auto unit, trunc_unit(*unit_text));
    arrow::compute::RoundTemporalOptions options(1, unit, /*week_starts_monday=*/true);
    return CallFunction("floor_temporal", {ts}, &options);
  };
  return def;
}

// The seconds field with its fraction as a whole number of 1/`per_second` units (DuckDB's
// millisecond and microsecond parts: 01.5 s gives 1500 milliseconds).
arrow::Result<Datum> scaled_seconds(const Datum& ts, int64_t per_second) {
  auto component = [&ts](const char* name, int64_t factor) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum v, CallFunction(name, {ts}));
    ARROW_ASSIGN_OR_RAISE(v, cast_arg(v, arrow::int64()));
    return CallFunction("multiply", {v, Datum(factor)});
  };
  ARROW_ASSIGN_OR_RAISE(Datum total, component("second", 1000000000));
  ARROW_ASSIGN_OR_RAISE(Datum ms, component("millisecond", 1000000));
  ARROW_ASSIGN_OR_RAISE(Datum us, component("microsecond", 1000));
  ARROW_ASSIGN_OR_RAISE(Datum ns, component("nanosecond", 1));
  for (const Datum& part : {ms, us, ns}) {
    ARROW_ASSIGN_OR_RAISE(total, CallFunction("add", {total, part}));
  }
  return CallFunction("divide", {total, Datum(int64_t{1000000000} / per_second)});
}

arrow::Result<Datum> epoch_seconds(const Datum& ts) {
  const auto& type = static_cast<const arrow::TimestampType&>(*ts.type());
  double per_second = 1;
  switch (type.unit()) {
    case arrow::TimeUnit::SECOND:
      per_second = 1;
      break;
    case arrow::TimeUnit::MILLI:
      per_second = 1e3;
      break;
    case arrow::TimeUnit::MICRO:
      per_second = 1e6;
      break;
    case arrow::TimeUnit::NANO:
      per_second = 1e9;
      break;
  }
  ARROW_ASSIGN_OR_RAISE(Datum raw, cast_arg(ts, arrow::int64()));
  ARROW_ASSIGN_OR_RAISE(raw, cast_arg(raw, arrow::float64()));
  return CallFunction("divide", {raw, Datum(std::make_shared<arrow::DoubleScalar>(per_second))});
}

arrow::Result<Datum> extract_part(const std::string& part, const Datum& ts) {
  const std::string p = lower(part);
  Datum component;
  if (p == "year" || p == "years") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("year", {ts}));
  } else if (p == "quarter") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("quarter", {ts}));
  } else if (p == "month" || p == "months") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("month", {ts}));
  } else if (p == "week" || p == "weeks") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("iso_week", {ts}));
  } else if (p == "day" || p == "days") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("day", {ts}));
  } else if (p == "dow") {
    arrow::compute::DayOfWeekOptions sunday_zero(/*count_from_zero=*/true, /*week_start=*/7);
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("day_of_week", {ts}, &sunday_zero));
  } else if (p == "isodow") {
    arrow::compute::DayOfWeekOptions monday_one(/*count_from_zero=*/false, /*week_start=*/1);
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("day_of_week", {ts}, &monday_one));
  } else if (p == "doy") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("day_of_year", {ts}));
  } else if (p == "hour" || p == "hours") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("hour", {ts}));
  } else if (p == "minute" || p == "minutes") {
    ARROW_ASSIGN_OR_RAISE(component, CallFunction("minute", {ts}));
  } else if (p == "second" || p == "seconds") {
    return scaled_seconds(ts, 1);
  } else if (p == "millisecond" || p == "milliseconds") {
    return scaled_seconds(ts, 1000);
  } else if (p == "microsecond" || p == "microseconds") {
    return scaled_seconds(ts, 1000000);
  } else if (p == "nanosecond" || p == "nanoseconds") {
    return scaled_seconds(ts, 1000000000);
  } else if (p == "epoch") {
    // Whole seconds (rounded down) to keep one Int64 result type; epoch(x) keeps the fraction.
    ARROW_ASSIGN_OR_RAISE(Datum seconds, epoch_seconds(ts));
    ARROW_ASSIGN_OR_RAISE(seconds, CallFunction("floor", {seconds}));
    return cast_arg(seconds, arrow::int64());
  } else {
    return arrow::Status::Invalid("date_part: unsupported part '", part, "'");
  }
  return cast_arg(component, arrow::int64());
}

ScalarFunctionDef date_part_function(std::string name) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a part string and a date or timestamp";
    ARROW_RETURN_NOT_OK(check_arity(name, types, 2, 2, kExpected));
    if (!fits_text(*types[0]) || !fits_datetime(*types[1])) {
      return unsupported_call(name, types, kExpected);
    }
    return arrow::int64();
  };
  def.invoke = [name](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum ts, cast_arg(args[1], as_timestamp(*args[1].type())));
    ARROW_ASSIGN_OR_RAISE(auto part, constant_text(name, "part", args[0]));
    if (!part) return null_result(arrow::int64(), ts.is_scalar(), num_rows);
    return extract_part(*part, ts);
  };
  return def;
}

// epoch(x): seconds since 1970-01-01 00:00:00 UTC with their fraction, as Float64 (DuckDB's).
ScalarFunctionDef epoch_function() {
  ScalarFunctionDef def;
  def.name = "epoch";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a date or timestamp";
    ARROW_RETURN_NOT_OK(check_arity("epoch", types, 1, 1, kExpected));
    if (!fits_datetime(*types[0])) return unsupported_call("epoch", types, kExpected);
    return arrow::float64();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(Datum ts, cast_arg(args[0], as_timestamp(*args[0].type())));
    return epoch_seconds(ts);
  };
  return def;
}

// to_date / to_timestamp: text is parsed (ISO 8601, or an strptime format given as the second
// argument); dates and timestamps are converted.
ScalarFunctionDef parse_function(std::string name, std::shared_ptr<arrow::DataType> target) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name,
       target](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "a string (and optional format), a date or a timestamp";
    ARROW_RETURN_NOT_OK(check_arity(name, types, 1, 2, kExpected));
    if (!(fits_text(*types[0]) || fits_datetime(*types[0])) ||
        (types.size() == 2 && (!fits_text(*types[0]) || !fits_text(*types[1])))) {
      return unsupported_call(name, types, kExpected);
    }
    return target;
  };
  def.invoke = [name, target](const std::vector<Datum>& args,
                              int64_t num_rows) -> arrow::Result<Datum> {
    Datum value = args[0];
    if (args.size() == 2) {
      ARROW_ASSIGN_OR_RAISE(auto format, constant_text(name, "format", args[1]));
      if (!format) return null_result(target, value.is_scalar(), num_rows);
      ARROW_ASSIGN_OR_RAISE(value, cast_arg(value, arrow::utf8()));
      arrow::compute::StrptimeOptions options(*format, arrow::TimeUnit::NANO,
                                              /*error_is_null=*/false);
      auto parsed = CallFunction("strptime", {value}, &options);
      if (!parsed.ok()) {
        return arrow::Status::Invalid(name, ": ", parsed.status().message());
      }
      value = *parsed;
    }
    auto cast = arrow::compute::Cast(value, physical::sql_cast_options(target));
    if (!cast.ok()) return arrow::Status::Invalid(name, ": ", cast.status().message());
    return cast;
  };
  return def;
}

ScalarFunctionDef now_function(std::string name) {
  ScalarFunctionDef def;
  def.name = name;
  def.return_type =
      [name](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity(name, types, 0, 0, "no arguments"));
    return arrow::timestamp(arrow::TimeUnit::NANO, "+00:00");
  };
  def.invoke = [](const std::vector<Datum>&, int64_t) -> arrow::Result<Datum> {
    auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    return Datum(std::make_shared<arrow::TimestampScalar>(
        now, arrow::timestamp(arrow::TimeUnit::NANO, "+00:00")));
  };
  return def;
}

ScalarFunctionDef current_date_function() {
  ScalarFunctionDef def;
  def.name = "current_date";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_arity("current_date", types, 0, 0, "no arguments"));
    return arrow::date32();
  };
  def.invoke = [](const std::vector<Datum>&, int64_t) -> arrow::Result<Datum> {
    auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    return Datum(std::make_shared<arrow::Date32Scalar>(
        static_cast<int32_t>(today.time_since_epoch().count())));
  };
  return def;
}

ScalarFunctionDef make_date_function() {
  ScalarFunctionDef def;
  def.name = "make_date";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    constexpr const char* kExpected = "(year, month, day) integers";
    ARROW_RETURN_NOT_OK(check_arity("make_date", types, 3, 3, kExpected));
    for (const auto& t : types) {
      if (!fits_integer(*t)) return unsupported_call("make_date", types, kExpected);
    }
    return arrow::date32();
  };
  def.invoke = [](const std::vector<Datum>& args, int64_t num_rows) -> arrow::Result<Datum> {
    ARROW_ASSIGN_OR_RAISE(auto y, IntegerArgument::make(args[0]));
    ARROW_ASSIGN_OR_RAISE(auto m, IntegerArgument::make(args[1]));
    ARROW_ASSIGN_OR_RAISE(auto d, IntegerArgument::make(args[2]));
    const int64_t n = rows_to_compute(args, num_rows);
    arrow::Date32Builder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(n));
    for (int64_t i = 0; i < n; ++i) {
      if (y.is_null(i) || m.is_null(i) || d.is_null(i)) {
        builder.UnsafeAppendNull();
        continue;
      }
      using namespace std::chrono;
      const int64_t yy = y.value(i);
      const int64_t mm = m.value(i);
      const int64_t dd = d.value(i);
      year_month_day ymd{year(static_cast<int>(std::clamp<int64_t>(yy, -32767, 32767))),
                         month(static_cast<unsigned>(std::clamp<int64_t>(mm, 0, 255))),
                         day(static_cast<unsigned>(std::clamp<int64_t>(dd, 0, 255)))};
      if (yy < -32767 || yy > 32767 || !ymd.ok()) {
        return arrow::Status::Invalid("make_date: invalid date ", yy, "-", mm, "-", dd);
      }
      builder.UnsafeAppend(static_cast<int32_t>(sys_days{ymd}.time_since_epoch().count()));
    }
    return finish_rows(builder, args);
  };
  return def;
}

}  // namespace

std::vector<ScalarFunctionDef> datetime_functions() {
  std::vector<ScalarFunctionDef> out;
  out.push_back(date_trunc_function());
  out.push_back(date_part_function("date_part"));
  out.push_back(date_part_function("datepart"));
  out.push_back(epoch_function());
  out.push_back(parse_function("to_date", arrow::date32()));
  out.push_back(parse_function("to_timestamp", arrow::timestamp(arrow::TimeUnit::NANO)));
  out.push_back(now_function("now"));
  out.push_back(now_function("current_timestamp"));
  out.push_back(current_date_function());
  out.push_back(make_date_function());
  return out;
}

}  // namespace quiver::functions
