#pragma once

#include <arrow/datum.h>
#include <arrow/result.h>
#include <arrow/type.h>

namespace quiver::physical {

/// Returns true for the interval types calendar arithmetic accepts (MonthDayNano, YearMonth,
/// DayTime).
bool is_interval_type(const arrow::DataType& type);

/// Returns true for the types an interval can be added to (Date32, Date64, Timestamp).
bool is_calendar_type(const arrow::DataType& type);

/// Adds (or, with `subtract`, removes) an interval to dates or timestamps with calendar rules:
/// months first (a day past the month's end is clamped, so 2024-01-31 + 1 month = 2024-02-29),
/// then days, then the sub-day part. Timestamps are handled in UTC. The result has the temporal
/// operand's type; NULL in gives NULL out; two scalars give a scalar, otherwise an array of
/// `length`.
arrow::Result<arrow::Datum> add_interval(const arrow::Datum& temporal, const arrow::Datum& interval,
                                         bool subtract, int64_t length);

}  // namespace quiver::physical
