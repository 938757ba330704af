#pragma once

#include <arrow/result.h>
#include <arrow/type.h>

#include <memory>
#include <utility>
#include <vector>

#include "quiver/logical/expr.h"
#include "quiver/logical/plan_schema.h"

/// Type inference and type coercion for logical expressions.
///
/// Coercion rules (applied by `coerce_expr`, which inserts explicit kCast nodes so physical
/// evaluation sees operands of one type):
///   - integers widen to the wider one (Int8 < Int16 < Int32 < Int64; unsigned join Int64);
///     an integer meets a float as Float64; a decimal meets a float as Float64; decimals meet
///     integers and other decimals as the decimal holding both (decimal_types.h; arithmetic
///     keeps each decimal operand's precision and scale, see arithmetic_operand_types);
///   - a string compared with a date or timestamp is cast to the temporal type; dates compared
///     with timestamps become timestamps;
///   - NULL takes the other side's type;
///   - CASE results, IN lists, BETWEEN bounds, UNION and VALUES columns unify every member;
///   - a literal compared with a column of a narrower numeric type is folded into that type when
///     its value fits (so `int32_col = 1` compares Int32 with Int32(1), no cast on the column).
namespace quiver::logical {

/// Returns the type of `expr` evaluated over rows of `schema`, or a user error naming the
/// expression (unknown column, unknown function, bad argument types).
arrow::Result<std::shared_ptr<arrow::DataType>> expr_type(const Expr& expr,
                                                          const PlanSchema& schema);

/// Returns whether `expr` may evaluate to NULL over rows of `schema`.
arrow::Result<bool> expr_nullable(const Expr& expr, const PlanSchema& schema);

/// Returns the output field a projection of `expr` gets: named by its display name (an alias by
/// the alias), typed by expr_type; a plain column keeps its qualifier.
arrow::Result<QualifiedField> expr_to_field(const Expr& expr, const PlanSchema& schema);

/// Returns the common type two values are compared in (=, <, IN, BETWEEN, CASE operand), or a
/// user error when they cannot be compared.
arrow::Result<std::shared_ptr<arrow::DataType>> comparison_coercion(
    const std::shared_ptr<arrow::DataType>& left, const std::shared_ptr<arrow::DataType>& right);

/// Returns the common type of two numeric `+ - * / %` operands, or a user error.
arrow::Result<std::shared_ptr<arrow::DataType>> arithmetic_coercion(
    const std::shared_ptr<arrow::DataType>& left, const std::shared_ptr<arrow::DataType>& right);

/// Returns the types the operands of `left op right` are converted to before evaluation: numbers
/// meet in their common type, except that decimals keep their own precision and scale (an
/// integer beside a decimal becomes a decimal, a literal one just wide enough for its digits) and
/// decimal division is done in Float64; temporal operands (date/timestamp +/- interval,
/// date - date, date +/- integer) keep their types. `left`/`right` may be null (no literal
/// narrowing). A user error when the operator does not apply.
arrow::Result<std::pair<std::shared_ptr<arrow::DataType>, std::shared_ptr<arrow::DataType>>>
arithmetic_operand_types(BinaryOp op, const Expr* left, const std::shared_ptr<arrow::DataType>& lt,
                         const Expr* right, const std::shared_ptr<arrow::DataType>& rt);

/// Returns the result type of `left op right` for operands already of the types
/// arithmetic_operand_types gives: decimal rules of decimal_types.h; a date or timestamp plus or
/// minus an interval keeps the temporal type (Date32 stays Date32, as in DataFusion; the operand
/// types make a date a timestamp when the interval literal has a sub-day part);
/// date - date is Int64 days; date +/- integer is a date; otherwise the operands' type.
arrow::Result<std::shared_ptr<arrow::DataType>> arithmetic_result_type(
    BinaryOp op, const std::shared_ptr<arrow::DataType>& lt,
    const std::shared_ptr<arrow::DataType>& rt);

/// Returns the one type every value of `types` converts to (CASE branches, UNION and VALUES
/// columns); nulls are ignored; all-null gives null. A user error when there is none.
arrow::Result<std::shared_ptr<arrow::DataType>> unify_types(
    const std::vector<std::shared_ptr<arrow::DataType>>& types);

/// Returns `expr` converted to `target`: unchanged when its type already is `target`, a literal
/// folded to the new type when the conversion is exact, else wrapped in a kCast.
arrow::Result<ExprPtr> cast_expr_to(const ExprPtr& expr,
                                    const std::shared_ptr<arrow::DataType>& target,
                                    const PlanSchema& schema);

/// Returns `expr` with the casts the coercion rules call for inserted (bottom-up), and checks
/// operand types (e.g. `NOT 'a'` or `'a' + 1` are user errors naming the expression).
arrow::Result<ExprPtr> coerce_expr(const ExprPtr& expr, const PlanSchema& schema);

/// Returns true for Int8..Int64 and UInt8..UInt64.
bool is_integer_type(const arrow::DataType& type);
/// Returns true for integers, floats and decimals.
bool is_numeric_type(const arrow::DataType& type);
/// Returns true for utf8 and large_utf8.
bool is_string_type(const arrow::DataType& type);
/// Returns true for date32, date64 and timestamps.
bool is_temporal_type(const arrow::DataType& type);

}  // namespace quiver::logical
