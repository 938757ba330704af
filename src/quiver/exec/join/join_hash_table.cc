#include "quiver/exec/join/join_hash_table.h"

#include <arrow/array/concatenate.h>
#include <arrow/array/data.h>
#include <arrow/array/util.h>
#include <arrow/buffer.h>
#include <arrow/builder.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/cast.h>
#include <arrow/compute/exec.h>
#include <arrow/util/bit_run_reader.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>
#include <arrow/util/byte_size.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "quiver/exec/aggregate/key_cast.h"

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
  auto schema = batch->schema();
  return Make(std::vector<std::shared_ptr<arrow::RecordBatch>>{std::move(batch)}, std::move(schema),
              std::move(keys), null_equals_null, reservation);
}

arrow::Result<std::shared_ptr<JoinHashTable>> JoinHashTable::Make(
    std::vector<std::shared_ptr<arrow::RecordBatch>> chunks, std::shared_ptr<arrow::Schema> schema,
    std::vector<std::shared_ptr<arrow::Array>> keys, bool null_equals_null,
    physical::MemoryReservation& reservation) {
  std::shared_ptr<JoinHashTable> table(new JoinHashTable());
  int64_t n = 0;
  for (const auto& chunk : chunks) {
    table->chunk_starts_.push_back(n);
    n += chunk->num_rows();
  }
  static_assert(IntKeyMap::kMissing == kNoGroup);
  if (n >= static_cast<int64_t>(kNullGroupPending)) {
    return arrow::Status::Invalid("HashJoinExec: the build side has ", n,
                                  " rows, more than a hash table holds (2^32 - 1)");
  }
  for (const auto& key : keys) {
    if (key->length() != n) {
      return arrow::Status::Invalid("HashJoinExec: a build key has ", key->length(), " rows for ",
                                    n, " build rows");
    }
  }
  table->num_rows_ = n;
  if (chunks.empty()) {
    ARROW_ASSIGN_OR_RAISE(table->batch_, arrow::RecordBatch::MakeEmpty(std::move(schema)));
    table->chunk_starts_ = {0};
    table->chunks_ = {table->batch_};
  } else if (chunks.size() == 1) {
    table->batch_ = chunks.front();
    table->chunks_ = std::move(chunks);
  } else {
    table->chunks_ = std::move(chunks);
  }
  table->null_equals_null_ = null_equals_null;
  int64_t key_bytes = 0;
  for (const auto& key : keys) key_bytes += arrow::util::TotalBufferSize(*key);
  table->null_rows_ = null_key_rows(keys, n);
  table->row_groups_.resize(static_cast<size_t>(n));
  if (keys.size() == 1 && is_int_like(*keys[0]->type())) {
    ARROW_RETURN_NOT_OK(table->build_int(*keys[0], reservation));
  } else {
    ARROW_RETURN_NOT_OK(table->build_keyed(keys, key_bytes, reservation));
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
  int_map_ = std::make_unique<IntKeyMap>(n, int_key_range(key));
  // The map, group ids and CSR.
  ARROW_RETURN_NOT_OK(reservation.grow(int_map_->memory() + 12 * n + 64));
  uint32_t* groups = row_groups_.data();
  IntKeyMap& map = *int_map_;
  if (key.null_count() == 0) {
    visit_int_values(
        key, [&](const auto* values, int64_t length) { map.insert_all(values, length, groups); });
  } else {
    // The valid runs in order (ids stay first-seen), then the NULL rows.
    visit_int_values(key, [&](const auto* values, int64_t length) {
      arrow::internal::VisitSetBitRunsVoid(
          key.null_bitmap_data(), key.offset(), length, [&](int64_t position, int64_t run) {
            map.insert_all(values + position, run, groups + position);
          });
    });
    const uint32_t null_group = null_equals_null_ ? kNullGroupPending : kNoGroup;
    for (int64_t i = 0; i < n; ++i) {
      if (key.IsNull(i)) {
        groups[i] = null_group;
        if (null_equals_null_) int_null_group_ = kNullGroupPending;
      }
    }
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

arrow::Status JoinHashTable::build_keyed(const std::vector<std::shared_ptr<arrow::Array>>& keys,
                                         int64_t key_bytes,
                                         physical::MemoryReservation& reservation) {
  for (const auto& key : keys) key_types_.push_back(key->type());
  const int64_t n = num_rows();
  if (PackedKeyMap::supports(key_types_)) {
    packed_ = std::make_unique<PackedKeyMap>(key_types_);
    packed_->reserve(n);
    // The map (slots and keys), group ids and CSR.
    ARROW_RETURN_NOT_OK(reservation.grow(packed_->memory() + 12 * n + 64));
  } else if (RowKeyTable::supports(key_types_)) {
    row_table_ = std::make_unique<RowKeyTable>(key_types_);
    row_table_->reserve(n);
    // The slots, the serialized keys (about the key columns' size), group ids and CSR.
    ARROW_RETURN_NOT_OK(reservation.grow(row_table_->memory() + key_bytes + 28 * n + 64));
  } else {
    key_types_.clear();
    return build_grouper(keys, key_bytes, reservation);
  }
  // NULL keys get groups too (as in the Grouper); without null_equals_null their rows are taken
  // out below, so those groups stay empty and match nothing.
  for (int64_t start = 0; start < n; start += kConsumeChunk) {
    const int64_t length = std::min(kConsumeChunk, n - start);
    std::vector<std::shared_ptr<arrow::Array>> slice;
    for (const auto& key : keys) slice.push_back(key->Slice(start, length));
    uint32_t* ids = row_groups_.data() + start;
    if (packed_ != nullptr) {
      ARROW_RETURN_NOT_OK(packed_->consume(slice, length, ids));
    } else {
      ARROW_RETURN_NOT_OK(row_table_->consume(slice, length, ids));
    }
  }
  if (!null_equals_null_ && !null_rows_.empty()) {
    for (int64_t i = 0; i < n; ++i) {
      if (null_rows_[static_cast<size_t>(i)]) row_groups_[static_cast<size_t>(i)] = kNoGroup;
    }
  }
  num_groups_ = packed_ != nullptr ? packed_->size() : row_table_->size();
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
    visit_int_values(
        key, [&](const auto* values, int64_t length) { map.find_all(values, length, groups); });
    if (key.null_count() > 0) {
      for (int64_t i = 0; i < num_rows; ++i) {
        if (key.IsNull(i)) groups[i] = int_null_group_;
      }
    }
    return out;
  }
  if (packed_ != nullptr || row_table_ != nullptr) {
    // Probe keys of another type than the build's (not expected) are cast first.
    ARROW_ASSIGN_OR_RAISE(const auto columns, cast_key_columns(keys, key_types_));
    static_assert(PackedKeyMap::kMissing == kNoGroup && RowKeyTable::kMissing == kNoGroup);
    if (packed_ != nullptr) {
      packed_->find(columns, num_rows, groups);
    } else {
      row_table_->find(columns, num_rows, groups);
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

arrow::Result<arrow::ArrayVector> JoinHashTable::take_rows(const uint32_t* rows,
                                                           int64_t count) const {
  const int num_columns = chunks_.front()->num_columns();
  // The rows of each chunk in turn (rows ascend), taken from it, then joined per column.
  std::vector<arrow::ArrayVector> pieces(static_cast<size_t>(num_columns));
  int64_t i = 0;
  while (i < count) {
    const auto chunk = static_cast<size_t>(
        std::upper_bound(chunk_starts_.begin(), chunk_starts_.end(), int64_t{rows[i]}) -
        chunk_starts_.begin() - 1);
    const int64_t start = chunk_starts_[chunk];
    const int64_t end = start + chunks_[chunk]->num_rows();
    arrow::UInt32Builder local;
    for (; i < count && rows[i] < end; ++i) {
      ARROW_RETURN_NOT_OK(local.Append(static_cast<uint32_t>(rows[i] - start)));
    }
    ARROW_ASSIGN_OR_RAISE(auto indices, local.Finish());
    ARROW_ASSIGN_OR_RAISE(arrow::Datum taken, arrow::compute::Take(chunks_[chunk], indices));
    const auto& columns = taken.record_batch()->columns();
    for (int c = 0; c < num_columns; ++c) pieces[static_cast<size_t>(c)].push_back(columns[c]);
  }
  arrow::ArrayVector out;
  for (int c = 0; c < num_columns; ++c) {
    auto& column = pieces[static_cast<size_t>(c)];
    if (column.size() == 1) {
      out.push_back(std::move(column.front()));
    } else if (column.empty()) {
      ARROW_ASSIGN_OR_RAISE(auto empty, arrow::MakeEmptyArray(chunks_.front()->column(c)->type()));
      out.push_back(std::move(empty));
    } else {
      ARROW_ASSIGN_OR_RAISE(auto joined, arrow::Concatenate(column));
      out.push_back(std::move(joined));
    }
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

std::optional<IntKeyRange> int_key_range(const arrow::Array& array) {
  std::optional<IntKeyRange> out;
  visit_int_values(array, [&](const auto* values, int64_t length) {
    auto extend = [&](int64_t position, int64_t run) {
      if (run == 0) return;
      const auto [lo, hi] = std::minmax_element(values + position, values + position + run);
      const auto low = static_cast<int64_t>(*lo);
      const auto high = static_cast<int64_t>(*hi);
      if (!out.has_value()) out = IntKeyRange{low, high};
      out->min = std::min(out->min, low);
      out->max = std::max(out->max, high);
    };
    if (array.null_count() == 0) {
      extend(0, length);
    } else {
      arrow::internal::VisitSetBitRunsVoid(array.null_bitmap_data(), array.offset(), length,
                                           extend);
    }
  });
  return out;
}

}  // namespace quiver::exec
