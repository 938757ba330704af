#include "quiver/exec/aggregate/group_table.h"

#include <arrow/array/builder_primitive.h>
#include <arrow/compute/exec.h>
#include <arrow/util/byte_size.h>

namespace quiver::exec {

namespace {
// Hash table bytes per group, on top of the key bytes.
constexpr int64_t kBytesPerGroup = 16;
}  // namespace

arrow::Result<std::unique_ptr<GroupTable>> GroupTable::Make(
    const std::vector<std::shared_ptr<arrow::DataType>>& key_types) {
  if (key_types.empty()) return std::unique_ptr<GroupTable>(new GroupTable(nullptr));
  std::vector<arrow::TypeHolder> holders(key_types.begin(), key_types.end());
  ARROW_ASSIGN_OR_RAISE(auto grouper, arrow::compute::Grouper::Make(holders));
  return std::unique_ptr<GroupTable>(new GroupTable(std::move(grouper)));
}

arrow::Result<std::shared_ptr<arrow::UInt32Array>> GroupTable::consume(
    const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows) {
  if (grouper_ == nullptr) {
    // No keys: every row is group 0. One zero-filled array serves every batch, grown as needed.
    if (zeros_ == nullptr || zeros_->length() < num_rows) {
      arrow::UInt32Builder builder;
      ARROW_RETURN_NOT_OK(builder.AppendEmptyValues(num_rows));
      ARROW_RETURN_NOT_OK(builder.Finish(&zeros_));
    }
    return std::static_pointer_cast<arrow::UInt32Array>(zeros_->Slice(0, num_rows));
  }
  std::vector<arrow::Datum> values(keys.begin(), keys.end());
  arrow::compute::ExecBatch batch(std::move(values), num_rows);
  const int64_t before = grouper_->num_groups();
  ARROW_ASSIGN_OR_RAISE(arrow::Datum ids, grouper_->Consume(arrow::compute::ExecSpan(batch)));
  const int64_t added = grouper_->num_groups() - before;
  if (added > 0 && num_rows > 0) {
    int64_t key_bytes = 0;
    for (const auto& key : keys) key_bytes += arrow::util::TotalBufferSize(*key);
    estimated_size_ += added * (kBytesPerGroup + key_bytes / num_rows + 1);
  }
  return std::static_pointer_cast<arrow::UInt32Array>(ids.make_array());
}

int64_t GroupTable::num_groups() const {
  return grouper_ == nullptr ? 1 : static_cast<int64_t>(grouper_->num_groups());
}

arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> GroupTable::keys() {
  if (grouper_ == nullptr) return std::vector<std::shared_ptr<arrow::Array>>{};
  ARROW_ASSIGN_OR_RAISE(auto uniques, grouper_->GetUniques());
  std::vector<std::shared_ptr<arrow::Array>> out;
  for (const auto& value : uniques.values) out.push_back(value.make_array());
  return out;
}

}  // namespace quiver::exec
