#include "quiver/exec/join/join_rows.h"

#include <arrow/array/util.h>
#include <arrow/builder.h>
#include <arrow/compute/api_vector.h>

namespace quiver::exec {

namespace {

arrow::Result<std::shared_ptr<arrow::UInt64Array>> finish(arrow::UInt64Builder& builder) {
  std::shared_ptr<arrow::UInt64Array> out;
  ARROW_RETURN_NOT_OK(builder.Finish(&out));
  return out;
}

arrow::Status append_side(const arrow::RecordBatch& side,
                          const std::shared_ptr<arrow::UInt64Array>& indices,
                          const arrow::Schema& schema, int64_t rows,
                          std::vector<std::shared_ptr<arrow::Array>>* columns) {
  for (int c = 0; c < side.num_columns(); ++c) {
    if (indices == nullptr) {
      const auto& type = schema.field(static_cast<int>(columns->size()))->type();
      ARROW_ASSIGN_OR_RAISE(auto nulls, arrow::MakeArrayOfNull(type, rows));
      columns->push_back(std::move(nulls));
    } else {
      ARROW_ASSIGN_OR_RAISE(auto taken, arrow::compute::Take(*side.column(c), *indices));
      columns->push_back(std::move(taken));
    }
  }
  return arrow::Status::OK();
}

}  // namespace

arrow::Result<JoinIndices> cross_product_pairs(int64_t first_pair, int64_t count,
                                               int64_t right_rows) {
  arrow::UInt64Builder left, right;
  ARROW_RETURN_NOT_OK(left.Resize(count));
  ARROW_RETURN_NOT_OK(right.Resize(count));
  for (int64_t k = first_pair; k < first_pair + count; ++k) {
    left.UnsafeAppend(static_cast<uint64_t>(k / right_rows));
    right.UnsafeAppend(static_cast<uint64_t>(k % right_rows));
  }
  JoinIndices out;
  ARROW_ASSIGN_OR_RAISE(out.left, finish(left));
  ARROW_ASSIGN_OR_RAISE(out.right, finish(right));
  return out;
}

arrow::Result<std::shared_ptr<arrow::UInt64Array>> true_positions(const arrow::BooleanArray& mask) {
  arrow::UInt64Builder builder;
  for (int64_t i = 0; i < mask.length(); ++i) {
    if (mask.IsValid(i) && mask.Value(i)) ARROW_RETURN_NOT_OK(builder.Append(i));
  }
  return finish(builder);
}

arrow::Result<std::shared_ptr<arrow::UInt64Array>> pick(const arrow::UInt64Array& indices,
                                                        const arrow::UInt64Array& positions) {
  arrow::UInt64Builder builder;
  ARROW_RETURN_NOT_OK(builder.Resize(positions.length()));
  for (int64_t i = 0; i < positions.length(); ++i) {
    builder.UnsafeAppend(indices.Value(static_cast<int64_t>(positions.Value(i))));
  }
  return finish(builder);
}

arrow::Result<std::shared_ptr<arrow::RecordBatch>> take_join_rows(
    const std::shared_ptr<arrow::Schema>& schema, int64_t rows, const arrow::RecordBatch* left,
    const std::shared_ptr<arrow::UInt64Array>& left_indices, const arrow::RecordBatch* right,
    const std::shared_ptr<arrow::UInt64Array>& right_indices) {
  std::vector<std::shared_ptr<arrow::Array>> columns;
  columns.reserve(static_cast<size_t>(schema->num_fields()));
  if (left != nullptr)
    ARROW_RETURN_NOT_OK(append_side(*left, left_indices, *schema, rows, &columns));
  if (right != nullptr) {
    ARROW_RETURN_NOT_OK(append_side(*right, right_indices, *schema, rows, &columns));
  }
  if (static_cast<int>(columns.size()) != schema->num_fields()) {
    return arrow::Status::UnknownError("join output: ", columns.size(), " columns for a schema of ",
                                       schema->num_fields(), " fields");
  }
  return arrow::RecordBatch::Make(schema, rows, std::move(columns));
}

}  // namespace quiver::exec
