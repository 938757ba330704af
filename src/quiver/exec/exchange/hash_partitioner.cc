#include "quiver/exec/exchange/hash_partitioner.h"

#include <arrow/builder.h>

#include <cmath>
#include <cstring>
#include <string_view>

namespace quiver::exec {

namespace {

constexpr uint64_t kNullHash = 0x6a09e667f3bcc909ULL;
constexpr uint64_t kSeed = 0x243f6a8885a308d3ULL;

// A 64-bit finaliser (splitmix64's): spreads every input bit over the output.
uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

uint64_t combine(uint64_t seed, uint64_t value) {
  return mix64(seed ^ (mix64(value) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)));
}

// FNV-1a over bytes, then mixed.
uint64_t hash_bytes(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix64(h ^ bytes.size());
}

uint64_t hash_double(double d) {
  if (d == 0.0) d = 0.0;  // -0.0 and 0.0 are equal keys
  if (std::isnan(d)) return 0x7ff8000000000000ULL;
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof(bits));
  return bits;
}

// Each function below writes one value hash per row into `out` (kNullHash for nulls); rows are
// then folded together column by column in hash_rows.
template <typename Fn>
void for_each_row(const arrow::Array& array, uint64_t* out, Fn&& value_hash) {
  const int64_t n = array.length();
  for (int64_t i = 0; i < n; ++i) out[i] = array.IsNull(i) ? kNullHash : value_hash(i);
}

template <typename CType>
void hash_signed(const arrow::Array& array, uint64_t* out) {
  const auto* values = array.data()->GetValues<CType>(1);
  for_each_row(array, out,
               [&](int64_t i) { return static_cast<uint64_t>(static_cast<int64_t>(values[i])); });
}

template <typename CType>
void hash_unsigned(const arrow::Array& array, uint64_t* out) {
  const auto* values = array.data()->GetValues<CType>(1);
  for_each_row(array, out, [&](int64_t i) { return static_cast<uint64_t>(values[i]); });
}

template <typename CType>
void hash_floating(const arrow::Array& array, uint64_t* out) {
  const auto* values = array.data()->GetValues<CType>(1);
  for_each_row(array, out, [&](int64_t i) { return hash_double(static_cast<double>(values[i])); });
}

template <typename ArrayType>
void hash_binary_like(const arrow::Array& array, uint64_t* out) {
  const auto& typed = static_cast<const ArrayType&>(array);
  for_each_row(array, out, [&](int64_t i) {
    auto view = typed.GetView(i);
    return hash_bytes(std::string_view(reinterpret_cast<const char*>(view.data()), view.size()));
  });
}

arrow::Status value_hashes(const arrow::Array& array, uint64_t* out);

// A dictionary-encoded key hashes like its decoded values, so encodings do not change partitions.
arrow::Status hash_dictionary(const arrow::Array& array, uint64_t* out) {
  const auto& dict_array = static_cast<const arrow::DictionaryArray&>(array);
  const auto& dictionary = *dict_array.dictionary();
  std::vector<uint64_t> entries(static_cast<size_t>(dictionary.length()), 0);
  ARROW_RETURN_NOT_OK(value_hashes(dictionary, entries.data()));
  for (int64_t i = 0; i < array.length(); ++i) {
    out[i] =
        array.IsNull(i) ? kNullHash : entries[static_cast<size_t>(dict_array.GetValueIndex(i))];
  }
  return arrow::Status::OK();
}

arrow::Status value_hashes(const arrow::Array& array, uint64_t* out) {
  using arrow::Type;
  switch (array.type_id()) {
    case Type::NA:
      for (int64_t i = 0; i < array.length(); ++i) out[i] = kNullHash;
      return arrow::Status::OK();
    case Type::BOOL: {
      const auto& typed = static_cast<const arrow::BooleanArray&>(array);
      for_each_row(array, out, [&](int64_t i) { return typed.Value(i) ? 1ULL : 0ULL; });
      return arrow::Status::OK();
    }
    case Type::INT8:
      hash_signed<int8_t>(array, out);
      return arrow::Status::OK();
    case Type::INT16:
      hash_signed<int16_t>(array, out);
      return arrow::Status::OK();
    case Type::INT32:
    case Type::DATE32:
    case Type::TIME32:
    case Type::INTERVAL_MONTHS:
      hash_signed<int32_t>(array, out);
      return arrow::Status::OK();
    case Type::INT64:
    case Type::DATE64:
    case Type::TIME64:
    case Type::TIMESTAMP:
    case Type::DURATION:
      hash_signed<int64_t>(array, out);
      return arrow::Status::OK();
    case Type::UINT8:
      hash_unsigned<uint8_t>(array, out);
      return arrow::Status::OK();
    case Type::UINT16:
      hash_unsigned<uint16_t>(array, out);
      return arrow::Status::OK();
    case Type::UINT32:
      hash_unsigned<uint32_t>(array, out);
      return arrow::Status::OK();
    case Type::UINT64:
      hash_unsigned<uint64_t>(array, out);
      return arrow::Status::OK();
    case Type::FLOAT:
      hash_floating<float>(array, out);
      return arrow::Status::OK();
    case Type::DOUBLE:
      hash_floating<double>(array, out);
      return arrow::Status::OK();
    case Type::STRING:
      hash_binary_like<arrow::StringArray>(array, out);
      return arrow::Status::OK();
    case Type::BINARY:
      hash_binary_like<arrow::BinaryArray>(array, out);
      return arrow::Status::OK();
    case Type::LARGE_STRING:
      hash_binary_like<arrow::LargeStringArray>(array, out);
      return arrow::Status::OK();
    case Type::LARGE_BINARY:
      hash_binary_like<arrow::LargeBinaryArray>(array, out);
      return arrow::Status::OK();
    case Type::STRING_VIEW:
      hash_binary_like<arrow::StringViewArray>(array, out);
      return arrow::Status::OK();
    case Type::BINARY_VIEW:
      hash_binary_like<arrow::BinaryViewArray>(array, out);
      return arrow::Status::OK();
    case Type::FIXED_SIZE_BINARY:
    case Type::DECIMAL128:
    case Type::DECIMAL256:
      hash_binary_like<arrow::FixedSizeBinaryArray>(array, out);
      return arrow::Status::OK();
    case Type::DICTIONARY:
      return hash_dictionary(array, out);
    default:
      return arrow::Status::NotImplemented("hash partitioning on a key of type ",
                                           array.type()->ToString(), " is not supported");
  }
}

}  // namespace

arrow::Result<std::vector<uint64_t>> hash_rows(
    const std::vector<std::shared_ptr<arrow::Array>>& keys, int64_t num_rows) {
  std::vector<uint64_t> hashes(static_cast<size_t>(num_rows), kSeed);
  std::vector<uint64_t> values(static_cast<size_t>(num_rows), 0);
  for (const auto& key : keys) {
    if (key->length() != num_rows) {
      return arrow::Status::UnknownError("hash_rows: key of length ", key->length(), ", expected ",
                                         num_rows);
    }
    ARROW_RETURN_NOT_OK(value_hashes(*key, values.data()));
    for (size_t i = 0; i < hashes.size(); ++i) hashes[i] = combine(hashes[i], values[i]);
  }
  return hashes;
}

arrow::Result<std::vector<std::shared_ptr<arrow::UInt32Array>>> hash_partition(
    const arrow::RecordBatch& batch, const std::vector<physical::PhysicalExprPtr>& exprs,
    int num_partitions) {
  if (num_partitions <= 0) {
    return arrow::Status::UnknownError("hash_partition: ", num_partitions, " partitions");
  }
  std::vector<std::shared_ptr<arrow::Array>> keys;
  keys.reserve(exprs.size());
  for (const auto& expr : exprs) {
    ARROW_ASSIGN_OR_RAISE(auto key, physical::evaluate_to_array(*expr, batch));
    keys.push_back(std::move(key));
  }
  ARROW_ASSIGN_OR_RAISE(auto hashes, hash_rows(keys, batch.num_rows()));
  std::vector<arrow::UInt32Builder> builders(static_cast<size_t>(num_partitions));
  std::vector<int64_t> counts(static_cast<size_t>(num_partitions), 0);
  for (uint64_t h : hashes) ++counts[static_cast<size_t>(partition_of(h, num_partitions))];
  for (int p = 0; p < num_partitions; ++p) {
    ARROW_RETURN_NOT_OK(builders[static_cast<size_t>(p)].Reserve(counts[static_cast<size_t>(p)]));
  }
  for (size_t i = 0; i < hashes.size(); ++i) {
    builders[static_cast<size_t>(partition_of(hashes[i], num_partitions))].UnsafeAppend(
        static_cast<uint32_t>(i));
  }
  std::vector<std::shared_ptr<arrow::UInt32Array>> out;
  out.reserve(static_cast<size_t>(num_partitions));
  for (auto& builder : builders) {
    std::shared_ptr<arrow::UInt32Array> indices;
    ARROW_RETURN_NOT_OK(builder.Finish(&indices));
    out.push_back(std::move(indices));
  }
  return out;
}

}  // namespace quiver::exec
