#include "quiver/exec/aggregate/group_table.h"

#include <arrow/array/builder_primitive.h>
#include <arrow/buffer.h>
#include <arrow/compute/cast.h>
#include <arrow/compute/exec.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/byte_size.h>

#include <cstring>

#include "quiver/exec/aggregate/key_cast.h"

namespace quiver::exec {

namespace {
// Hash table bytes per group, on top of the key bytes.
constexpr int64_t kBytesPerGroup = 16;

// Writes the low `width` bytes of `value` (little-endian) at `out`.
void store_narrow(uint8_t* out, int width, int64_t value) {
  switch (width) {
    case 1:
      *out = static_cast<uint8_t>(value);
      break;
    case 2: {
      const auto v = static_cast<int16_t>(value);
      std::memcpy(out, &v, 2);
      break;
    }
    case 4: {
      const auto v = static_cast<int32_t>(value);
      std::memcpy(out, &v, 4);
      break;
    }
    default:
      std::memcpy(out, &value, 8);
      break;
  }
}
}  // namespace

arrow::Result<std::unique_ptr<GroupTable>> GroupTable::Make(
    const std::vector<std::shared_ptr<arrow::DataType>>& key_types) {
  std::unique_ptr<GroupTable> table(new GroupTable());
  if (key_types.empty()) return table;
  if (key_types.size() == 1 && is_int_like(*key_types[0])) {
    table->int_map_ = std::make_unique<IntKeyMap>(0);
    table->int_type_ = key_types[0];
    return table;
  }
  table->key_types_ = key_types;
  if (PackedKeyMap::supports(key_types)) {
    table->packed_ = std::make_unique<PackedKeyMap>(key_types);
    return table;
  }
  if (RowKeyTable::supports(key_types)) {
    table->rows_ = std::make_unique<RowKeyTable>(key_types);
    return table;
  }
  std::vector<arrow::TypeHolder> holders(key_types.begin(), key_types.end());
  ARROW_ASSIGN_OR_RAISE(table->grouper_, arrow::compute::Grouper::Make(holders));
  return table;
}

arrow::Result<std::shared_ptr<arrow::UInt32Array>> GroupTable::consume(
    const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows) {
  if (int_map_ != nullptr) {
    if (keys[0]->type()->Equals(*int_type_)) return consume_int(*keys[0], num_rows);
    ARROW_ASSIGN_OR_RAISE(arrow::Datum cast, arrow::compute::Cast(keys[0], int_type_));
    return consume_int(*cast.make_array(), num_rows);
  }
  if (packed_ != nullptr || rows_ != nullptr) {
    // Keys of another type than declared (e.g. a narrower integer) are cast first.
    ARROW_ASSIGN_OR_RAISE(const auto columns, cast_key_columns(keys, key_types_));
    ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateBuffer(num_rows * sizeof(uint32_t)));
    auto* ids = reinterpret_cast<uint32_t*>(buffer->mutable_data());
    if (packed_ != nullptr) {
      ARROW_RETURN_NOT_OK(packed_->consume(columns, num_rows, ids));
      int64_t key_bytes = 0;
      for (const auto& type : key_types_) key_bytes += type->byte_width();
      // The slots plus the key columns built at the end.
      estimated_size_ = packed_->memory() + static_cast<int64_t>(packed_->size()) * key_bytes;
    } else {
      ARROW_RETURN_NOT_OK(rows_->consume(columns, num_rows, ids));
      // The table plus about as much again for the key columns built at the end.
      estimated_size_ = 2 * rows_->memory();
    }
    return std::make_shared<arrow::UInt32Array>(num_rows,
                                                std::shared_ptr<arrow::Buffer>(std::move(buffer)));
  }
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

arrow::Result<std::shared_ptr<arrow::UInt32Array>> GroupTable::consume_int(const arrow::Array& key,
                                                                           int64_t num_rows) {
  IntKeyMap& map = *int_map_;
  if (static_cast<int64_t>(map.size()) + num_rows >= int64_t{IntKeyMap::kMissing}) {
    return arrow::Status::Invalid("AggregateExec: more than 2^32 - 1 groups");
  }
  // Room for every row being a new key, so insert() never finds the table full.
  map.reserve(static_cast<int64_t>(map.size()) + num_rows);
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateBuffer(num_rows * sizeof(uint32_t)));
  auto* ids = reinterpret_cast<uint32_t*>(buffer->mutable_data());
  if (key.null_count() == 0) {
    visit_int_values(key, [&](const auto* values, int64_t n) { map.insert_all(values, n, ids); });
  } else {
    visit_int_values(key, [&](const auto* values, int64_t n) {
      for (int64_t i = 0; i < n; ++i) {
        if (key.IsValid(i)) {
          ids[i] = map.insert(static_cast<int64_t>(values[i]));
        } else {
          if (null_group_ == IntKeyMap::kMissing) null_group_ = map.add_id();
          ids[i] = null_group_;
        }
      }
    });
  }
  // The map plus the key column built at the end.
  estimated_size_ = map.memory() + static_cast<int64_t>(map.size()) * int_type_->byte_width();
  return std::make_shared<arrow::UInt32Array>(num_rows,
                                              std::shared_ptr<arrow::Buffer>(std::move(buffer)));
}

int64_t GroupTable::num_groups() const {
  if (int_map_ != nullptr) return int_map_->size();
  if (packed_ != nullptr) return packed_->size();
  if (rows_ != nullptr) return rows_->size();
  return grouper_ == nullptr ? 1 : static_cast<int64_t>(grouper_->num_groups());
}

arrow::Result<std::shared_ptr<arrow::Array>> GroupTable::int_keys() const {
  const int64_t n = int_map_->size();
  const int width = int_type_->byte_width();
  ARROW_ASSIGN_OR_RAISE(auto values, arrow::AllocateBuffer(n * width));
  uint8_t* out = values->mutable_data();
  int_map_->for_each_key(
      [&](int64_t key, uint32_t id) { store_narrow(out + int64_t{id} * width, width, key); });
  std::shared_ptr<arrow::Buffer> validity;
  int64_t null_count = 0;
  if (null_group_ != IntKeyMap::kMissing) {
    store_narrow(out + int64_t{null_group_} * width, width, 0);
    ARROW_ASSIGN_OR_RAISE(auto bitmap, arrow::AllocateBitmap(n));
    std::memset(bitmap->mutable_data(), 0xFF, static_cast<size_t>(bitmap->size()));
    arrow::bit_util::ClearBit(bitmap->mutable_data(), null_group_);
    validity = std::shared_ptr<arrow::Buffer>(std::move(bitmap));
    null_count = 1;
  }
  return arrow::MakeArray(arrow::ArrayData::Make(
      int_type_, n, {std::move(validity), std::shared_ptr<arrow::Buffer>(std::move(values))},
      null_count));
}

arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> GroupTable::keys() {
  if (int_map_ != nullptr) {
    ARROW_ASSIGN_OR_RAISE(auto key, int_keys());
    return std::vector<std::shared_ptr<arrow::Array>>{std::move(key)};
  }
  if (packed_ != nullptr) return packed_->keys();
  if (rows_ != nullptr) return rows_->keys();
  if (grouper_ == nullptr) return std::vector<std::shared_ptr<arrow::Array>>{};
  ARROW_ASSIGN_OR_RAISE(auto uniques, grouper_->GetUniques());
  std::vector<std::shared_ptr<arrow::Array>> out;
  for (const auto& value : uniques.values) out.push_back(value.make_array());
  return out;
}

}  // namespace quiver::exec
