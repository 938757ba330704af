#pragma once

#include <arrow/result.h>
#include <arrow/type.h>

#include <string_view>

#include "quiver/logical/expr.h"

namespace pg_query {
class TypeName;
}

/// INTERVAL literals, typed as Arrow MonthDayNano intervals.
///
/// Accepted text (PostgreSQL's): `number unit` pairs (`'1 year 2 months'`, `'3 days'`,
/// `'-1 day'`, `'1.5 hours'`; units year, month, week, day, hour, minute, second, millisecond,
/// microsecond, singular, plural or abbreviated), a time `[-]hh:mm[:ss[.fff]]`, `Y-M` under
/// YEAR TO MONTH, a trailing `ago` negating the whole, and a bare number counted in the field a
/// qualifier names (`INTERVAL '3' MONTH`, `INTERVAL '90' DAY`; seconds without one).
/// A fractional month adds 30-day days, a fractional day adds 24-hour time, as in PostgreSQL.
namespace quiver::sql {

/// Returns the interval `text` denotes; `range_mask` is PostgreSQL's typmod bit mask of the
/// qualifier (`INTERVAL '3' MONTH` gives 1 << 1), 0 or 0x7FFF when there is none. A user error
/// names the text when it is not an interval.
arrow::Result<arrow::MonthDayNanoIntervalType::MonthDayNanos> parse_interval(std::string_view text,
                                                                             int32_t range_mask);

/// Returns true when `name` is the INTERVAL type (with or without a qualifier).
bool is_interval_type_name(const pg_query::TypeName& name);

/// Binds `arg::interval` (`INTERVAL 'text' [qualifier]`): a string literal becomes a MonthDayNano
/// literal, NULL a typed NULL; any other argument is a user error (no run-time text parsing).
arrow::Result<logical::ExprPtr> bind_interval_cast(const pg_query::TypeName& name,
                                                   const logical::ExprPtr& arg);

}  // namespace quiver::sql
