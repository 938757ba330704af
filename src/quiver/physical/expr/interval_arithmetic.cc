#include "quiver/physical/expr/interval_arithmetic.h"

#include <arrow/array.h>
#include <arrow/array/util.h>
#include <arrow/builder.h>
#include <arrow/scalar.h>

#include <chrono>

namespace quiver::physical {

namespace {

struct IntervalParts {
  int64_t months = 0;
  int64_t days = 0;
  int64_t nanos = 0;
};

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Adds calendar months to a day number (days since 1970-01-01), clamping to the month's end.
int64_t add_months(int64_t day, int64_t months) {
  if (months == 0) return day;
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{day}}};
  ymd += std::chrono::months{months};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;
  return sys_days{ymd}.time_since_epoch().count();
}

IntervalParts interval_at(const arrow::Array& interval, int64_t i) {
  IntervalParts parts;
  switch (interval.type_id()) {
    case arrow::Type::INTERVAL_MONTH_DAY_NANO: {
      auto v = static_cast<const arrow::MonthDayNanoIntervalArray&>(interval).GetValue(i);
      parts = {v.months, v.days, v.nanoseconds};
      break;
    }
    case arrow::Type::INTERVAL_MONTHS:
      parts.months = static_cast<const arrow::MonthIntervalArray&>(interval).Value(i);
      break;
    case arrow::Type::INTERVAL_DAY_TIME: {
      auto v = static_cast<const arrow::DayTimeIntervalArray&>(interval).GetValue(i);
      parts.days = v.days;
      parts.nanos = static_cast<int64_t>(v.milliseconds) * 1000000;
      break;
    }
    default:
      break;
  }
  return parts;
}

int64_t units_per_second(arrow::TimeUnit::type unit) {
  switch (unit) {
    case arrow::TimeUnit::SECOND:
      return 1;
    case arrow::TimeUnit::MILLI:
      return 1000;
    case arrow::TimeUnit::MICRO:
      return 1000000;
    case arrow::TimeUnit::NANO:
      return 1000000000;
  }
  return 1;
}

// Applies an interval to a value counted in units of 1/`per_second` seconds since the epoch.
int64_t shift_instant(int64_t value, int64_t per_second, const IntervalParts& p) {
  const int64_t per_day = per_second * 86400;
  int64_t day = floor_div(value, per_day);
  int64_t time_of_day = value - day * per_day;
  day = add_months(day, p.months) + p.days;
  return day * per_day + time_of_day + p.nanos / (1000000000 / per_second);
}

int64_t shift_date(int64_t day, const IntervalParts& p) {
  return add_months(day, p.months) + p.days + floor_div(p.nanos, 86400LL * 1000000000);
}

arrow::Result<std::shared_ptr<arrow::Array>> to_array(const arrow::Datum& value, int64_t length) {
  if (value.is_scalar()) return arrow::MakeArrayFromScalar(*value.scalar(), length);
  return value.make_array();
}

template <typename ArrowType, typename Shift>
arrow::Result<std::shared_ptr<arrow::Array>> shift_all(const arrow::Array& temporal,
                                                       const arrow::Array& interval, bool subtract,
                                                       Shift shift) {
  using ArrayType = arrow::NumericArray<ArrowType>;
  const auto& values = static_cast<const ArrayType&>(temporal);
  arrow::NumericBuilder<ArrowType> builder(temporal.type(), arrow::default_memory_pool());
  ARROW_RETURN_NOT_OK(builder.Reserve(temporal.length()));
  for (int64_t i = 0; i < temporal.length(); ++i) {
    if (values.IsNull(i) || interval.IsNull(i)) {
      builder.UnsafeAppendNull();
      continue;
    }
    IntervalParts p = interval_at(interval, i);
    if (subtract) p = {-p.months, -p.days, -p.nanos};
    builder.UnsafeAppend(static_cast<typename ArrowType::c_type>(shift(values.Value(i), p)));
  }
  std::shared_ptr<arrow::Array> out;
  ARROW_RETURN_NOT_OK(builder.Finish(&out));
  return out;
}

}  // namespace

bool is_interval_type(const arrow::DataType& type) {
  return type.id() == arrow::Type::INTERVAL_MONTH_DAY_NANO ||
         type.id() == arrow::Type::INTERVAL_MONTHS || type.id() == arrow::Type::INTERVAL_DAY_TIME;
}

bool is_calendar_type(const arrow::DataType& type) {
  return type.id() == arrow::Type::DATE32 || type.id() == arrow::Type::DATE64 ||
         type.id() == arrow::Type::TIMESTAMP;
}

arrow::Result<arrow::Datum> add_interval(const arrow::Datum& temporal, const arrow::Datum& interval,
                                         bool subtract, int64_t length) {
  const bool scalar_result = temporal.is_scalar() && interval.is_scalar();
  const int64_t n = scalar_result ? 1 : length;
  ARROW_ASSIGN_OR_RAISE(auto t, to_array(temporal, n));
  ARROW_ASSIGN_OR_RAISE(auto iv, to_array(interval, n));
  std::shared_ptr<arrow::Array> out;
  switch (t->type_id()) {
    case arrow::Type::DATE32: {
      ARROW_ASSIGN_OR_RAISE(out, shift_all<arrow::Date32Type>(
                                     *t, *iv, subtract, [](int64_t v, const IntervalParts& p) {
                                       return shift_date(v, p);
                                     }));
      break;
    }
    case arrow::Type::DATE64: {
      ARROW_ASSIGN_OR_RAISE(out, shift_all<arrow::Date64Type>(
                                     *t, *iv, subtract, [](int64_t v, const IntervalParts& p) {
                                       return shift_instant(v, 1000, p);
                                     }));
      break;
    }
    case arrow::Type::TIMESTAMP: {
      const int64_t per_second =
          units_per_second(static_cast<const arrow::TimestampType&>(*t->type()).unit());
      ARROW_ASSIGN_OR_RAISE(
          out, shift_all<arrow::TimestampType>(*t, *iv, subtract,
                                               [per_second](int64_t v, const IntervalParts& p) {
                                                 return shift_instant(v, per_second, p);
                                               }));
      break;
    }
    default:
      return arrow::Status::NotImplemented("cannot add an interval to ", t->type()->ToString());
  }
  if (scalar_result) {
    ARROW_ASSIGN_OR_RAISE(auto scalar, out->GetScalar(0));
    return arrow::Datum(scalar);
  }
  return arrow::Datum(out);
}

}  // namespace quiver::physical
