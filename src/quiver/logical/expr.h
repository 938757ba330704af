#pragma once

#include <arrow/scalar.h>
#include <arrow/type.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace quiver::logical {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;
struct LogicalPlan;
using LogicalPlanPtr = std::shared_ptr<const LogicalPlan>;

/// A column reference, optionally qualified by a relation name or alias (`t.a`).
struct Column {
  std::optional<std::string> relation;
  std::string name;
  /// Returns `relation.name`, or `name` when unqualified.
  std::string flat_name() const { return relation ? *relation + "." + name : name; }
  bool operator==(const Column& other) const = default;
};

/// The kinds of logical expressions.
enum class ExprKind {
  kColumn,             ///< column
  kLiteral,            ///< literal
  kAlias,              ///< args[0] AS name
  kBinary,             ///< args[0] op args[1]
  kNot,                ///< NOT args[0]
  kNegative,           ///< -args[0]
  kIsNull,             ///< args[0] IS NULL (negated: IS NOT NULL)
  kIsTrue,             ///< args[0] IS TRUE (negated: IS NOT TRUE)
  kIsFalse,            ///< args[0] IS FALSE (negated: IS NOT FALSE)
  kBetween,            ///< args[0] [NOT] BETWEEN args[1] AND args[2]
  kLike,               ///< args[0] [NOT] LIKE|ILIKE args[1] (case_insensitive for ILIKE)
  kInList,             ///< args[0] [NOT] IN (args[1..])
  kCase,               ///< CASE [operand] WHEN .. THEN .. [ELSE ..] END (see Expr::case_*)
  kCast,               ///< CAST(args[0] AS cast_type) (try_cast: TRY_CAST)
  kScalarFunction,     ///< name(args...)
  kAggregateFunction,  ///< name([DISTINCT] args...)
  kWildcard,           ///< * or t.* (column.relation set for t.*), only before binding ends
  kScalarSubquery,     ///< (SELECT ...) returning one value; subquery set
  kExists,             ///< [NOT] EXISTS (subquery)
  kInSubquery,         ///< args[0] [NOT] IN (subquery)
  /// A column of an enclosing query referenced inside a subquery (correlation); `column` names
  /// it, `cast_type` holds its type. Decorrelation turns it back into a kColumn of the join.
  kOuterColumn,
};

/// Binary operators.
enum class BinaryOp {
  kEq,
  kNotEq,
  kLt,
  kLtEq,
  kGt,
  kGtEq,
  kPlus,
  kMinus,
  kMultiply,
  kDivide,
  kModulo,
  kAnd,
  kOr,
  kStringConcat,
  kIsDistinctFrom,
  kIsNotDistinctFrom,
};

/// Returns the SQL spelling of an operator ("=", "+", "AND", "||", ...).
const char* binary_op_symbol(BinaryOp op);

/// Returns true for = != < <= > >= (the comparisons that order values).
bool is_ordering_comparison(BinaryOp op);
/// Returns the comparison with its operands swapped: `a < b` is `b > a` (`<` gives `>`, `<=`
/// gives `>=` and back); any other operator is returned unchanged.
BinaryOp flipped_comparison(BinaryOp op);
/// Returns true for the ordering comparisons and IS [NOT] DISTINCT FROM.
bool is_comparison(BinaryOp op);
/// Returns true for + - * / %.
bool is_arithmetic(BinaryOp op);
/// Returns how tightly an operator binds when printed (OR loosest, * / % tightest), so a child
/// binding more loosely than its parent is parenthesised.
int binary_op_precedence(BinaryOp op);

/// A logical expression: a small tree whose shape depends on `kind` (see ExprKind). Immutable;
/// share sub-trees freely.
struct Expr {
  ExprKind kind = ExprKind::kLiteral;
  Column column;                               ///< kColumn, kWildcard (relation only)
  std::shared_ptr<arrow::Scalar> literal;      ///< kLiteral
  std::string name;                            ///< kAlias name; function name (lower case)
  BinaryOp op = BinaryOp::kEq;                 ///< kBinary
  std::vector<ExprPtr> args;                   ///< operands; see ExprKind
  bool negated = false;                        ///< NOT BETWEEN / NOT LIKE / NOT IN / IS NOT ...
  bool distinct = false;                       ///< aggregate DISTINCT
  bool case_insensitive = false;               ///< ILIKE
  bool try_cast = false;                       ///< TRY_CAST
  std::shared_ptr<arrow::DataType> cast_type;  ///< kCast target; kOuterColumn's type
  /// kCase: `case_operand` (may be null), then WHEN/THEN pairs, then `case_else` (may be null).
  ExprPtr case_operand;
  std::vector<std::pair<ExprPtr, ExprPtr>> when_then;
  ExprPtr case_else;
  ExprPtr filter;           ///< aggregate FILTER (WHERE ...), may be null
  LogicalPlanPtr subquery;  ///< subquery kinds

  /// Returns the name a projection of this expression gets without an alias, following
  /// DataFusion: `a`, `t.a + Int64(1)`, `count(Int64(1))`, `sum(t.x)`, `CASE WHEN ... END`.
  std::string display_name() const;
  /// Renders for plans and errors (same as display_name but aliases show `expr AS name`).
  std::string to_string() const;
};

/// Returns a column reference (`name` may be `t.a`, split at the last dot only when qualified).
ExprPtr col(std::string name);
/// Returns a qualified column reference.
ExprPtr col(std::optional<std::string> relation, std::string name);
/// Returns a reference to column `column` (of type `type`) of an enclosing query.
ExprPtr outer_col(Column column, std::shared_ptr<arrow::DataType> type);
/// Returns a literal.
ExprPtr lit(std::shared_ptr<arrow::Scalar> value);
/// Returns `left op right`.
ExprPtr binary(ExprPtr left, BinaryOp op, ExprPtr right);
/// Returns `expr AS name`.
ExprPtr alias(ExprPtr expr, std::string name);
/// Returns a scalar function call.
ExprPtr scalar_function(std::string name, std::vector<ExprPtr> args);
/// Returns an aggregate function call.
ExprPtr aggregate_function(std::string name, std::vector<ExprPtr> args, bool distinct = false);
/// Returns CAST(expr AS type).
ExprPtr cast(ExprPtr expr, std::shared_ptr<arrow::DataType> type);
/// Returns a node like `e` with other operands (args only; other fields kept).
ExprPtr with_args(const Expr& e, std::vector<ExprPtr> args);

/// Renders a literal the DataFusion way: `Int64(1)`, `Utf8("a")`, `Float64(1.5)`, `NULL`.
std::string literal_to_string(const arrow::Scalar& scalar);

/// Returns every direct sub-expression (args, case parts, filter), for generic walks.
std::vector<ExprPtr> expr_children(const Expr& e);

/// Returns a node like `e` whose direct sub-expressions are `children`, given in the order
/// expr_children returns them (the inverse of expr_children).
ExprPtr with_children(const Expr& e, std::vector<ExprPtr> children);

/// Returns the Arrow type the way plans print it: `Int64`, `Utf8`, `Float64`, `Date32`,
/// `Timestamp(Microsecond, None)`, `Decimal128(10, 2)`.
std::string type_display_name(const arrow::DataType& type);

/// Returns true when the tree contains an aggregate function call (not inside subqueries).
bool contains_aggregate(const Expr& e);

/// Removes a top-level alias.
ExprPtr unalias(const ExprPtr& e);

/// Returns true when the tree holds an outer reference (kOuterColumn), not looking inside
/// subquery plans.
bool contains_outer_reference(const Expr& e);

/// Returns the columns the expression references (not inside subqueries, not outer references).
std::vector<Column> referenced_columns(const Expr& e);

}  // namespace quiver::logical
