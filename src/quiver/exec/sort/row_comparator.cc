#include "quiver/exec/sort/row_comparator.h"

#include <arrow/util/decimal.h>

#include <cmath>
#include <string_view>

namespace quiver::exec {

namespace {

template <typename T>
int three_way(const T& x, const T& y) {
  return x < y ? -1 : (y < x ? 1 : 0);
}

template <typename CType>
int compare_primitive(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j) {
  return three_way(a.data()->GetValues<CType>(1)[i], b.data()->GetValues<CType>(1)[j]);
}

template <typename CType>
int compare_floating(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j) {
  const CType x = a.data()->GetValues<CType>(1)[i];
  const CType y = b.data()->GetValues<CType>(1)[j];
  const bool x_nan = std::isnan(x);
  const bool y_nan = std::isnan(y);
  if (x_nan || y_nan) return static_cast<int>(x_nan) - static_cast<int>(y_nan);
  return three_way(x, y);
}

int compare_bool(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j) {
  return three_way(static_cast<const arrow::BooleanArray&>(a).Value(i),
                   static_cast<const arrow::BooleanArray&>(b).Value(j));
}

template <typename ArrayType>
int compare_binary(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j) {
  auto x = static_cast<const ArrayType&>(a).GetView(i);
  auto y = static_cast<const ArrayType&>(b).GetView(j);
  const int c = std::string_view(x.data(), x.size()).compare(std::string_view(y.data(), y.size()));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int compare_decimal128(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j) {
  arrow::Decimal128 x(static_cast<const arrow::FixedSizeBinaryArray&>(a).GetValue(i));
  arrow::Decimal128 y(static_cast<const arrow::FixedSizeBinaryArray&>(b).GetValue(j));
  return three_way(x, y);
}

int compare_decimal256(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j) {
  arrow::Decimal256 x(static_cast<const arrow::FixedSizeBinaryArray&>(a).GetValue(i));
  arrow::Decimal256 y(static_cast<const arrow::FixedSizeBinaryArray&>(b).GetValue(j));
  return three_way(x, y);
}

int compare_fixed_binary(const arrow::Array& a, int64_t i, const arrow::Array& b, int64_t j) {
  const auto& x = static_cast<const arrow::FixedSizeBinaryArray&>(a);
  const auto& y = static_cast<const arrow::FixedSizeBinaryArray&>(b);
  const int c =
      std::string_view(reinterpret_cast<const char*>(x.GetValue(i)), x.byte_width())
          .compare(std::string_view(reinterpret_cast<const char*>(y.GetValue(j)), y.byte_width()));
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

using ValueCompare = int (*)(const arrow::Array&, int64_t, const arrow::Array&, int64_t);

arrow::Result<ValueCompare> value_compare_for(const arrow::DataType& type) {
  using arrow::Type;
  switch (type.id()) {
    case Type::BOOL:
      return &compare_bool;
    case Type::INT8:
      return &compare_primitive<int8_t>;
    case Type::INT16:
      return &compare_primitive<int16_t>;
    case Type::INT32:
    case Type::DATE32:
    case Type::TIME32:
      return &compare_primitive<int32_t>;
    case Type::INT64:
    case Type::DATE64:
    case Type::TIME64:
    case Type::TIMESTAMP:
    case Type::DURATION:
      return &compare_primitive<int64_t>;
    case Type::UINT8:
      return &compare_primitive<uint8_t>;
    case Type::UINT16:
      return &compare_primitive<uint16_t>;
    case Type::UINT32:
      return &compare_primitive<uint32_t>;
    case Type::UINT64:
      return &compare_primitive<uint64_t>;
    case Type::FLOAT:
      return &compare_floating<float>;
    case Type::DOUBLE:
      return &compare_floating<double>;
    case Type::STRING:
      return &compare_binary<arrow::StringArray>;
    case Type::BINARY:
      return &compare_binary<arrow::BinaryArray>;
    case Type::LARGE_STRING:
      return &compare_binary<arrow::LargeStringArray>;
    case Type::LARGE_BINARY:
      return &compare_binary<arrow::LargeBinaryArray>;
    case Type::STRING_VIEW:
      return &compare_binary<arrow::StringViewArray>;
    case Type::BINARY_VIEW:
      return &compare_binary<arrow::BinaryViewArray>;
    case Type::DECIMAL128:
      return &compare_decimal128;
    case Type::DECIMAL256:
      return &compare_decimal256;
    case Type::FIXED_SIZE_BINARY:
      return &compare_fixed_binary;
    default:
      return arrow::Status::NotImplemented("ordering by a value of type ", type.ToString(),
                                           " is not supported");
  }
}

}  // namespace

arrow::Result<RowComparator> RowComparator::Make(
    const std::vector<std::shared_ptr<arrow::DataType>>& types,
    const physical::LexOrdering& ordering) {
  if (types.size() != ordering.size()) {
    return arrow::Status::UnknownError("RowComparator: ", types.size(), " key types for ",
                                       ordering.size(), " sort keys");
  }
  std::vector<Key> keys;
  keys.reserve(types.size());
  for (size_t k = 0; k < types.size(); ++k) {
    if (types[k]->id() == arrow::Type::NA) {
      // Every value is null: all rows tie on this key.
      keys.push_back({nullptr, ordering[k].ascending, ordering[k].nulls_first});
      continue;
    }
    ARROW_ASSIGN_OR_RAISE(auto fn, value_compare_for(*types[k]));
    keys.push_back({fn, ordering[k].ascending, ordering[k].nulls_first});
  }
  return RowComparator(std::move(keys));
}

int RowComparator::compare(const std::vector<std::shared_ptr<arrow::Array>>& a, int64_t i,
                           const std::vector<std::shared_ptr<arrow::Array>>& b, int64_t j) const {
  for (size_t k = 0; k < keys_.size(); ++k) {
    const Key& key = keys_[k];
    const bool x_null = a[k]->IsNull(i);
    const bool y_null = b[k]->IsNull(j);
    if (x_null || y_null) {
      if (x_null && y_null) continue;
      // Null placement does not depend on the direction.
      return (x_null == key.nulls_first) ? -1 : 1;
    }
    if (key.compare_values == nullptr) continue;
    int c = key.compare_values(*a[k], i, *b[k], j);
    if (c != 0) return key.ascending ? c : -c;
  }
  return 0;
}

}  // namespace quiver::exec
