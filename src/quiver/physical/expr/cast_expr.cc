#include "quiver/physical/expr/cast_expr.h"

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/scalar.h>

#include <algorithm>

#include "quiver/logical/expr.h"
#include "quiver/physical/expr/decimal_rounding.h"

namespace quiver::physical {

arrow::compute::CastOptions sql_cast_options(const std::shared_ptr<arrow::DataType>& type) {
  arrow::compute::CastOptions options = arrow::compute::CastOptions::Safe(type);
  options.allow_time_truncate = true;
  options.allow_decimal_truncate = true;
  return options;
}

namespace {

int32_t decimal_scale(const arrow::DataType& t) {
  return static_cast<const arrow::DecimalType&>(t).scale();
}

// Casts to a decimal the SQL way: values are rounded half away from zero to the target scale
// (PostgreSQL's rule; Arrow would truncate) and a value beyond the target precision is an error.
// Decimals (and integers and strings, through a decimal) are rounded exactly in 128 bits, so a
// carry into a new integer digit (9.96 to 10.0) is kept, never lost to the input's precision.
arrow::Result<arrow::Datum> cast_to_decimal(const arrow::Datum& value,
                                            const std::shared_ptr<arrow::DataType>& type) {
  arrow::Datum input = value;
  const auto from = value.type()->id();
  const int32_t scale = decimal_scale(*type);
  if (from == arrow::Type::DECIMAL128 && decimal_scale(*value.type()) == scale &&
      static_cast<const arrow::DecimalType&>(*value.type()).precision() <=
          static_cast<const arrow::DecimalType&>(*type).precision()) {
    // A wider precision at the same scale keeps every unscaled value: only the type changes.
    if (value.is_array()) {
      auto data = value.array()->Copy();
      data->type = type;
      return arrow::Datum(std::move(data));
    }
    if (value.is_scalar()) {
      const auto& scalar = static_cast<const arrow::Decimal128Scalar&>(*value.scalar());
      if (!scalar.is_valid) return arrow::Datum(arrow::MakeNullScalar(type));
      return arrow::Datum(std::make_shared<arrow::Decimal128Scalar>(scalar.value, type));
    }
  }
  if (arrow::is_integer(from)) {
    // Arrow sizes the check by the integer type, not the value: go through Decimal128(38, 0).
    ARROW_ASSIGN_OR_RAISE(input, arrow::compute::Cast(input, arrow::decimal128(38, 0)));
  } else if (from == arrow::Type::STRING || from == arrow::Type::LARGE_STRING) {
    // Parse keeping one digit more than the target (cut off toward zero), then round: cutting
    // digits beyond the first dropped one cannot move a value across a rounding boundary.
    arrow::compute::CastOptions parse =
        sql_cast_options(arrow::decimal128(38, std::min(scale + 1, 38)));
    ARROW_ASSIGN_OR_RAISE(input, arrow::compute::Cast(input, parse));
  } else if (arrow::is_decimal(from) && from != arrow::Type::DECIMAL128) {
    ARROW_ASSIGN_OR_RAISE(
        input, arrow::compute::Cast(input, arrow::decimal128(38, decimal_scale(*value.type()))));
  }
  if (input.type()->id() == arrow::Type::DECIMAL128) {
    return decimal_round(input, scale, DecimalRounding::kHalfAwayFromZero, type);
  }
  if (arrow::is_floating(from)) {
    arrow::compute::RoundOptions round(scale, arrow::compute::RoundMode::HALF_TOWARDS_INFINITY);
    ARROW_ASSIGN_OR_RAISE(input, arrow::compute::CallFunction("round", {input}, &round));
  }
  arrow::compute::CastOptions options = sql_cast_options(type);
  options.allow_decimal_truncate = false;
  return arrow::compute::Cast(input, options);
}

}  // namespace

arrow::Result<arrow::Datum> sql_cast(const arrow::Datum& value,
                                     const std::shared_ptr<arrow::DataType>& type) {
  arrow::Datum input = value;
  const auto from = value.type()->id();
  if (type->id() == arrow::Type::DECIMAL128 && from != arrow::Type::NA) {
    return cast_to_decimal(value, type);
  }
  if (arrow::is_integer(type->id()) && arrow::is_decimal(from)) {
    // Round half away from zero exactly (PostgreSQL and DuckDB), into Decimal128(38, 0) so the
    // carry has room; the safe cast then rejects a value beyond the integer type.
    ARROW_ASSIGN_OR_RAISE(input, cast_to_decimal(value, arrow::decimal128(38, 0)));
  } else if (arrow::is_integer(type->id()) && arrow::is_floating(from)) {
    // PostgreSQL and DuckDB round to the nearest integer, halves away from zero.
    arrow::compute::RoundOptions round(0, arrow::compute::RoundMode::HALF_TOWARDS_INFINITY);
    ARROW_ASSIGN_OR_RAISE(input, arrow::compute::CallFunction("round", {value}, &round));
  }
  return arrow::compute::Cast(input, sql_cast_options(type));
}

arrow::Result<std::shared_ptr<arrow::DataType>> CastExpr::data_type(
    const arrow::Schema& input_schema) const {
  ARROW_ASSIGN_OR_RAISE(auto from, arg_->data_type(input_schema));
  if (!arrow::compute::CanCast(*from, *type_)) {
    return arrow::Status::Invalid("cannot cast ", logical::type_display_name(*from), " to ",
                                  logical::type_display_name(*type_), " in ", to_string());
  }
  return type_;
}

arrow::Result<bool> CastExpr::nullable(const arrow::Schema& input_schema) const {
  if (try_cast_) return true;
  return arg_->nullable(input_schema);
}

arrow::Result<arrow::Datum> CastExpr::try_each(const arrow::Datum& value) const {
  if (value.is_scalar()) {
    auto one = sql_cast(value, type_);
    if (one.ok()) return one;
    return arrow::Datum(arrow::MakeNullScalar(type_));
  }
  // Some value failed: cast row by row and keep NULL where a row fails.
  std::shared_ptr<arrow::Array> input = value.make_array();
  std::unique_ptr<arrow::ArrayBuilder> builder;
  ARROW_RETURN_NOT_OK(arrow::MakeBuilder(arrow::default_memory_pool(), type_, &builder));
  ARROW_RETURN_NOT_OK(builder->Reserve(input->length()));
  for (int64_t i = 0; i < input->length(); ++i) {
    ARROW_ASSIGN_OR_RAISE(auto scalar, input->GetScalar(i));
    auto one = sql_cast(arrow::Datum(scalar), type_);
    if (one.ok() && one->scalar()->is_valid) {
      ARROW_RETURN_NOT_OK(builder->AppendScalar(*one->scalar()));
    } else {
      ARROW_RETURN_NOT_OK(builder->AppendNull());
    }
  }
  ARROW_ASSIGN_OR_RAISE(auto out, builder->Finish());
  return arrow::Datum(out);
}

arrow::Result<arrow::Datum> CastExpr::evaluate(const arrow::RecordBatch& batch) const {
  ARROW_ASSIGN_OR_RAISE(arrow::Datum value, arg_->evaluate(batch));
  if (value.type()->Equals(*type_)) return value;
  auto result = sql_cast(value, type_);
  if (result.ok()) return result;
  if (try_cast_ && !result.status().IsNotImplemented()) return try_each(value);
  if (result.status().IsNotImplemented()) {
    return arrow::Status::Invalid("cannot cast ", logical::type_display_name(*value.type()), " to ",
                                  logical::type_display_name(*type_), " in ", to_string());
  }
  return arrow::Status::Invalid("cannot cast value to ", logical::type_display_name(*type_), " in ",
                                to_string(), ": ", result.status().message());
}

arrow::Result<PhysicalExprPtr> CastExpr::with_new_children(
    std::vector<PhysicalExprPtr> children) const {
  if (children.size() != 1) {
    return arrow::Status::UnknownError("CastExpr takes 1 child, got ", children.size());
  }
  return std::make_shared<CastExpr>(std::move(children[0]), type_, try_cast_);
}

std::string CastExpr::to_string() const {
  return std::string(try_cast_ ? "TRY_CAST(" : "CAST(") + arg_->to_string() + " AS " +
         logical::type_display_name(*type_) + ")";
}

PhysicalExprPtr make_cast(PhysicalExprPtr arg, std::shared_ptr<arrow::DataType> type) {
  return std::make_shared<CastExpr>(std::move(arg), std::move(type), false);
}

PhysicalExprPtr make_try_cast(PhysicalExprPtr arg, std::shared_ptr<arrow::DataType> type) {
  return std::make_shared<CastExpr>(std::move(arg), std::move(type), true);
}

}  // namespace quiver::physical
