#pragma once

#include <optional>
#include <vector>

#include "quiver/catalog/table_statistics.h"
#include "quiver/logical/expr.h"
#include "quiver/logical/logical_plan.h"

/// Selectivity from table statistics: the part of the cardinality model (cardinality.h) that
/// uses column min/max values from the tables' metadata (Parquet footers).
///
/// Comparisons of a column with a constant (`<`, `<=`, `>`, `>=`, BETWEEN, and `=` / IN on
/// integer and date columns) over a numeric, decimal, date or timestamp column whose min and max
/// are known are estimated by interpolation, assuming values spread evenly over [min, max]. All
/// bounds on one column in a conjunction make one range (`d >= '1994-01-01' AND d <
/// '1995-01-01'` is a year of the column's span, not two independent guesses). An integer or
/// date column has at most max - min + 1 distinct values, which gives `=` and IN.
namespace quiver::optimizer {

/// Returns the statistics of `column` of `plan` when it traces (through filters, sorts, limits,
/// aliases, plain-column projections and joins) to a column of a table scan, else nothing known.
catalog::ColumnStatistics traced_column_statistics(const logical::Column& column,
                                                   const logical::LogicalPlan& plan);

/// Returns how many values an integer or date column with these statistics can hold at most
/// (max - min + 1), or nullopt when its min/max are unknown or it is of another type.
std::optional<double> integer_span(const catalog::ColumnStatistics& stats);

/// Returns the selectivity of the conjunction of `conjuncts` that statistics of `input`'s columns
/// can estimate (1.0 when none can), and appends the conjuncts it did not use to `rest`.
double range_selectivity(const std::vector<logical::ExprPtr>& conjuncts,
                         const logical::LogicalPlan& input, std::vector<logical::ExprPtr>* rest);

}  // namespace quiver::optimizer
