#include "quiver/catalog/table_statistics.h"

#include <arrow/compare.h>

namespace quiver::catalog {

namespace {

// Returns the smaller (`want_min`) or larger of two scalars of one type; null when either is
// unknown or they cannot be ordered.
std::shared_ptr<arrow::Scalar> pick(const std::shared_ptr<arrow::Scalar>& a,
                                    const std::shared_ptr<arrow::Scalar>& b, bool want_min) {
  if (a == nullptr || b == nullptr || !a->is_valid || !b->is_valid) return nullptr;
  if (!a->type->Equals(*b->type)) return nullptr;
  auto less = [](const arrow::Scalar& x, const arrow::Scalar& y) -> std::optional<bool> {
    switch (x.type->id()) {
#define QUIVER_LESS(TYPE_ID, SCALAR) \
  case arrow::Type::TYPE_ID:         \
    return static_cast<const arrow::SCALAR&>(x).value < static_cast<const arrow::SCALAR&>(y).value;
      QUIVER_LESS(INT8, Int8Scalar)
      QUIVER_LESS(INT16, Int16Scalar)
      QUIVER_LESS(INT32, Int32Scalar)
      QUIVER_LESS(INT64, Int64Scalar)
      QUIVER_LESS(UINT8, UInt8Scalar)
      QUIVER_LESS(UINT16, UInt16Scalar)
      QUIVER_LESS(UINT32, UInt32Scalar)
      QUIVER_LESS(UINT64, UInt64Scalar)
      QUIVER_LESS(FLOAT, FloatScalar)
      QUIVER_LESS(DOUBLE, DoubleScalar)
      QUIVER_LESS(DATE32, Date32Scalar)
      QUIVER_LESS(DATE64, Date64Scalar)
      QUIVER_LESS(TIMESTAMP, TimestampScalar)
      QUIVER_LESS(DECIMAL128, Decimal128Scalar)
#undef QUIVER_LESS
      case arrow::Type::STRING:
      case arrow::Type::LARGE_STRING:
      case arrow::Type::BINARY:
      case arrow::Type::LARGE_BINARY:
        return static_cast<const arrow::BaseBinaryScalar&>(x).view() <
               static_cast<const arrow::BaseBinaryScalar&>(y).view();
      default:
        return std::nullopt;
    }
  };
  const std::optional<bool> a_less = less(*a, *b);
  if (!a_less) return nullptr;
  return *a_less == want_min ? a : b;
}

}  // namespace

ColumnStatistics ColumnStatistics::merged(const ColumnStatistics& other) const {
  ColumnStatistics out;
  out.min = pick(min, other.min, /*want_min=*/true);
  out.max = pick(max, other.max, /*want_min=*/false);
  if (null_count && other.null_count) out.null_count = *null_count + *other.null_count;
  return out;
}

TableStatistics TableStatistics::merged(const TableStatistics& other) const {
  TableStatistics out;
  if (num_rows && other.num_rows) out.num_rows = *num_rows + *other.num_rows;
  if (columns.size() == other.columns.size()) {
    out.columns.reserve(columns.size());
    for (size_t i = 0; i < columns.size(); ++i) {
      out.columns.push_back(columns[i].merged(other.columns[i]));
    }
  }
  return out;
}

}  // namespace quiver::catalog
