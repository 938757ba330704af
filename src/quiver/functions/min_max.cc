// min(x) / max(x) over any orderable type: numbers, decimals, dates, times, timestamps,
// durations, booleans, strings and binaries. The state is the running min/max itself, so
// merging partial states is the same operation as updating. A group with only NULLs gives NULL.
// Floating point orders NaN above every number, as PostgreSQL does.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/util/decimal.h>

#include <cmath>
#include <string>
#include <type_traits>

#include "quiver/functions/accumulator_factories.h"
#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"
#include "quiver/functions/state_conversion.h"

namespace quiver::functions {

namespace {

// How to read, compare and write one kind of value.
template <typename ArrowType>
struct PrimitiveOps {
  using Value = typename ArrowType::c_type;
  using Array = arrow::NumericArray<ArrowType>;
  using Builder = arrow::NumericBuilder<ArrowType>;
  static Value read(const Array& a, int64_t i) { return a.Value(i); }
  static bool less(Value a, Value b) {
    if constexpr (std::is_floating_point_v<Value>) {
      if (std::isnan(a)) return false;
      if (std::isnan(b)) return true;
    }
    return a < b;
  }
  static int64_t bytes(const Value&) { return 0; }
};

struct BooleanOps {
  using Value = bool;
  using Array = arrow::BooleanArray;
  using Builder = arrow::BooleanBuilder;
  static Value read(const Array& a, int64_t i) { return a.Value(i); }
  static bool less(Value a, Value b) { return !a && b; }
  static int64_t bytes(const Value&) { return 0; }
};

struct DecimalOps {
  using Value = arrow::Decimal128;
  using Array = arrow::Decimal128Array;
  using Builder = arrow::Decimal128Builder;
  static Value read(const Array& a, int64_t i) { return Value(a.GetValue(i)); }
  static bool less(const Value& a, const Value& b) { return a < b; }
  static int64_t bytes(const Value&) { return 0; }
};

template <typename ArrayType, typename BuilderType>
struct BinaryOps {
  using Value = std::string;
  using Array = ArrayType;
  using Builder = BuilderType;
  static std::string_view read(const Array& a, int64_t i) { return a.GetView(i); }
  static bool less(std::string_view a, std::string_view b) { return a < b; }
  static int64_t bytes(const Value& v) { return static_cast<int64_t>(v.capacity()); }
};

template <typename Ops>
class MinMaxAccumulator : public GroupsAccumulator {
  using Value = typename Ops::Value;

 public:
  MinMaxAccumulator(std::shared_ptr<arrow::DataType> type, bool is_max)
      : type_(std::move(type)), is_max_(is_max) {}

  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                             const uint32_t* group_ids, int64_t total_groups) override {
    if (values.size() != 1) return arrow::Status::UnknownError("min/max take one argument");
    return fold(*values[0], group_ids, total_groups);
  }

  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                            const uint32_t* group_ids, int64_t total_groups) override {
    if (states.size() != 1) return arrow::Status::UnknownError("min/max have one state column");
    return fold(*states[0], group_ids, total_groups);
  }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    ARROW_ASSIGN_OR_RAISE(auto values, evaluate());
    return std::vector<std::shared_ptr<arrow::Array>>{values};
  }

  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    typename Ops::Builder builder(type_, arrow::default_memory_pool());
    ARROW_RETURN_NOT_OK(builder.Reserve(static_cast<int64_t>(values_.size())));
    for (size_t g = 0; g < values_.size(); ++g) {
      if (seen_[g]) {
        ARROW_RETURN_NOT_OK(builder.Append(values_[g]));
      } else {
        ARROW_RETURN_NOT_OK(builder.AppendNull());
      }
    }
    return builder.Finish();
  }

  // The aggregate asks after every batch, so the string bytes are kept as a running total
  // rather than summed over the groups here.
  int64_t size() const override {
    return static_cast<int64_t>(values_.capacity() * sizeof(Value) + seen_.capacity()) +
           value_bytes_;
  }

  bool supports_convert_to_state() const override { return true; }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> convert_to_state(
      const std::vector<std::shared_ptr<arrow::Array>>& values) override {
    if (values.size() != 1) return arrow::Status::UnknownError("min/max take one argument");
    ARROW_ASSIGN_OR_RAISE(auto state, as_state_column(values[0], type_));
    return std::vector<std::shared_ptr<arrow::Array>>{std::move(state)};
  }

 private:
  arrow::Status fold(const arrow::Array& input, const uint32_t* group_ids, int64_t total_groups) {
    if (static_cast<int64_t>(values_.size()) < total_groups) {
      values_.resize(static_cast<size_t>(total_groups));
      seen_.resize(static_cast<size_t>(total_groups), 0);
    }
    if (input.type_id() == arrow::Type::NA) return arrow::Status::OK();
    std::shared_ptr<arrow::Array> cast;
    const arrow::Array* values = &input;
    if (!input.type()->Equals(*type_)) {
      ARROW_ASSIGN_OR_RAISE(arrow::Datum d, arrow::compute::Cast(input, type_));
      cast = d.make_array();
      values = cast.get();
    }
    const auto& typed = static_cast<const typename Ops::Array&>(*values);
    const bool has_nulls = typed.null_count() > 0;
    for (int64_t i = 0; i < typed.length(); ++i) {
      if (has_nulls && typed.IsNull(i)) continue;
      const uint32_t g = group_ids[i];
      auto v = Ops::read(typed, i);
      if (!seen_[g]) {
        assign(g, v);
        seen_[g] = 1;
      } else if (is_max_ ? Ops::less(values_[g], v) : Ops::less(v, values_[g])) {
        assign(g, v);
      }
    }
    return arrow::Status::OK();
  }

  template <typename V>
  void assign(uint32_t g, const V& v) {
    value_bytes_ -= Ops::bytes(values_[g]);
    values_[g] = Value(v);
    value_bytes_ += Ops::bytes(values_[g]);
  }

  std::shared_ptr<arrow::DataType> type_;
  bool is_max_;
  std::vector<Value> values_;
  std::vector<uint8_t> seen_;
  int64_t value_bytes_ = 0;  // heap bytes of string values, see size()
};

// min/max of untyped NULLs: always NULL.
class NullMinMaxAccumulator : public GroupsAccumulator {
 public:
  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>&, const uint32_t*,
                             int64_t total_groups) override {
    groups_ = std::max(groups_, total_groups);
    return arrow::Status::OK();
  }
  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>&, const uint32_t*,
                            int64_t total_groups) override {
    groups_ = std::max(groups_, total_groups);
    return arrow::Status::OK();
  }
  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    ARROW_ASSIGN_OR_RAISE(auto values, evaluate());
    return std::vector<std::shared_ptr<arrow::Array>>{values};
  }
  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    return std::make_shared<arrow::NullArray>(groups_);
  }
  int64_t size() const override { return 0; }
  bool supports_convert_to_state() const override { return true; }
  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> convert_to_state(
      const std::vector<std::shared_ptr<arrow::Array>>& values) override {
    const int64_t n = values.empty() ? 0 : values[0]->length();
    return std::vector<std::shared_ptr<arrow::Array>>{std::make_shared<arrow::NullArray>(n)};
  }

 private:
  int64_t groups_ = 0;
};

template <typename Ops>
std::unique_ptr<GroupsAccumulator> make(const std::shared_ptr<arrow::DataType>& type, bool is_max) {
  return std::make_unique<MinMaxAccumulator<Ops>>(type, is_max);
}

arrow::Status check_args(std::string_view name, const DataTypeVector& arg_types) {
  if (arg_types.size() != 1) return unsupported_call(name, arg_types, "one argument");
  return arrow::Status::OK();
}

AggregateFunctionDef min_max_function(bool is_max) {
  const std::string name = is_max ? "max" : "min";
  AggregateFunctionDef def;
  def.name = name;
  def.return_type = [name, is_max](const DataTypeVector& arg_types,
                                   bool) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(make_min_max_accumulator(arg_types, is_max).status());
    return arg_types[0];
  };
  // DISTINCT does not change min or max: it is ignored.
  def.state_fields = [name](const DataTypeVector& arg_types, bool,
                            const std::string& display_name) -> arrow::Result<arrow::FieldVector> {
    ARROW_RETURN_NOT_OK(check_args(name, arg_types));
    return arrow::FieldVector{arrow::field(display_name + "[" + name + "]", arg_types[0])};
  };
  def.make_accumulator = [is_max](const DataTypeVector& arg_types, bool) {
    return make_min_max_accumulator(arg_types, is_max);
  };
  return def;
}

}  // namespace

arrow::Result<std::unique_ptr<GroupsAccumulator>> make_min_max_accumulator(
    const DataTypeVector& arg_types, bool is_max) {
  const char* name = is_max ? "max" : "min";
  ARROW_RETURN_NOT_OK(check_args(name, arg_types));
  const auto& type = arg_types[0];
  switch (type->id()) {
    case arrow::Type::NA:
      return std::make_unique<NullMinMaxAccumulator>();
    case arrow::Type::BOOL:
      return make<BooleanOps>(type, is_max);
    case arrow::Type::INT8:
      return make<PrimitiveOps<arrow::Int8Type>>(type, is_max);
    case arrow::Type::INT16:
      return make<PrimitiveOps<arrow::Int16Type>>(type, is_max);
    case arrow::Type::INT32:
      return make<PrimitiveOps<arrow::Int32Type>>(type, is_max);
    case arrow::Type::INT64:
      return make<PrimitiveOps<arrow::Int64Type>>(type, is_max);
    case arrow::Type::UINT8:
      return make<PrimitiveOps<arrow::UInt8Type>>(type, is_max);
    case arrow::Type::UINT16:
      return make<PrimitiveOps<arrow::UInt16Type>>(type, is_max);
    case arrow::Type::UINT32:
      return make<PrimitiveOps<arrow::UInt32Type>>(type, is_max);
    case arrow::Type::UINT64:
      return make<PrimitiveOps<arrow::UInt64Type>>(type, is_max);
    case arrow::Type::FLOAT:
      return make<PrimitiveOps<arrow::FloatType>>(type, is_max);
    case arrow::Type::DOUBLE:
      return make<PrimitiveOps<arrow::DoubleType>>(type, is_max);
    case arrow::Type::DATE32:
      return make<PrimitiveOps<arrow::Date32Type>>(type, is_max);
    case arrow::Type::DATE64:
      return make<PrimitiveOps<arrow::Date64Type>>(type, is_max);
    case arrow::Type::TIME32:
      return make<PrimitiveOps<arrow::Time32Type>>(type, is_max);
    case arrow::Type::TIME64:
      return make<PrimitiveOps<arrow::Time64Type>>(type, is_max);
    case arrow::Type::TIMESTAMP:
      return make<PrimitiveOps<arrow::TimestampType>>(type, is_max);
    case arrow::Type::DURATION:
      return make<PrimitiveOps<arrow::DurationType>>(type, is_max);
    case arrow::Type::DECIMAL128:
      return make<DecimalOps>(type, is_max);
    case arrow::Type::STRING:
      return make<BinaryOps<arrow::StringArray, arrow::StringBuilder>>(type, is_max);
    case arrow::Type::LARGE_STRING:
      return make<BinaryOps<arrow::LargeStringArray, arrow::LargeStringBuilder>>(type, is_max);
    case arrow::Type::BINARY:
      return make<BinaryOps<arrow::BinaryArray, arrow::BinaryBuilder>>(type, is_max);
    case arrow::Type::LARGE_BINARY:
      return make<BinaryOps<arrow::LargeBinaryArray, arrow::LargeBinaryBuilder>>(type, is_max);
    case arrow::Type::STRING_VIEW:
      return make<BinaryOps<arrow::StringViewArray, arrow::StringViewBuilder>>(type, is_max);
    default:
      return unsupported_call(name, arg_types, "an orderable argument");
  }
}

AggregateFunctionDef min_function() { return min_max_function(false); }

AggregateFunctionDef max_function() { return min_max_function(true); }

}  // namespace quiver::functions
