// avg(x): the mean as Float64; partial state [sum Float64, count Int64] so partial averages
// can be merged (for Decimal128(p, s) input the sum is an exact Decimal128(38, s) and only the
// final division is done in floating point, as DuckDB does). A group with only NULLs averages
// to NULL.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>
#include <arrow/util/decimal.h>

#include <cmath>
#include <cstring>

#include "quiver/functions/accumulator_factories.h"
#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"
#include "quiver/functions/state_conversion.h"

namespace quiver::functions {

namespace {

// The [sum, count] partial state of avg: `append_sum(g)` appends group g's sum to `sums`; a group
// without rows gets a NULL sum.
template <typename SumBuilder, typename AppendSum>
arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> sum_count_state(
    SumBuilder& sums, const std::vector<int64_t>& counts, AppendSum append_sum) {
  ARROW_RETURN_NOT_OK(sums.Reserve(static_cast<int64_t>(counts.size())));
  for (size_t g = 0; g < counts.size(); ++g) {
    if (counts[g] > 0) {
      append_sum(g);
    } else {
      sums.UnsafeAppendNull();
    }
  }
  arrow::Int64Builder count_builder;
  ARROW_RETURN_NOT_OK(count_builder.AppendValues(counts));
  ARROW_ASSIGN_OR_RAISE(auto sum_array, sums.Finish());
  ARROW_ASSIGN_OR_RAISE(auto count_array, count_builder.Finish());
  return std::vector<std::shared_ptr<arrow::Array>>{sum_array, count_array};
}

// The [sum, count] state of every row on its own: the value (NULL stays NULL) and 1 or 0.
arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> sum_count_rows(
    const std::shared_ptr<arrow::Array>& value, const std::shared_ptr<arrow::DataType>& sum_type) {
  ARROW_ASSIGN_OR_RAISE(auto sums, as_state_column(value, sum_type));
  ARROW_ASSIGN_OR_RAISE(auto counts, valid_row_counts({value}, value->length()));
  return std::vector<std::shared_ptr<arrow::Array>>{std::move(sums), std::move(counts)};
}

arrow::Status check_avg_args(const DataTypeVector& arg_types) {
  if (arg_types.size() != 1 || !fits_numeric(*arg_types[0])) {
    return unsupported_call("avg", arg_types, "one numeric argument");
  }
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::DoubleArray>> as_doubles(const arrow::Array& input) {
  if (input.type_id() == arrow::Type::DOUBLE) {
    return std::static_pointer_cast<arrow::DoubleArray>(arrow::MakeArray(input.data()));
  }
  ARROW_ASSIGN_OR_RAISE(arrow::Datum d, arrow::compute::Cast(input, arrow::float64()));
  return std::static_pointer_cast<arrow::DoubleArray>(d.make_array());
}

class AvgAccumulator : public GroupsAccumulator {
 public:
  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                             const uint32_t* group_ids, int64_t total_groups) override {
    if (values.size() != 1) return arrow::Status::UnknownError("avg takes one argument");
    grow(total_groups);
    if (values[0]->type_id() == arrow::Type::NA) return arrow::Status::OK();
    ARROW_ASSIGN_OR_RAISE(auto doubles, as_doubles(*values[0]));
    const double* raw = doubles->raw_values();
    const bool has_nulls = doubles->null_count() > 0;
    for (int64_t i = 0; i < doubles->length(); ++i) {
      if (has_nulls && doubles->IsNull(i)) continue;
      sums_[group_ids[i]] += raw[i];
      ++counts_[group_ids[i]];
    }
    return arrow::Status::OK();
  }

  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                            const uint32_t* group_ids, int64_t total_groups) override {
    if (states.size() != 2 || states[1]->type_id() != arrow::Type::INT64) {
      return arrow::Status::UnknownError("avg expects [sum Float64, count Int64] states");
    }
    grow(total_groups);
    ARROW_ASSIGN_OR_RAISE(auto sums, as_doubles(*states[0]));
    const auto& counts = static_cast<const arrow::Int64Array&>(*states[1]);
    for (int64_t i = 0; i < counts.length(); ++i) {
      if (counts.IsNull(i) || counts.Value(i) == 0) continue;
      sums_[group_ids[i]] += sums->IsValid(i) ? sums->Value(i) : 0.0;
      counts_[group_ids[i]] += counts.Value(i);
    }
    return arrow::Status::OK();
  }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    arrow::DoubleBuilder sums;
    return sum_count_state(sums, counts_, [&](size_t g) { sums.UnsafeAppend(sums_[g]); });
  }

  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    arrow::DoubleBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(static_cast<int64_t>(sums_.size())));
    for (size_t g = 0; g < sums_.size(); ++g) {
      if (counts_[g] > 0) {
        builder.UnsafeAppend(sums_[g] / static_cast<double>(counts_[g]));
      } else {
        builder.UnsafeAppendNull();
      }
    }
    return builder.Finish();
  }

  int64_t size() const override {
    return static_cast<int64_t>(sums_.capacity() * sizeof(double) +
                                counts_.capacity() * sizeof(int64_t));
  }

  bool supports_convert_to_state() const override { return true; }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> convert_to_state(
      const std::vector<std::shared_ptr<arrow::Array>>& values) override {
    if (values.size() != 1) return arrow::Status::UnknownError("avg takes one argument");
    return sum_count_rows(values[0], arrow::float64());
  }

 private:
  void grow(int64_t total_groups) {
    if (static_cast<int64_t>(sums_.size()) < total_groups) {
      sums_.resize(static_cast<size_t>(total_groups), 0.0);
      counts_.resize(static_cast<size_t>(total_groups), 0);
    }
  }

  std::vector<double> sums_;
  std::vector<int64_t> counts_;
};

using int128 = __int128;

int128 to_int128(const arrow::Decimal128& d) {
  return static_cast<int128>(
      (static_cast<unsigned __int128>(static_cast<uint64_t>(d.high_bits())) << 64) | d.low_bits());
}

// Sums Decimal128(p, s) values exactly (in 128 bits, overflow checked against 38 digits).
class DecimalAvgAccumulator : public GroupsAccumulator {
 public:
  explicit DecimalAvgAccumulator(int32_t scale) : scale_(scale) {}

  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                             const uint32_t* group_ids, int64_t total_groups) override {
    if (values.size() != 1) return arrow::Status::UnknownError("avg takes one argument");
    grow(total_groups);
    if (values[0]->type_id() == arrow::Type::NA) return arrow::Status::OK();
    const auto& input = static_cast<const arrow::Decimal128Array&>(*values[0]);
    const uint8_t* raw = input.raw_values();
    int128* sums = sums_.data();
    int64_t* counts = counts_.data();
    // One overflow flag for the batch rather than a Status per row (the error is the same).
    const bool has_nulls = input.null_count() > 0;
    bool overflow = false;
    for (int64_t i = 0; i < input.length(); ++i) {
      if (has_nulls && input.IsNull(i)) continue;
      int128 value;  // Decimal128's little-endian bytes are the int128's
      std::memcpy(&value, raw + i * 16, sizeof(value));
      const uint32_t g = group_ids[i];
      int128 total;
      overflow |= __builtin_add_overflow(sums[g], value, &total);
      overflow |= total >= kDecimalLimit || total <= -kDecimalLimit;
      sums[g] = total;
      ++counts[g];
    }
    if (overflow) return overflow_error();
    return arrow::Status::OK();
  }

  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                            const uint32_t* group_ids, int64_t total_groups) override {
    if (states.size() != 2 || states[0]->type_id() != arrow::Type::DECIMAL128 ||
        states[1]->type_id() != arrow::Type::INT64) {
      return arrow::Status::UnknownError("avg expects [sum Decimal128, count Int64] states");
    }
    grow(total_groups);
    const auto& sums = static_cast<const arrow::Decimal128Array&>(*states[0]);
    const auto& counts = static_cast<const arrow::Int64Array&>(*states[1]);
    for (int64_t i = 0; i < counts.length(); ++i) {
      if (counts.IsNull(i) || counts.Value(i) == 0 || sums.IsNull(i)) continue;
      ARROW_RETURN_NOT_OK(
          add(group_ids[i], to_int128(arrow::Decimal128(sums.GetValue(i))), counts.Value(i)));
    }
    return arrow::Status::OK();
  }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    arrow::Decimal128Builder sums(arrow::decimal128(38, scale_));
    return sum_count_state(sums, counts_, [&](size_t g) {
      sums.UnsafeAppend(
          arrow::Decimal128(static_cast<int64_t>(sums_[g] >> 64), static_cast<uint64_t>(sums_[g])));
    });
  }

  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    arrow::DoubleBuilder builder;
    ARROW_RETURN_NOT_OK(builder.Reserve(static_cast<int64_t>(sums_.size())));
    const long double unit = std::pow(10.0L, scale_);
    for (size_t g = 0; g < sums_.size(); ++g) {
      if (counts_[g] > 0) {
        const long double sum = static_cast<long double>(sums_[g]);
        builder.UnsafeAppend(
            static_cast<double>(sum / (static_cast<long double>(counts_[g]) * unit)));
      } else {
        builder.UnsafeAppendNull();
      }
    }
    return builder.Finish();
  }

  int64_t size() const override {
    return static_cast<int64_t>(sums_.capacity() * sizeof(int128) +
                                counts_.capacity() * sizeof(int64_t));
  }

  bool supports_convert_to_state() const override { return true; }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> convert_to_state(
      const std::vector<std::shared_ptr<arrow::Array>>& values) override {
    if (values.size() != 1) return arrow::Status::UnknownError("avg takes one argument");
    return sum_count_rows(values[0], arrow::decimal128(38, scale_));
  }

 private:
  static constexpr int128 kDecimalLimit = [] {
    int128 v = 1;
    for (int i = 0; i < 38; ++i) v *= 10;
    return v;
  }();

  arrow::Status overflow_error() const {
    return arrow::Status::Invalid("decimal overflow in avg: the sum does not fit Decimal128(38, ",
                                  scale_, ")");
  }

  arrow::Status add(uint32_t group, int128 value, int64_t count) {
    int128 total = 0;
    if (__builtin_add_overflow(sums_[group], value, &total) || total >= kDecimalLimit ||
        total <= -kDecimalLimit) {
      return overflow_error();
    }
    sums_[group] = total;
    counts_[group] += count;
    return arrow::Status::OK();
  }

  void grow(int64_t total_groups) {
    if (static_cast<int64_t>(sums_.size()) < total_groups) {
      sums_.resize(static_cast<size_t>(total_groups), 0);
      counts_.resize(static_cast<size_t>(total_groups), 0);
    }
  }

  int32_t scale_;
  std::vector<int128> sums_;
  std::vector<int64_t> counts_;
};

int32_t decimal_input_scale(const arrow::DataType& t) {
  return static_cast<const arrow::Decimal128Type&>(t).scale();
}

}  // namespace

arrow::Result<std::unique_ptr<GroupsAccumulator>> make_avg_accumulator(
    const DataTypeVector& arg_types) {
  ARROW_RETURN_NOT_OK(check_avg_args(arg_types));
  if (arg_types[0]->id() == arrow::Type::DECIMAL128) {
    return std::make_unique<DecimalAvgAccumulator>(decimal_input_scale(*arg_types[0]));
  }
  return std::make_unique<AvgAccumulator>();
}

AggregateFunctionDef avg_function() {
  AggregateFunctionDef def;
  def.name = "avg";
  def.return_type = [](const DataTypeVector& arg_types,
                       bool) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    ARROW_RETURN_NOT_OK(check_avg_args(arg_types));
    return arrow::float64();
  };
  def.state_fields = [](const DataTypeVector& arg_types, bool distinct,
                        const std::string& display_name) -> arrow::Result<arrow::FieldVector> {
    ARROW_RETURN_NOT_OK(check_avg_args(arg_types));
    if (distinct) return arrow::FieldVector{distinct_state_field(arg_types[0], display_name)};
    auto sum_type = arg_types[0]->id() == arrow::Type::DECIMAL128
                        ? arrow::decimal128(38, decimal_input_scale(*arg_types[0]))
                        : arrow::float64();
    return arrow::FieldVector{arrow::field(display_name + "[sum]", sum_type),
                              arrow::field(display_name + "[count]", arrow::int64(), false)};
  };
  def.make_accumulator = [](const DataTypeVector& arg_types,
                            bool distinct) -> arrow::Result<std::unique_ptr<GroupsAccumulator>> {
    if (!distinct) return make_avg_accumulator(arg_types);
    ARROW_RETURN_NOT_OK(check_avg_args(arg_types));
    return make_distinct_accumulator(arg_types[0],
                                     [arg_types] { return make_avg_accumulator(arg_types); });
  };
  return def;
}

}  // namespace quiver::functions
