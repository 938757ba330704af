// The run-time check of a scalar subquery that may return several rows. The optimizer wraps such
// a subquery in the aggregate __subquery_rows(x), which gives struct{value, rows}: the first
// value seen and the number of rows (its state is the same two columns, so partial states merge
// across partitions and tasks). Where the subquery's value is used, __single_row_value(s) returns
// `value` and fails when `rows` > 1 (PostgreSQL: "more than one row returned by a subquery used
// as an expression"), so only a subquery result that is really used raises the error.

#include <arrow/array.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>

#include "quiver/functions/accumulator_factories.h"
#include "quiver/functions/builtin_functions.h"
#include "quiver/functions/signature.h"

namespace quiver::functions {

namespace {

arrow::Status more_than_one_row() {
  return arrow::Status::Invalid("more than one row returned by a subquery used as an expression");
}

class SubqueryRowsAccumulator : public GroupsAccumulator {
 public:
  explicit SubqueryRowsAccumulator(std::unique_ptr<arrow::ArrayBuilder> values)
      : values_(std::move(values)) {}

  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                             const uint32_t* group_ids, int64_t total_groups) override {
    if (values.size() != 1) {
      return arrow::Status::UnknownError("__subquery_rows takes one argument");
    }
    grow(total_groups);
    const arrow::ArraySpan span(*values[0]->data());
    for (int64_t i = 0; i < values[0]->length(); ++i) {
      ARROW_RETURN_NOT_OK(add(group_ids[i], 1, span, i));
    }
    return arrow::Status::OK();
  }

  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                            const uint32_t* group_ids, int64_t total_groups) override {
    if (states.size() != 2 || states[1]->type_id() != arrow::Type::INT64) {
      return arrow::Status::UnknownError(
          "__subquery_rows expects a value and an Int64 row count as its state");
    }
    grow(total_groups);
    const arrow::ArraySpan span(*states[0]->data());
    const auto& rows = static_cast<const arrow::Int64Array&>(*states[1]);
    for (int64_t i = 0; i < rows.length(); ++i) {
      if (rows.IsValid(i) && rows.Value(i) > 0) {
        ARROW_RETURN_NOT_OK(add(group_ids[i], rows.Value(i), span, i));
      }
    }
    return arrow::Status::OK();
  }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    ARROW_ASSIGN_OR_RAISE(auto value, first_values());
    arrow::Int64Builder rows;
    ARROW_RETURN_NOT_OK(rows.AppendValues(rows_));
    ARROW_ASSIGN_OR_RAISE(auto row_counts, rows.Finish());
    return std::vector<std::shared_ptr<arrow::Array>>{value, row_counts};
  }

  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    ARROW_ASSIGN_OR_RAISE(auto columns, state());
    return arrow::StructArray::Make(columns, std::vector<std::string>{"value", "rows"});
  }

  int64_t size() const override {
    return static_cast<int64_t>(positions_.capacity() * 2 * sizeof(int64_t)) +
           values_->length() * 16;
  }

 private:
  // The first value of each group, in group order (NULL for a group without rows).
  arrow::Result<std::shared_ptr<arrow::Array>> first_values() {
    if (!finished_) {
      ARROW_ASSIGN_OR_RAISE(finished_, values_->Finish());
    }
    arrow::Int64Builder indices;
    ARROW_RETURN_NOT_OK(indices.Reserve(static_cast<int64_t>(positions_.size())));
    for (const int64_t p : positions_) {
      if (p < 0) {
        indices.UnsafeAppendNull();
      } else {
        indices.UnsafeAppend(p);
      }
    }
    ARROW_ASSIGN_OR_RAISE(auto index_array, indices.Finish());
    ARROW_ASSIGN_OR_RAISE(auto taken, arrow::compute::Take(finished_, index_array));
    return taken.make_array();
  }

  void grow(int64_t total_groups) {
    if (static_cast<int64_t>(rows_.size()) < total_groups) {
      rows_.resize(static_cast<size_t>(total_groups), 0);
      positions_.resize(static_cast<size_t>(total_groups), -1);
    }
  }

  arrow::Status add(uint32_t group, int64_t rows, const arrow::ArraySpan& values, int64_t i) {
    const bool first = rows_[group] == 0;
    rows_[group] += rows;
    if (!first) return arrow::Status::OK();
    positions_[group] = values_->length();
    return values_->AppendArraySlice(values, i, 1);
  }

  std::unique_ptr<arrow::ArrayBuilder> values_;
  std::shared_ptr<arrow::Array> finished_;
  std::vector<int64_t> rows_;       // rows seen per group
  std::vector<int64_t> positions_;  // the group's value in values_, -1 = none yet
};

std::shared_ptr<arrow::DataType> rows_type(const std::shared_ptr<arrow::DataType>& value) {
  return arrow::struct_({arrow::field("value", value), arrow::field("rows", arrow::int64())});
}

}  // namespace

AggregateFunctionDef subquery_rows_function() {
  AggregateFunctionDef def;
  def.name = "__subquery_rows";
  def.return_type = [](const DataTypeVector& arg_types,
                       bool distinct) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    if (distinct || arg_types.size() != 1) {
      return unsupported_call("__subquery_rows", arg_types, "one argument");
    }
    return rows_type(arg_types[0]);
  };
  def.state_fields = [](const DataTypeVector& arg_types, bool /*distinct*/,
                        const std::string& display_name) -> arrow::Result<arrow::FieldVector> {
    return arrow::FieldVector{arrow::field(display_name + "[value]", arg_types.at(0), true),
                              arrow::field(display_name + "[rows]", arrow::int64(), false)};
  };
  def.make_accumulator =
      [](const DataTypeVector& arg_types,
         bool /*distinct*/) -> arrow::Result<std::unique_ptr<GroupsAccumulator>> {
    std::unique_ptr<arrow::ArrayBuilder> builder;
    ARROW_RETURN_NOT_OK(
        arrow::MakeBuilder(arrow::default_memory_pool(), arg_types.at(0), &builder));
    return std::make_unique<SubqueryRowsAccumulator>(std::move(builder));
  };
  return def;
}

ScalarFunctionDef single_row_value_function() {
  ScalarFunctionDef def;
  def.name = "__single_row_value";
  def.return_type =
      [](const DataTypeVector& types) -> arrow::Result<std::shared_ptr<arrow::DataType>> {
    if (types.size() != 1 || types[0]->id() != arrow::Type::STRUCT || types[0]->num_fields() != 2) {
      return unsupported_call("__single_row_value", types, "the result of __subquery_rows");
    }
    return types[0]->field(0)->type();
  };
  def.invoke = [](const std::vector<arrow::Datum>& args,
                  int64_t num_rows) -> arrow::Result<arrow::Datum> {
    std::shared_ptr<arrow::Array> array;
    if (args[0].is_scalar()) {
      ARROW_ASSIGN_OR_RAISE(array, arrow::MakeArrayFromScalar(*args[0].scalar(), 1));
    } else {
      array = args[0].make_array();
    }
    const auto& s = static_cast<const arrow::StructArray&>(*array);
    ARROW_ASSIGN_OR_RAISE(auto rows, s.GetFlattenedField(1));
    const auto& counts = static_cast<const arrow::Int64Array&>(*rows);
    for (int64_t i = 0; i < counts.length(); ++i) {
      if (counts.IsValid(i) && counts.Value(i) > 1) return more_than_one_row();
    }
    ARROW_ASSIGN_OR_RAISE(auto value, s.GetFlattenedField(0));
    if (!args[0].is_scalar()) return arrow::Datum(value);
    ARROW_ASSIGN_OR_RAISE(auto scalar, value->GetScalar(0));
    (void)num_rows;
    return arrow::Datum(scalar);
  };
  return def;
}

}  // namespace quiver::functions
