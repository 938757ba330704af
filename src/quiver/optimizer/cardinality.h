#pragma once

#include <optional>

#include "quiver/logical/expr.h"
#include "quiver/logical/logical_plan.h"

/// Rough row-count estimates for logical plans, used to order joins. The numbers only need to
/// rank alternatives, so the model is deliberately simple (System R style guesses):
///
/// - TableScan: the provider's `num_rows()`, else 1000 rows; pushed-down scan filters and a
///   scan fetch apply as below.
/// - Filter: input rows times the predicate's selectivity. Comparisons with constants on columns
///   whose table knows their min/max use those (range_selectivity.h); otherwise `=` 0.1, `<>`
///   0.9, `<`, `<=`, `>`, `>=` 0.33, BETWEEN 0.25, LIKE 0.25, IS NULL 0.1, IS NOT NULL 0.9, IN
///   (n values) 0.1 * n, AND multiplies, OR adds (minus the overlap), NOT complements, anything
///   else 0.5.
/// - Join: an equi-join gives |L| * |R| / domain for its most selective key pair. The pair's
///   domain is the smaller of the two key columns' table row counts (the primary key side; a
///   foreign key's values lie within it); a key column already equated with another below
///   (`s.nation = n.id`) has at most that column's domain. Each side's keys are taken as spread
///   over the domain independently of the other side's filters, so a foreign-key join gives the
///   referencing side's rows times the fraction of the referenced table kept. A residual filter
///   multiplies by its selectivity; a join without keys is |L| * |R| times the filter's. Outer
///   joins return at least their preserved sides; semi and anti joins half of the left side.
/// - Aggregate: one row without GROUP BY, else a tenth of its input; Limit and fetch cap;
///   Union adds; Values counts its rows; other nodes keep their input's count.
namespace quiver::optimizer {

/// Returns the estimated number of rows `plan` produces (at least 0).
double estimate_rows(const logical::LogicalPlan& plan);

/// Returns estimate_rows(plan) when every table under `plan` knows its row count (or a limit
/// caps what an unknown one gives), nullopt otherwise: for decisions that must not rest on the
/// default guess for a table of unknown size, such as collecting a join's build side once.
std::optional<double> estimate_known_rows(const logical::LogicalPlan& plan);

/// Returns the estimated fraction of rows for which `predicate` is true (0..1].
double estimate_selectivity(const logical::Expr& predicate);

/// Returns an estimate of the number of distinct values of `expr` over `plan`'s output: for a
/// column traced down to a table scan, the table's row count; capped by `plan`'s rows.
double estimate_distinct(const logical::Expr& expr, const logical::LogicalPlan& plan);

/// Returns the number of values column `column` of `plan` can take when it is a table's column
/// (followed through filters, projections of plain columns, aliases and joins): the table's row
/// count, at most the span of an integer column's values and the domain of a key it is equated
/// with below; nullopt when the column is computed (an aggregate's, an expression's).
std::optional<double> column_domain(const logical::Column& column,
                                    const logical::LogicalPlan& plan);

}  // namespace quiver::optimizer
