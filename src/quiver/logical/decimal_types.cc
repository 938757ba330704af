#include "quiver/logical/decimal_types.h"

#include <arrow/status.h>
#include <arrow/util/decimal.h>

#include <algorithm>
#include <string>

// Decimal precision and scale rules; see decimal_types.h.
namespace quiver::logical {

namespace {

struct PrecisionScale {
  int32_t precision;
  int32_t scale;
};

PrecisionScale precision_scale(const arrow::DataType& t) {
  const auto& d = static_cast<const arrow::DecimalType&>(t);
  return {d.precision(), d.scale()};
}

std::shared_ptr<arrow::DataType> make_decimal(int32_t precision, int32_t scale) {
  return arrow::decimal128(std::min(precision, kMaxDecimalPrecision), scale);
}

}  // namespace

std::shared_ptr<arrow::DataType> integer_as_decimal(const std::shared_ptr<arrow::DataType>& type) {
  switch (type->id()) {
    case arrow::Type::INT8:
    case arrow::Type::UINT8:
      return arrow::decimal128(3, 0);
    case arrow::Type::INT16:
    case arrow::Type::UINT16:
      return arrow::decimal128(5, 0);
    case arrow::Type::INT32:
    case arrow::Type::UINT32:
      return arrow::decimal128(10, 0);
    case arrow::Type::INT64:
    case arrow::Type::UINT64:
      return arrow::decimal128(20, 0);
    case arrow::Type::DECIMAL32:
    case arrow::Type::DECIMAL64:
    case arrow::Type::DECIMAL128:
    case arrow::Type::DECIMAL256: {
      // Every decimal width is computed as Decimal128; wider than 38 digits has no exact home.
      const auto [precision, scale] = precision_scale(*type);
      if (precision > kMaxDecimalPrecision) return nullptr;
      return type->id() == arrow::Type::DECIMAL128 ? type : arrow::decimal128(precision, scale);
    }
    default:
      return nullptr;
  }
}

std::shared_ptr<arrow::DataType> integer_literal_as_decimal(const arrow::Scalar& value) {
  if (!value.is_valid || !arrow::is_integer(value.type->id())) return nullptr;
  std::string text = value.ToString();
  if (!text.empty() && text[0] == '-') text.erase(0, 1);
  return arrow::decimal128(std::max<int32_t>(1, static_cast<int32_t>(text.size())), 0);
}

std::shared_ptr<arrow::Scalar> integer_scalar_to_decimal(const arrow::Scalar& value,
                                                         const arrow::DataType& target) {
  if (!value.is_valid || !arrow::is_integer(value.type->id()) ||
      target.id() != arrow::Type::DECIMAL128) {
    return nullptr;
  }
  const auto [precision, scale] = precision_scale(target);
  arrow::Decimal128 raw;
  if (arrow::is_signed_integer(value.type->id())) {
    auto as_int = value.CastTo(arrow::int64());
    if (!as_int.ok()) return nullptr;
    raw = arrow::Decimal128(static_cast<const arrow::Int64Scalar&>(**as_int).value);
  } else {
    auto as_uint = value.CastTo(arrow::uint64());
    if (!as_uint.ok()) return nullptr;
    raw = arrow::Decimal128(0, static_cast<const arrow::UInt64Scalar&>(**as_uint).value);
  }
  auto scaled = raw.Rescale(0, scale);
  if (!scaled.ok() || !scaled->FitsInPrecision(precision)) return nullptr;
  return std::make_shared<arrow::Decimal128Scalar>(*scaled, target.GetSharedPtr());
}

std::shared_ptr<arrow::DataType> common_decimal(const arrow::DataType& a,
                                                const arrow::DataType& b) {
  const auto l = precision_scale(a);
  const auto r = precision_scale(b);
  const int32_t scale = std::max(l.scale, r.scale);
  const int32_t digits = std::max(l.precision - l.scale, r.precision - r.scale);
  return make_decimal(digits + scale, scale);
}

arrow::Result<std::shared_ptr<arrow::DataType>> decimal_arithmetic_type(
    BinaryOp op, const arrow::DataType& left, const arrow::DataType& right) {
  const auto l = precision_scale(left);
  const auto r = precision_scale(right);
  switch (op) {
    case BinaryOp::kPlus:
    case BinaryOp::kMinus: {
      const int32_t scale = std::max(l.scale, r.scale);
      return make_decimal(std::max(l.precision - l.scale, r.precision - r.scale) + scale + 1,
                          scale);
    }
    case BinaryOp::kMultiply: {
      const int32_t scale = l.scale + r.scale;
      if (scale > kMaxDecimalPrecision) {
        return arrow::Status::Invalid("the product of ", left.ToString(), " and ", right.ToString(),
                                      " needs scale ", scale, ", more than 38");
      }
      return make_decimal(std::max(l.precision + r.precision + 1, scale), scale);
    }
    case BinaryOp::kModulo: {
      const int32_t scale = std::max(l.scale, r.scale);
      return make_decimal(std::min(l.precision - l.scale, r.precision - r.scale) + scale, scale);
    }
    case BinaryOp::kDivide:
      return arrow::float64();
    default:
      return arrow::Status::Invalid("operator ", binary_op_symbol(op),
                                    " is not arithmetic on decimals");
  }
}

}  // namespace quiver::logical
