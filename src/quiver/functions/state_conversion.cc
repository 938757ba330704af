#include "quiver/functions/state_conversion.h"

#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/compute/cast.h>

namespace quiver::functions {

arrow::Result<std::shared_ptr<arrow::Array>> valid_row_counts(
    const std::vector<std::shared_ptr<arrow::Array>>& values, int64_t length) {
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateBuffer(length * sizeof(int64_t)));
  auto* out = reinterpret_cast<int64_t*>(buffer->mutable_data());
  std::fill(out, out + length, int64_t{1});
  for (const auto& value : values) {
    if (value->type_id() == arrow::Type::NA) {
      std::fill(out, out + length, int64_t{0});
      break;
    }
    if (value->null_count() == 0) continue;
    for (int64_t i = 0; i < length; ++i) {
      if (value->IsNull(i)) out[i] = 0;
    }
  }
  return std::make_shared<arrow::Int64Array>(length,
                                             std::shared_ptr<arrow::Buffer>(std::move(buffer)));
}

arrow::Result<std::shared_ptr<arrow::Array>> as_state_column(
    const std::shared_ptr<arrow::Array>& value, const std::shared_ptr<arrow::DataType>& type) {
  if (value->type()->Equals(*type)) return value;
  if (value->type_id() == arrow::Type::NA) return arrow::MakeArrayOfNull(type, value->length());
  if (value->type_id() == arrow::Type::DECIMAL128 && type->id() == arrow::Type::DECIMAL128 &&
      static_cast<const arrow::Decimal128Type&>(*value->type()).scale() ==
          static_cast<const arrow::Decimal128Type&>(*type).scale()) {
    // Same scale: the unscaled values are the same, only the declared precision changes.
    auto data = value->data()->Copy();
    data->type = type;
    return arrow::MakeArray(std::move(data));
  }
  ARROW_ASSIGN_OR_RAISE(arrow::Datum cast, arrow::compute::Cast(value, type));
  return cast.make_array();
}

}  // namespace quiver::functions
