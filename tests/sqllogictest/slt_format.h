// Renders Arrow values as text following the conventions of DataFusion's sqllogictest files.
#pragma once

#include <arrow/array.h>
#include <arrow/result.h>
#include <arrow/table.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace quiver::slt {

/// One rendered result row: a text cell per column.
using Row = std::vector<std::string>;

/// Renders a double: `NaN`, `Infinity`, `-Infinity`, or rounded to 12 decimal places without
/// trailing zeros (1.0 -> `1`, 0.1 + 0.2 -> `0.3`, -0.0 -> `0`).
std::string format_double(double value);

/// Renders a float from its shortest round-trip form, with the same rules as format_double.
std::string format_float(float value);

/// Normalizes exact decimal text such as `12.3400`, `-0.50` or `1.5E+3`: expands any exponent,
/// rounds to 12 decimal places (half to even) and strips trailing zeros and a trailing dot.
std::string format_decimal_text(std::string_view text);

/// Renders element `index` of `array` as one cell (`NULL`, `(empty)`, `true`, `2024-01-31`, ...).
arrow::Result<std::string> format_value(const arrow::Array& array, int64_t index);

/// Renders every row of `table`, one cell per column.
arrow::Result<std::vector<Row>> format_table(const arrow::Table& table);

/// Joins a row's cells with single spaces and drops trailing whitespace.
std::string join_row(const Row& row);

}  // namespace quiver::slt
