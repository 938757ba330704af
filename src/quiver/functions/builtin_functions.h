#pragma once

#include <vector>

#include "quiver/functions/aggregate_function.h"
#include "quiver/functions/scalar_function.h"

/// The built-in function families, each defined in its own file and collected by the registries
/// (function_registry.cc, aggregate_function.cc).
namespace quiver::functions {

/// Returns upper, lower, length, trim, concat, replace, starts_with, regexp_replace, ...
std::vector<ScalarFunctionDef> string_functions();
/// Returns substr, strpos, left, right, lpad, rpad, split_part (code-point positions).
std::vector<ScalarFunctionDef> string_slice_functions();
/// Returns abs, round, floor, ceil, trunc, sqrt, power, exp, ln, log10, sign, pi, random, ...
std::vector<ScalarFunctionDef> math_functions();
/// Returns coalesce, nullif, greatest, least.
std::vector<ScalarFunctionDef> conditional_functions();
/// Returns date_trunc, date_part, to_date, to_timestamp, now, current_date, make_date.
std::vector<ScalarFunctionDef> datetime_functions();

/// Returns get_field (a struct's field by name; SQL `(s).name`).
std::vector<ScalarFunctionDef> struct_functions();

/// Returns count.
AggregateFunctionDef count_function();
/// Returns sum.
AggregateFunctionDef sum_function();
/// Returns avg.
AggregateFunctionDef avg_function();
/// Returns min.
AggregateFunctionDef min_function();
/// Returns max.
AggregateFunctionDef max_function();
/// Returns __subquery_rows(x): struct{value, rows}, the first value and the row count of a
/// scalar subquery that may return several rows (the subquery decorrelation's run-time check).
AggregateFunctionDef subquery_rows_function();
/// Returns __single_row_value(s): the value of a __subquery_rows result, an error when it counted
/// more than one row.
ScalarFunctionDef single_row_value_function();

}  // namespace quiver::functions
