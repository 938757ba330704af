#include "quiver/exec/join/join_hash_table.h"

#include <arrow/array/data.h>
#include <arrow/buffer.h>
#include <arrow/compute/exec.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>
#include <arrow/util/byte_size.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace quiver::exec {

namespace {

// Rows handed to the Grouper at once.
constexpr int64_t kConsumeChunk = 1 << 16;

template <typename T>
arrow::Result<std::shared_ptr<arrow::Array>> normalize_floats(
    const std::shared_ptr<arrow::Array>& key) {
  const auto& data = *key->data();
  const T* values = data.GetValues<T>(1);
  const int64_t n = key->length();
  bool needed = false;
  for (int64_t i = 0; i < n && !needed; ++i) {
    needed = values[i] == 0 || std::isnan(values[i]);
  }
  if (!needed) return key;
  ARROW_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateBuffer(n * static_cast<int64_t>(sizeof(T))));
  T* out = reinterpret_cast<T*>(buffer->mutable_data());
  for (int64_t i = 0; i < n; ++i) {
    const T v = values[i];
    out[i] = std::isnan(v) ? std::numeric_limits<T>::quiet_NaN() : (v == 0 ? T(0) : v);
  }
  auto copy = arrow::ArrayData::Make(data.type, n, {data.buffers[0], std::move(buffer)},
                                     data.null_count, data.offset);
  // The values buffer starts at the slice's first row, the validity bitmap at data.offset.
  if (data.offset != 0 && data.buffers[0] != nullptr) {
    ARROW_ASSIGN_OR_RAISE(copy->buffers[0],
                          arrow::internal::CopyBitmap(arrow::default_memory_pool(),
                                                      data.buffers[0]->data(), data.offset, n));
  }
  copy->offset = 0;
  return arrow::MakeArray(copy);
}

}  // namespace

arrow::Result<std::shared_ptr<arrow::Array>> normalize_join_key(std::shared_ptr<arrow::Array> key) {
  switch (key->type_id()) {
    case arrow::Type::FLOAT:
      return normalize_floats<float>(key);
    case arrow::Type::DOUBLE:
      return normalize_floats<double>(key);
    default:
      return key;
  }
}

bool is_hashable_join_key(const arrow::DataType& type) {
  if (arrow::is_primitive(type.id()) || arrow::is_base_binary_like(type.id()) ||
      arrow::is_fixed_size_binary(type.id()) || arrow::is_decimal(type.id())) {
    return type.id() != arrow::Type::INTERVAL_MONTH_DAY_NANO;
  }
  return type.id() == arrow::Type::NA;
}

std::vector<uint8_t> null_key_rows(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                                   int64_t num_rows) {
  std::vector<uint8_t> out;
  for (const auto& key : keys) {
    if (key->null_count() == 0) continue;
    if (out.empty()) out.assign(static_cast<size_t>(num_rows), 0);
    for (int64_t i = 0; i < num_rows; ++i) out[static_cast<size_t>(i)] |= key->IsNull(i) ? 1 : 0;
  }
  return out;
}

arrow::Result<std::shared_ptr<JoinHashTable>> JoinHashTable::Make(
    std::shared_ptr<arrow::RecordBatch> batch, std::vector<std::shared_ptr<arrow::Array>> keys,
    bool null_equals_null, physical::MemoryReservation& reservation) {
  const int64_t n = batch->num_rows();
  static_assert(IntKeyMap::kMissing == kNoGroup);
  if (n >= static_cast<int64_t>(kNullGroupPending)) {
    return arrow::Status::Invalid("HashJoinExec: the build side has ", n,
                                  " rows, more than a hash table holds (2^32 - 1)");
  }
  std::shared_ptr<JoinHashTable> table(new JoinHashTable());
  table->batch_ = std::move(batch);
  table->null_equals_null_ = null_equals_null;
  int64_t key_bytes = 0;
  for (const auto& key : keys) key_bytes += arrow::util::TotalBufferSize(*key);
  table->null_rows_ = null_key_rows(keys, n);
  table->row_groups_.resize(static_cast<size_t>(n));
  if (keys.size() == 1 && is_int_like(*keys[0]->type())) {
    ARROW_RETURN_NOT_OK(table->build_int(*keys[0], reservation));
  } else {
    ARROW_RETURN_NOT_OK(table->build_grouper(keys, key_bytes, reservation));
  }

  // CSR: counts, prefix sums, then scatter (rows stay ascending within a group).
  auto& offsets = table->offsets_;
  offsets.assign(static_cast<size_t>(table->num_groups_) + 1, 0);
  for (const uint32_t g : table->row_groups_) {
    if (g != kNoGroup) ++offsets[g + 1];
  }
  for (size_t g = 1; g < offsets.size(); ++g) offsets[g] += offsets[g - 1];
  table->rows_.resize(offsets.back());
  std::vector<uint32_t> cursor(offsets.begin(), offsets.end() - 1);
  for (int64_t i = 0; i < n; ++i) {
    const uint32_t g = table->row_groups_[static_cast<size_t>(i)];
    if (g != kNoGroup) table->rows_[cursor[g]++] = static_cast<uint32_t>(i);
  }
  return table;
}

arrow::Status JoinHashTable::build_int(const arrow::Array& key,
                                       physical::MemoryReservation& reservation) {
  const int64_t n = num_rows();
  int_map_ = std::make_unique<IntKeyMap>(n);
  // The map, group ids and CSR.
  ARROW_RETURN_NOT_OK(reservation.grow(int_map_->memory() + 12 * n + 64));
  uint32_t* groups = row_groups_.data();
  IntKeyMap& map = *int_map_;
  if (key.null_count() == 0) {
    for_each_int(key, [&](int64_t i, int64_t v) { groups[i] = map.insert(v); });
  } else {
    for_each_int(key, [&](int64_t i, int64_t v) {
      if (key.IsValid(i)) {
        groups[i] = map.insert(v);
      } else if (null_equals_null_) {
        if (int_null_group_ == kNoGroup) int_null_group_ = kNullGroupPending;
        groups[i] = kNullGroupPending;
      } else {
        groups[i] = kNoGroup;
      }
    });
  }
  num_groups_ = map.size();
  if (int_null_group_ == kNullGroupPending) {
    int_null_group_ = num_groups_++;
    for (uint32_t& g : row_groups_) {
      if (g == kNullGroupPending) g = int_null_group_;
    }
  }
  return arrow::Status::OK();
}

arrow::Status JoinHashTable::build_grouper(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                                           int64_t key_bytes,
                                           physical::MemoryReservation& reservation) {
  const int64_t n = num_rows();
  std::vector<arrow::TypeHolder> types;
  for (const auto& key : keys) types.emplace_back(key->type());
  ARROW_ASSIGN_OR_RAISE(grouper_, arrow::compute::Grouper::Make(types));
  // Group ids, hash table and CSR: about 12 bytes per row plus the grouper's copy of the keys.
  ARROW_RETURN_NOT_OK(reservation.grow(12 * n + 2 * key_bytes + 64));
  std::vector<arrow::Datum> values(keys.begin(), keys.end());
  arrow::compute::ExecBatch exec_batch(std::move(values), n);
  for (int64_t start = 0; start < n; start += kConsumeChunk) {
    const int64_t length = std::min(kConsumeChunk, n - start);
    ARROW_ASSIGN_OR_RAISE(arrow::Datum ids,
                          grouper_->Consume(arrow::compute::ExecSpan(exec_batch), start, length));
    std::memcpy(row_groups_.data() + start, ids.array()->GetValues<uint32_t>(1),
                static_cast<size_t>(length) * sizeof(uint32_t));
  }
  if (!null_equals_null_ && !null_rows_.empty()) {
    for (int64_t i = 0; i < n; ++i) {
      if (null_rows_[static_cast<size_t>(i)]) row_groups_[static_cast<size_t>(i)] = kNoGroup;
    }
  }
  num_groups_ = grouper_->num_groups();
  return arrow::Status::OK();
}

arrow::Result<std::vector<uint32_t>> JoinHashTable::lookup(
    const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows) const {
  std::vector<uint32_t> out(static_cast<size_t>(num_rows));
  uint32_t* groups = out.data();
  if (int_map_ != nullptr) {
    const arrow::Array& key = *keys[0];
    const IntKeyMap& map = *int_map_;
    for_each_int(key, [&](int64_t i, int64_t v) { groups[i] = map.find(v); });
    if (key.null_count() > 0) {
      for (int64_t i = 0; i < num_rows; ++i) {
        if (key.IsNull(i)) groups[i] = int_null_group_;
      }
    }
    return out;
  }
  std::vector<arrow::Datum> values(keys.begin(), keys.end());
  arrow::compute::ExecBatch exec_batch(std::move(values), num_rows);
  arrow::Datum ids;
  {
    std::lock_guard<std::mutex> lock(grouper_mutex_);
    ARROW_ASSIGN_OR_RAISE(ids, grouper_->Lookup(arrow::compute::ExecSpan(exec_batch)));
  }
  const auto& data = *ids.array();
  const uint32_t* values_in = data.GetValues<uint32_t>(1);
  for (int64_t i = 0; i < num_rows; ++i) {
    groups[i] = data.IsValid(i) ? values_in[i] : kNoGroup;
  }
  return out;
}

bool is_int_like(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIME32:
    case arrow::Type::TIME64:
    case arrow::Type::TIMESTAMP:
    case arrow::Type::DURATION:
      return true;
    default:
      return false;
  }
}

}  // namespace quiver::exec
