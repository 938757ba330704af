#pragma once

#include <arrow/result.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "quiver/logical/expr.h"
#include "quiver/logical/logical_plan.h"

namespace quiver::catalog {
class TableProvider;
}

/// Builders for logical plan nodes. Each one validates its inputs, computes the node's output
/// schema, and returns an immutable node; the binder and the optimizer rules build plans only
/// through these, so every node's `schema` is right by construction.
///
/// Expressions passed in must already be bound (columns resolvable in the input schema) and
/// type-coerced (see expr_type.h: `coerce_expr`), except where a builder says it coerces.
namespace quiver::logical {

/// Builds a scan of `provider` under `table_name`. Fields are qualified by `table_name`;
/// `projection` (indices into the provider's schema) narrows the output, `filters` and `fetch`
/// record what a pushdown rule handed to the provider (they do not change the schema).
arrow::Result<LogicalPlanPtr> make_table_scan(
    std::string table_name, std::shared_ptr<catalog::TableProvider> provider,
    std::optional<std::vector<int>> projection = std::nullopt, std::vector<ExprPtr> filters = {},
    std::optional<int64_t> fetch = std::nullopt);

/// Builds a projection of `exprs` over `input`; output fields come from `expr_to_field`
/// (a plain column keeps its qualifier, other expressions are named by their display name).
arrow::Result<LogicalPlanPtr> make_projection(LogicalPlanPtr input, std::vector<ExprPtr> exprs);

/// Builds a filter; the predicate must be boolean (or NULL) and must not hold aggregates.
arrow::Result<LogicalPlanPtr> make_filter(LogicalPlanPtr input, ExprPtr predicate);

/// Builds an aggregation: output is the group expressions, then the aggregate expressions, each
/// named like a projection of it. `aggr_exprs` must be aggregate calls (optionally aliased);
/// group expressions must not hold aggregates.
arrow::Result<LogicalPlanPtr> make_aggregate(LogicalPlanPtr input, std::vector<ExprPtr> group_exprs,
                                             std::vector<ExprPtr> aggr_exprs);

/// Builds `SELECT DISTINCT *` over `input`: an aggregation grouping on every input column.
arrow::Result<LogicalPlanPtr> make_distinct(LogicalPlanPtr input);

/// Builds a sort; `fetch` keeps only the first rows (top-k). Output schema = input schema.
arrow::Result<LogicalPlanPtr> make_sort(LogicalPlanPtr input, std::vector<SortExpr> sort_exprs,
                                        std::optional<int64_t> fetch = std::nullopt);

/// Builds a limit: skip `skip` rows, then return at most `fetch` rows (nullopt = all).
arrow::Result<LogicalPlanPtr> make_limit(LogicalPlanPtr input, int64_t skip,
                                         std::optional<int64_t> fetch);

/// Builds a UNION ALL. Inputs must have the same number of columns; column types are unified by
/// position (inputs whose types differ get a casting projection). Names come from the first
/// input and are unqualified (as in PostgreSQL); a column is nullable when it is in any input.
arrow::Result<LogicalPlanPtr> make_union(std::vector<LogicalPlanPtr> inputs);

/// Builds literal rows (`VALUES (1, 'a'), (2, NULL)`): columns are named column1, column2, ...
/// Every row must have the same width; each column's type is unified over the rows and values
/// that differ get a cast. Expressions must be constant (no column references).
arrow::Result<LogicalPlanPtr> make_values(std::vector<std::vector<ExprPtr>> rows);

/// Builds a node that re-qualifies every column of `input` by `alias` (`FROM t AS x`,
/// `(SELECT ...) AS x`, views).
arrow::Result<LogicalPlanPtr> make_subquery_alias(LogicalPlanPtr input, std::string alias);

/// Builds a join of `left` and `right`. `on` holds equi-join key pairs (first over `left`, second
/// over `right`; types are coerced to a common type by the builder), `filter` a residual boolean
/// condition over both sides' columns (may be null). Output: left columns then right columns
/// (an outer join makes the padded side's fields nullable); LeftSemi/LeftAnti return the left
/// columns only. kCross takes neither keys nor filter. `null_aware` (LeftAnti with one key) gives
/// NOT IN semantics (see exec::HashJoinExec).
arrow::Result<LogicalPlanPtr> make_join(LogicalPlanPtr left, LogicalPlanPtr right, JoinType type,
                                        std::vector<std::pair<ExprPtr, ExprPtr>> on, ExprPtr filter,
                                        bool null_aware = false);

/// Builds a relation without columns; `produce_one_row` gives one row (SELECT without FROM).
LogicalPlanPtr make_empty_relation(bool produce_one_row);

/// Rebuilds `plan` over new inputs (same count), recomputing its schema. For rules that rewrite
/// a child and need the parent unchanged otherwise.
arrow::Result<LogicalPlanPtr> with_new_inputs(const LogicalPlan& plan,
                                              std::vector<LogicalPlanPtr> inputs);

}  // namespace quiver::logical
