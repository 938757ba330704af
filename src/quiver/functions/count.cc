// count(x): the number of rows where x is not NULL (count(Int64(1)) counts every row).

#include <arrow/array.h>
#include <arrow/builder.h>

#include "quiver/functions/accumulator_factories.h"
#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"
#include "quiver/functions/state_conversion.h"

namespace quiver::functions {

namespace {

class CountAccumulator : public GroupsAccumulator {
 public:
  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                             const uint32_t* group_ids, int64_t total_groups) override {
    if (values.empty()) {
      return arrow::Status::UnknownError("count needs an argument (count(*) is count(1))");
    }
    grow(total_groups);
    const int64_t n = values[0]->length();
    bool any_nulls = false;
    for (const auto& v : values) any_nulls = any_nulls || v->null_count() > 0;
    if (!any_nulls) {
      for (int64_t i = 0; i < n; ++i) ++counts_[group_ids[i]];
      return arrow::Status::OK();
    }
    for (int64_t i = 0; i < n; ++i) {
      bool all_valid = true;
      for (const auto& v : values) all_valid = all_valid && v->IsValid(i);
      if (all_valid) ++counts_[group_ids[i]];
    }
    return arrow::Status::OK();
  }

  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                            const uint32_t* group_ids, int64_t total_groups) override {
    if (states.size() != 1 || states[0]->type_id() != arrow::Type::INT64) {
      return arrow::Status::UnknownError("count expects one Int64 state column");
    }
    grow(total_groups);
    const auto& partial = static_cast<const arrow::Int64Array&>(*states[0]);
    const int64_t* raw = partial.raw_values();
    for (int64_t i = 0; i < partial.length(); ++i) {
      if (partial.IsValid(i)) counts_[group_ids[i]] += raw[i];
    }
    return arrow::Status::OK();
  }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    ARROW_ASSIGN_OR_RAISE(auto counts, evaluate());
    return std::vector<std::shared_ptr<arrow::Array>>{counts};
  }

  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    arrow::Int64Builder builder;
    ARROW_RETURN_NOT_OK(builder.AppendValues(counts_));
    return builder.Finish();
  }

  int64_t size() const override {
    return static_cast<int64_t>(counts_.capacity() * sizeof(int64_t));
  }

  bool supports_convert_to_state() const override { return true; }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> convert_to_state(
      const std::vector<std::shared_ptr<arrow::Array>>& values) override {
    if (values.empty()) return arrow::Status::UnknownError("count needs an argument");
    ARROW_ASSIGN_OR_RAISE(auto counts, valid_row_counts(values, values[0]->length()));
    return std::vector<std::shared_ptr<arrow::Array>>{std::move(counts)};
  }

 private:
  void grow(int64_t total_groups) {
    if (static_cast<int64_t>(counts_.size()) < total_groups) {
      counts_.resize(static_cast<size_t>(total_groups), 0);
    }
  }

  std::vector<int64_t> counts_;
};

}  // namespace

arrow::Result<std::unique_ptr<GroupsAccumulator>> make_count_accumulator(const DataTypeVector&) {
  return std::make_unique<CountAccumulator>();
}

AggregateFunctionDef count_function() {
  AggregateFunctionDef def;
  def.name = "count";
  def.return_type = [](const DataTypeVector& arg_types,
                       bool distinct) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    if (distinct && arg_types.size() != 1) {
      return unsupported_call("count", arg_types, "one argument with DISTINCT");
    }
    return arrow::int64();
  };
  def.state_fields = [](const DataTypeVector& arg_types, bool distinct,
                        const std::string& display_name) -> arrow::Result<arrow::FieldVector> {
    if (distinct) return arrow::FieldVector{distinct_state_field(arg_types.at(0), display_name)};
    return arrow::FieldVector{arrow::field(display_name + "[count]", arrow::int64(), false)};
  };
  def.make_accumulator = [](const DataTypeVector& arg_types,
                            bool distinct) -> arrow::Result<std::unique_ptr<GroupsAccumulator>> {
    if (!distinct) return make_count_accumulator(arg_types);
    if (arg_types.size() != 1) {
      return arrow::Status::NotImplemented("count(DISTINCT ...) of more than one argument");
    }
    return make_distinct_accumulator(arg_types[0],
                                     [arg_types] { return make_count_accumulator(arg_types); });
  };
  return def;
}

}  // namespace quiver::functions
