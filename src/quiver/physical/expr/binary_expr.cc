#include "quiver/physical/expr/binary_expr.h"

#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include "quiver/logical/expr_type.h"
#include "quiver/physical/expr/compute_dispatch.h"
#include "quiver/physical/expr/decimal_arithmetic.h"
#include "quiver/physical/expr/decimal_comparison.h"
#include "quiver/physical/expr/interval_arithmetic.h"
#include "quiver/physical/expr/modulo.h"
#include "quiver/physical/expr/string_set_match.h"

namespace quiver::physical {

namespace {

using logical::BinaryOp;

const char* compute_function(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
      return "equal";
    case BinaryOp::kNotEq:
      return "not_equal";
    case BinaryOp::kLt:
      return "less";
    case BinaryOp::kLtEq:
      return "less_equal";
    case BinaryOp::kGt:
      return "greater";
    case BinaryOp::kGtEq:
      return "greater_equal";
    case BinaryOp::kPlus:
      return "add_checked";
    case BinaryOp::kMinus:
      return "subtract_checked";
    case BinaryOp::kMultiply:
      return "multiply_checked";
    case BinaryOp::kDivide:
      return "divide_checked";
    case BinaryOp::kAnd:
      return "and_kleene";
    case BinaryOp::kOr:
      return "or_kleene";
    default:
      return "";
  }
}

// Date/timestamp +/- interval, or interval + date/timestamp.
bool is_interval_op(const arrow::DataType& l, BinaryOp op, const arrow::DataType& r) {
  if (op == BinaryOp::kPlus || op == BinaryOp::kMinus) {
    if (is_calendar_type(l) && is_interval_type(r)) return true;
  }
  return op == BinaryOp::kPlus && is_interval_type(l) && is_calendar_type(r);
}

// Gives an untyped NULL operand the other operand's type (or `fallback` when both are NULL).
arrow::Status align_null_types(arrow::Datum* left, arrow::Datum* right,
                               const std::shared_ptr<arrow::DataType>& fallback) {
  const bool l_null = is_null_type(left->type());
  const bool r_null = is_null_type(right->type());
  if (l_null && r_null) {
    ARROW_ASSIGN_OR_RAISE(*left, cast_to(*left, fallback));
    ARROW_ASSIGN_OR_RAISE(*right, cast_to(*right, fallback));
  } else if (l_null) {
    ARROW_ASSIGN_OR_RAISE(*left, cast_to(*left, right->type()));
  } else if (r_null) {
    ARROW_ASSIGN_OR_RAISE(*right, cast_to(*right, left->type()));
  }
  return arrow::Status::OK();
}

std::shared_ptr<arrow::DataType> concat_type(const arrow::DataType& l, const arrow::DataType& r) {
  if (l.id() == arrow::Type::LARGE_STRING || r.id() == arrow::Type::LARGE_STRING) {
    return arrow::large_utf8();
  }
  return arrow::utf8();
}

arrow::Result<arrow::Datum> string_concat(arrow::Datum left, arrow::Datum right) {
  auto type = concat_type(*left.type(), *right.type());
  ARROW_ASSIGN_OR_RAISE(left, cast_to(left, type));
  ARROW_ASSIGN_OR_RAISE(right, cast_to(right, type));
  ARROW_ASSIGN_OR_RAISE(auto separator, arrow::MakeScalar(type, std::string()));
  arrow::compute::JoinOptions options(arrow::compute::JoinOptions::EMIT_NULL);
  return arrow::compute::CallFunction("binary_join_element_wise",
                                      {left, right, arrow::Datum(separator)}, &options);
}

arrow::Result<arrow::Datum> is_distinct_from(arrow::Datum left, arrow::Datum right, bool negated) {
  ARROW_RETURN_NOT_OK(align_null_types(&left, &right, arrow::boolean()));
  ARROW_ASSIGN_OR_RAISE(auto l_null, arrow::compute::CallFunction("is_null", {left}));
  ARROW_ASSIGN_OR_RAISE(auto r_null, arrow::compute::CallFunction("is_null", {right}));
  ARROW_ASSIGN_OR_RAISE(auto one_null, arrow::compute::CallFunction("xor", {l_null, r_null}));
  ARROW_ASSIGN_OR_RAISE(auto differ, arrow::compute::CallFunction("not_equal", {left, right}));
  ARROW_ASSIGN_OR_RAISE(differ,
                        arrow::compute::CallFunction("coalesce", {differ, arrow::Datum(false)}));
  ARROW_ASSIGN_OR_RAISE(auto distinct, arrow::compute::CallFunction("or", {one_null, differ}));
  if (!negated) return distinct;
  return arrow::compute::CallFunction("invert", {distinct});
}

bool is_date_type(const arrow::DataType& t) {
  return t.id() == arrow::Type::DATE32 || t.id() == arrow::Type::DATE64;
}

// Arithmetic whose result type the SQL rules fix rather than Arrow's kernels: decimal with
// decimal, date - date (days) and date +/- integer days.
bool has_sql_result_type(const arrow::DataType& l, BinaryOp op, const arrow::DataType& r) {
  if (l.id() == arrow::Type::DECIMAL128 && r.id() == arrow::Type::DECIMAL128) {
    return op != BinaryOp::kDivide;
  }
  if (op == BinaryOp::kMinus && is_date_type(l) && is_date_type(r)) return true;
  if (op == BinaryOp::kMinus || op == BinaryOp::kPlus) {
    if (is_date_type(l) && arrow::is_integer(r.id())) return true;
  }
  return op == BinaryOp::kPlus && arrow::is_integer(l.id()) && is_date_type(r);
}

// A date as Int64 days since 1970-01-01.
arrow::Result<arrow::Datum> date_days(const arrow::Datum& date) {
  arrow::Datum as_date32 = date;
  if (date.type()->id() != arrow::Type::DATE32) {
    ARROW_ASSIGN_OR_RAISE(as_date32, cast_to(date, arrow::date32()));
  }
  ARROW_ASSIGN_OR_RAISE(auto as_int32, cast_to(as_date32, arrow::int32()));
  return cast_to(as_int32, arrow::int64());
}

// date - date (Int64 days) and date +/- integer (a date of the date operand's type).
arrow::Result<arrow::Datum> date_arithmetic(const arrow::Datum& left, BinaryOp op,
                                            const arrow::Datum& right) {
  const bool left_date = is_date_type(*left.type());
  const bool right_date = is_date_type(*right.type());
  ARROW_ASSIGN_OR_RAISE(auto l, left_date ? date_days(left) : cast_to(left, arrow::int64()));
  ARROW_ASSIGN_OR_RAISE(auto r, right_date ? date_days(right) : cast_to(right, arrow::int64()));
  const char* function = op == BinaryOp::kMinus ? "subtract_checked" : "add_checked";
  ARROW_ASSIGN_OR_RAISE(auto days, arrow::compute::CallFunction(function, {l, r}));
  if (left_date && right_date) return days;
  const auto& date_type = left_date ? left.type() : right.type();
  ARROW_ASSIGN_OR_RAISE(auto as_int32, cast_to(days, arrow::int32()));
  ARROW_ASSIGN_OR_RAISE(auto as_date32, cast_to(as_int32, arrow::date32()));
  return cast_to(as_date32, date_type);
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::DataType>> BinaryExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(auto lt, left_->data_type(input_schema));
  ARROW_ASSIGN_OR_RAISE(auto rt, right_->data_type(input_schema));
  if (logical::is_ordering_comparison(op_) || op_ == BinaryOp::kAnd || op_ == BinaryOp::kOr ||
      op_ == BinaryOp::kIsDistinctFrom || op_ == BinaryOp::kIsNotDistinctFrom) {
    return arrow::boolean();
  }
  if (op_ == BinaryOp::kStringConcat) return concat_type(*lt, *rt);
  if (is_null_type(lt) && is_null_type(rt)) return arrow::null();
  if (is_null_type(lt)) lt = rt;
  if (is_null_type(rt)) rt = lt;
  if (is_interval_op(*lt, op_, *rt)) return is_interval_type(*lt) ? rt : lt;
  if (has_sql_result_type(*lt, op_, *rt)) {
    auto type = logical::arithmetic_result_type(op_, lt, rt);
    if (!type.ok()) return arrow::Status::Invalid(type.status().message(), " in ", to_string());
    return type;
  }
  if (op_ == BinaryOp::kModulo) {
    ARROW_ASSIGN_OR_RAISE(auto types, resolve_input_types("subtract", {lt, rt}));
    return types[0];
  }
  auto type = resolve_output_type(compute_function(op_), {lt, rt});
  if (!type.ok()) {
    return arrow::Status::Invalid("cannot apply ", logical::binary_op_symbol(op_), " to ",
                                  lt->ToString(), " and ", rt->ToString(), " in ", to_string());
  }
  return type;
}

arrow::Result<bool> BinaryExpr::nullable(const arrow::Schema& input_schema) const {
  if (op_ == BinaryOp::kIsDistinctFrom || op_ == BinaryOp::kIsNotDistinctFrom) return false;
  ARROW_ASSIGN_OR_RAISE(bool l, left_->nullable(input_schema));
  ARROW_ASSIGN_OR_RAISE(bool r, right_->nullable(input_schema));
  // Division and modulo can produce no NULLs of their own (zero divisors are errors).
  return l || r;
}

arrow::Result<arrow::Datum> BinaryExpr::evaluate_arithmetic(arrow::Datum left, arrow::Datum right,
                                                            int64_t length) const {
  if (is_null_type(left.type()) && is_null_type(right.type())) {
    return arrow::Datum(arrow::MakeNullScalar(arrow::null()));
  }
  ARROW_RETURN_NOT_OK(align_null_types(&left, &right, arrow::null()));
  if (is_interval_op(*left.type(), op_, *right.type())) {
    if (is_interval_type(*left.type())) return add_interval(right, left, false, length);
    return add_interval(left, right, op_ == BinaryOp::kMinus, length);
  }
  if (has_sql_result_type(*left.type(), op_, *right.type())) {
    if (!arrow::is_decimal(left.type()->id())) return date_arithmetic(left, op_, right);
    ARROW_ASSIGN_OR_RAISE(auto type,
                          logical::arithmetic_result_type(op_, left.type(), right.type()));
    auto result = decimal_arithmetic(op_, left, right, type, length);
    if (!result.ok() && result.status().IsInvalid()) {
      return arrow::Status::Invalid(result.status().message(), " in ", to_string());
    }
    return result;
  }
  arrow::Result<arrow::Datum> result =
      op_ == BinaryOp::kModulo ? modulo(left, right, length)
                               : arrow::compute::CallFunction(compute_function(op_), {left, right});
  if (result.ok()) return result;
  const arrow::Status& st = result.status();
  if (st.IsInvalid()) {
    if (st.message().find("divide by zero") != std::string::npos) {
      return arrow::Status::Invalid("division by zero");
    }
    if (st.message().find("overflow") != std::string::npos) {
      return arrow::Status::Invalid("integer overflow in ", to_string());
    }
  }
  if (st.IsNotImplemented()) {
    return arrow::Status::Invalid("cannot apply ", logical::binary_op_symbol(op_), " to ",
                                  left.type()->ToString(), " and ", right.type()->ToString(),
                                  " in ", to_string());
  }
  return st;
}

arrow::Result<arrow::Datum> BinaryExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum left, left_->evaluate(batch));
  ARROW_ASSIGN_OR_RAISE(arrow::Datum right, right_->evaluate(batch));
  switch (op_) {
    case BinaryOp::kStringConcat:
      return string_concat(std::move(left), std::move(right));
    case BinaryOp::kIsDistinctFrom:
      return is_distinct_from(std::move(left), std::move(right), false);
    case BinaryOp::kIsNotDistinctFrom:
      return is_distinct_from(std::move(left), std::move(right), true);
    case BinaryOp::kAnd:
    case BinaryOp::kOr: {
      ARROW_ASSIGN_OR_RAISE(left, cast_to(left, arrow::boolean()));
      ARROW_ASSIGN_OR_RAISE(right, cast_to(right, arrow::boolean()));
      return arrow::compute::CallFunction(compute_function(op_), {left, right});
    }
    default:
      break;
  }
  if (logical::is_arithmetic(op_)) {
    return evaluate_arithmetic(std::move(left), std::move(right), batch.num_rows());
  }
  ARROW_RETURN_NOT_OK(align_null_types(&left, &right, arrow::boolean()));
  if (op_ == BinaryOp::kEq || op_ == BinaryOp::kNotEq) {
    ARROW_ASSIGN_OR_RAISE(auto strings, string_equality(left, right, op_ == BinaryOp::kNotEq));
    if (strings) return std::move(*strings);
  }
  ARROW_ASSIGN_OR_RAISE(auto decimal, compare_decimals(op_, left, right, batch.num_rows()));
  if (decimal) return std::move(*decimal);
  auto result = arrow::compute::CallFunction(compute_function(op_), {left, right});
  if (!result.ok() && result.status().IsNotImplemented()) {
    return arrow::Status::Invalid("cannot compare ", left.type()->ToString(), " with ",
                                  right.type()->ToString(), " in ", to_string());
  }
  return result;
}

arrow::Result<PhysicalExprPtr> BinaryExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != 2) {
    return arrow::Status::UnknownError("BinaryExpr takes 2 children, got ", children.size());
  }
  return make_binary(std::move(children[0]), op_, std::move(children[1]));
}

std::string BinaryExpr::to_string() const {
  const int mine = logical::binary_op_precedence(op_);
  auto render = [mine](const PhysicalExprPtr& child, bool right_side) {
    std::string text = child->to_string();
    if (auto* b = dynamic_cast<const BinaryExpr*>(child.get())) {
      const int theirs = logical::binary_op_precedence(b->op());
      if (theirs < mine || (right_side && theirs == mine)) return "(" + text + ")";
    }
    return text;
  };
  return render(left_, false) + " " + logical::binary_op_symbol(op_) + " " + render(right_, true);
}

PhysicalExprPtr make_binary(PhysicalExprPtr left, logical::BinaryOp op, PhysicalExprPtr right) {
  return std::make_shared<BinaryExpr>(std::move(left), op, std::move(right));
}

}  // namespace quiver::physical
