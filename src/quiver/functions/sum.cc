// sum(x): Int64 for signed integers, UInt64 for unsigned, Float64 for floating point and
// Decimal128(38, s) for decimals (DuckDB's and DataFusion's rule). Integer overflow is the user
// error "integer overflow in sum". A group with only NULLs sums to NULL.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/util/decimal.h>

#include <cstring>
#include <type_traits>

#include "quiver/functions/accumulator_factories.h"
#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"
#include "quiver/functions/state_conversion.h"

namespace quiver::functions {

namespace {

constexpr int32_t kMaxDecimal128Precision = 38;

arrow::Result<std::shared_ptr<arrow::DataType>> sum_type(const DataTypeVector& arg_types) {
  constexpr const char* kExpected = "one numeric argument";
  if (arg_types.size() != 1) return unsupported_call("sum", arg_types, kExpected);
  const auto& t = *arg_types[0];
  if (t.id() == arrow::Type::NA || arrow::is_signed_integer(t.id())) return arrow::int64();
  if (arrow::is_unsigned_integer(t.id())) return arrow::uint64();
  if (arrow::is_floating(t.id())) return arrow::float64();
  if (t.id() == arrow::Type::DECIMAL128) {
    const auto& dec = static_cast<const arrow::Decimal128Type&>(t);
    return arrow::decimal128(kMaxDecimal128Precision, dec.scale());
  }
  return unsupported_call("sum", arg_types, kExpected);
}

template <typename ArrowType>
struct SumTraits {
  using Value = typename ArrowType::c_type;
  using Array = arrow::NumericArray<ArrowType>;
  using Builder = arrow::NumericBuilder<ArrowType>;
  static Value read(const Array& a, int64_t i) { return a.Value(i); }
  static arrow::Status add(Value* acc, Value v) {
    if constexpr (std::is_integral_v<Value>) {
      if (__builtin_add_overflow(*acc, v, acc)) {
        return arrow::Status::Invalid("integer overflow in sum");
      }
    } else {
      *acc += v;
    }
    return arrow::Status::OK();
  }
  static arrow::Status check(const Value&, const arrow::DataType&) { return arrow::Status::OK(); }
};

template <>
struct SumTraits<arrow::Decimal128Type> {
  using Value = arrow::Decimal128;
  using Array = arrow::Decimal128Array;
  using Builder = arrow::Decimal128Builder;
  static Value read(const Array& a, int64_t i) { return Value(a.GetValue(i)); }
  // Adds as native 128-bit integers (Decimal128's operator+= is an out-of-line call).
  static arrow::Status add(Value* acc, const Value& v) {
    const auto wide = [](const Value& d) {
      return static_cast<__int128>(
          (static_cast<unsigned __int128>(static_cast<uint64_t>(d.high_bits())) << 64) |
          d.low_bits());
    };
    __int128 total = 0;
    if (__builtin_add_overflow(wide(*acc), wide(v), &total)) {
      return arrow::Status::Invalid("decimal overflow in sum: the total does not fit Decimal128");
    }
    *acc = Value(static_cast<int64_t>(total >> 64), static_cast<uint64_t>(total));
    return arrow::Status::OK();
  }
  static arrow::Status check(const Value& v, const arrow::DataType& type) {
    const auto& dec = static_cast<const arrow::Decimal128Type&>(type);
    if (!v.FitsInPrecision(dec.precision())) {
      return arrow::Status::Invalid("decimal overflow in sum: the total does not fit ",
                                    type.ToString());
    }
    return arrow::Status::OK();
  }
};

// Whether `from` and `to` are Decimal128 types of the same scale: their unscaled values are the
// same, so a sum needs no cast (the total's precision is checked at the end).
bool same_decimal_scale(const arrow::DataType& from, const arrow::DataType& to) {
  return from.id() == arrow::Type::DECIMAL128 && to.id() == arrow::Type::DECIMAL128 &&
         static_cast<const arrow::Decimal128Type&>(from).scale() ==
             static_cast<const arrow::Decimal128Type&>(to).scale();
}

// Sums values already cast to the result type `type_` (merging partial sums is the same).
template <typename ArrowType>
class SumAccumulator : public GroupsAccumulator {
  using Traits = SumTraits<ArrowType>;
  using Value = typename Traits::Value;

 public:
  explicit SumAccumulator(std::shared_ptr<arrow::DataType> type) : type_(std::move(type)) {}

  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                             const uint32_t* group_ids, int64_t total_groups) override {
    if (values.size() != 1) return arrow::Status::UnknownError("sum takes one argument");
    return add_all(*values[0], group_ids, total_groups);
  }

  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                            const uint32_t* group_ids, int64_t total_groups) override {
    if (states.size() != 1) return arrow::Status::UnknownError("sum has one state column");
    return add_all(*states[0], group_ids, total_groups);
  }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    ARROW_ASSIGN_OR_RAISE(auto sums, evaluate());
    return std::vector<std::shared_ptr<arrow::Array>>{sums};
  }

  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    typename Traits::Builder builder(type_, arrow::default_memory_pool());
    ARROW_RETURN_NOT_OK(builder.Reserve(static_cast<int64_t>(sums_.size())));
    for (size_t g = 0; g < sums_.size(); ++g) {
      if (seen_[g]) {
        ARROW_RETURN_NOT_OK(Traits::check(sums_[g], *type_));
        builder.UnsafeAppend(sums_[g]);
      } else {
        builder.UnsafeAppendNull();
      }
    }
    return builder.Finish();
  }

  int64_t size() const override {
    return static_cast<int64_t>(sums_.capacity() * sizeof(Value) + seen_.capacity());
  }

  bool supports_convert_to_state() const override { return true; }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> convert_to_state(
      const std::vector<std::shared_ptr<arrow::Array>>& values) override {
    if (values.size() != 1) return arrow::Status::UnknownError("sum takes one argument");
    ARROW_ASSIGN_OR_RAISE(auto sums, as_state_column(values[0], type_));
    return std::vector<std::shared_ptr<arrow::Array>>{std::move(sums)};
  }

 private:
  arrow::Status add_all(const arrow::Array& input, const uint32_t* group_ids,
                        int64_t total_groups) {
    if (static_cast<int64_t>(sums_.size()) < total_groups) {
      sums_.resize(static_cast<size_t>(total_groups), Value{});
      seen_.resize(static_cast<size_t>(total_groups), 0);
    }
    if (input.type_id() == arrow::Type::NA) return arrow::Status::OK();
    std::shared_ptr<arrow::Array> cast;
    const arrow::Array* values = &input;
    if (!input.type()->Equals(*type_) && !same_decimal_scale(*input.type(), *type_)) {
      ARROW_ASSIGN_OR_RAISE(arrow::Datum d, arrow::compute::Cast(input, type_));
      cast = d.make_array();
      values = cast.get();
    }
    const auto& typed = static_cast<const typename Traits::Array&>(*values);
    Value* sums = sums_.data();
    uint8_t* seen = seen_.data();
    if constexpr (std::is_same_v<ArrowType, arrow::Decimal128Type>) {
      // Decimal128's bytes are a little-endian int128: add them natively, one overflow flag
      // for the batch (no per-row Status or Decimal128 temporaries).
      const uint8_t* raw = typed.raw_values();
      const bool nulls = typed.null_count() > 0;
      bool overflow = false;
      for (int64_t i = 0; i < typed.length(); ++i) {
        if (nulls && typed.IsNull(i)) continue;
        const uint32_t g = group_ids[i];
        __int128 acc;
        __int128 value;
        std::memcpy(&acc, &sums[g], sizeof(acc));
        std::memcpy(&value, raw + i * 16, sizeof(value));
        overflow |= __builtin_add_overflow(acc, value, &acc);
        std::memcpy(&sums[g], &acc, sizeof(acc));
        seen[g] = 1;
      }
      if (overflow) {
        return arrow::Status::Invalid("decimal overflow in sum: the total does not fit Decimal128");
      }
      return arrow::Status::OK();
    }
    const bool has_nulls = typed.null_count() > 0;
    for (int64_t i = 0; i < typed.length(); ++i) {
      if (has_nulls && typed.IsNull(i)) continue;
      const uint32_t g = group_ids[i];
      ARROW_RETURN_NOT_OK(Traits::add(&sums[g], Traits::read(typed, i)));
      seen[g] = 1;
    }
    return arrow::Status::OK();
  }

  std::shared_ptr<arrow::DataType> type_;
  std::vector<Value> sums_;
  std::vector<uint8_t> seen_;
};

}  // namespace

arrow::Result<std::unique_ptr<GroupsAccumulator>> make_sum_accumulator(
    const DataTypeVector& arg_types) {
  ARROW_ASSIGN_OR_RAISE(auto type, sum_type(arg_types));
  switch (type->id()) {
    case arrow::Type::INT64:
      return std::make_unique<SumAccumulator<arrow::Int64Type>>(type);
    case arrow::Type::UINT64:
      return std::make_unique<SumAccumulator<arrow::UInt64Type>>(type);
    case arrow::Type::DOUBLE:
      return std::make_unique<SumAccumulator<arrow::DoubleType>>(type);
    case arrow::Type::DECIMAL128:
      return std::make_unique<SumAccumulator<arrow::Decimal128Type>>(type);
    default:
      return arrow::Status::UnknownError("no sum accumulator for ", type->ToString());
  }
}

AggregateFunctionDef sum_function() {
  AggregateFunctionDef def;
  def.name = "sum";
  def.return_type = [](const DataTypeVector& arg_types,
                       bool) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    return sum_type(arg_types);
  };
  def.state_fields = [](const DataTypeVector& arg_types, bool distinct,
                        const std::string& display_name) -> arrow::Result<arrow::FieldVector> {
    ARROW_ASSIGN_OR_RAISE(auto type, sum_type(arg_types));
    if (distinct) return arrow::FieldVector{distinct_state_field(arg_types[0], display_name)};
    return arrow::FieldVector{arrow::field(display_name + "[sum]", type)};
  };
  def.make_accumulator = [](const DataTypeVector& arg_types,
                            bool distinct) -> arrow::Result<std::unique_ptr<GroupsAccumulator>> {
    if (!distinct) return make_sum_accumulator(arg_types);
    ARROW_RETURN_NOT_OK(sum_type(arg_types).status());
    return make_distinct_accumulator(arg_types[0],
                                     [arg_types] { return make_sum_accumulator(arg_types); });
  };
  return def;
}

}  // namespace quiver::functions
