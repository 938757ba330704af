#include "quiver/physical/expr/modulo.h"

#include <arrow/array.h>
#include <arrow/array/util.h>
#include <arrow/builder.h>
#include <arrow/scalar.h>

#include <cmath>
#include <type_traits>

#include "quiver/physical/expr/compute_dispatch.h"

namespace quiver::physical {

namespace {

arrow::Result<std::shared_ptr<arrow::Array>> to_array(const arrow::Datum& value, int64_t length) {
  if (value.is_scalar()) return arrow::MakeArrayFromScalar(*value.scalar(), length);
  return value.make_array();
}

template <typename ArrowType>
arrow::Result<std::shared_ptr<arrow::Array>> modulo_typed(const arrow::Array& left,
                                                          const arrow::Array& right) {
  using CType = typename ArrowType::c_type;
  using ArrayType = arrow::NumericArray<ArrowType>;
  const auto& l = static_cast<const ArrayType&>(left);
  const auto& r = static_cast<const ArrayType&>(right);
  arrow::NumericBuilder<ArrowType> builder(left.type(), arrow::default_memory_pool());
  ARROW_RETURN_NOT_OK(builder.Reserve(left.length()));
  for (int64_t i = 0; i < left.length(); ++i) {
    if (l.IsNull(i) || r.IsNull(i)) {
      builder.UnsafeAppendNull();
      continue;
    }
    CType a = l.Value(i);
    CType b = r.Value(i);
    if (b == 0) return arrow::Status::Invalid("division by zero");
    if constexpr (std::is_floating_point_v<CType>) {
      builder.UnsafeAppend(static_cast<CType>(std::fmod(a, b)));
    } else if constexpr (std::is_signed_v<CType>) {
      // INT_MIN % -1 overflows in C++ although its value is 0.
      builder.UnsafeAppend(b == -1 ? CType{0} : static_cast<CType>(a % b));
    } else {
      builder.UnsafeAppend(static_cast<CType>(a % b));
    }
  }
  std::shared_ptr<arrow::Array> out;
  ARROW_RETURN_NOT_OK(builder.Finish(&out));
  return out;
}

arrow::Result<std::shared_ptr<arrow::Array>> modulo_arrays(const arrow::Array& left,
                                                           const arrow::Array& right) {
  switch (left.type_id()) {
    case arrow::Type::INT8:
      return modulo_typed<arrow::Int8Type>(left, right);
    case arrow::Type::INT16:
      return modulo_typed<arrow::Int16Type>(left, right);
    case arrow::Type::INT32:
      return modulo_typed<arrow::Int32Type>(left, right);
    case arrow::Type::INT64:
      return modulo_typed<arrow::Int64Type>(left, right);
    case arrow::Type::UINT8:
      return modulo_typed<arrow::UInt8Type>(left, right);
    case arrow::Type::UINT16:
      return modulo_typed<arrow::UInt16Type>(left, right);
    case arrow::Type::UINT32:
      return modulo_typed<arrow::UInt32Type>(left, right);
    case arrow::Type::UINT64:
      return modulo_typed<arrow::UInt64Type>(left, right);
    case arrow::Type::FLOAT:
      return modulo_typed<arrow::FloatType>(left, right);
    case arrow::Type::DOUBLE:
      return modulo_typed<arrow::DoubleType>(left, right);
    default:
      return arrow::Status::NotImplemented("modulo (%) is not supported for ",
                                           left.type()->ToString());
  }
}

}  // namespace

arrow::Result<arrow::Datum> modulo(const arrow::Datum& left, const arrow::Datum& right,
                                   int64_t length) {
  ARROW_ASSIGN_OR_RAISE(auto types, resolve_input_types("subtract", {left.type(), right.type()}));
  ARROW_ASSIGN_OR_RAISE(arrow::Datum l, cast_to(left, types[0]));
  ARROW_ASSIGN_OR_RAISE(arrow::Datum r, cast_to(right, types[1]));
  const bool scalar_result = l.is_scalar() && r.is_scalar();
  const int64_t n = scalar_result ? 1 : length;
  ARROW_ASSIGN_OR_RAISE(auto la, to_array(l, n));
  ARROW_ASSIGN_OR_RAISE(auto ra, to_array(r, n));
  ARROW_ASSIGN_OR_RAISE(auto out, modulo_arrays(*la, *ra));
  if (scalar_result) {
    ARROW_ASSIGN_OR_RAISE(auto scalar, out->GetScalar(0));
    return arrow::Datum(scalar);
  }
  return arrow::Datum(out);
}

}  // namespace quiver::physical
