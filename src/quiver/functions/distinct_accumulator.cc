// The DISTINCT form of an aggregate (count(DISTINCT x), sum(DISTINCT x), avg(DISTINCT x)):
// each group keeps the set of its distinct non-NULL values. The partial state is a List of
// those values per group, so partial sets from other tasks merge by union; evaluate() feeds the
// distinct values to the plain aggregate.

#include <arrow/array.h>
#include <arrow/array/concatenate.h>
#include <arrow/builder.h>
#include <arrow/compute/api.h>

#include <string>
#include <unordered_set>

#include "quiver/functions/accumulator_factories.h"

namespace quiver::functions {

namespace {

// Returns the bytes that identify row i's value (its fixed-width bytes or its string bytes).
class ValueKey {
 public:
  static arrow::Result<ValueKey> make(const arrow::Array& array) {
    ValueKey key;
    key.array_ = &array;
    const auto& type = *array.type();
    if (type.id() == arrow::Type::BOOL) {
      key.kind_ = Kind::kBool;
    } else if (arrow::is_base_binary_like(type.id())) {
      key.kind_ = Kind::kBinary;
    } else if (type.id() == arrow::Type::STRING_VIEW || type.id() == arrow::Type::BINARY_VIEW) {
      key.kind_ = Kind::kBinaryView;
    } else if (arrow::is_fixed_width(type.id()) && type.byte_width() > 0) {
      key.kind_ = Kind::kFixed;
      key.width_ = type.byte_width();
      key.base_ = array.data()->GetValues<uint8_t>(1, 0) +
                  array.data()->offset * static_cast<int64_t>(key.width_);
    } else if (type.id() == arrow::Type::NA) {
      key.kind_ = Kind::kNull;
    } else {
      return arrow::Status::NotImplemented("DISTINCT aggregates of ", type.ToString());
    }
    return key;
  }

  std::string_view operator()(int64_t i, char* scratch) const {
    switch (kind_) {
      case Kind::kBool:
        scratch[0] = static_cast<const arrow::BooleanArray*>(array_)->Value(i) ? 1 : 0;
        return {scratch, 1};
      case Kind::kBinary:
        return binary_view(i);
      case Kind::kBinaryView:
        return static_cast<const arrow::BinaryViewArray*>(array_)->GetView(i);
      case Kind::kFixed:
        return {reinterpret_cast<const char*>(base_ + i * width_), static_cast<size_t>(width_)};
      case Kind::kNull:
        return {};
    }
    return {};
  }

 private:
  enum class Kind { kBool, kBinary, kBinaryView, kFixed, kNull };

  std::string_view binary_view(int64_t i) const {
    if (array_->type_id() == arrow::Type::LARGE_STRING ||
        array_->type_id() == arrow::Type::LARGE_BINARY) {
      return static_cast<const arrow::LargeBinaryArray*>(array_)->GetView(i);
    }
    return static_cast<const arrow::BinaryArray*>(array_)->GetView(i);
  }

  const arrow::Array* array_ = nullptr;
  Kind kind_ = Kind::kNull;
  int width_ = 0;
  const uint8_t* base_ = nullptr;
};

class DistinctAccumulator : public GroupsAccumulator {
 public:
  DistinctAccumulator(std::shared_ptr<arrow::DataType> value_type, AccumulatorFactory plain)
      : value_type_(std::move(value_type)), plain_(std::move(plain)) {}

  arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                             const uint32_t* group_ids, int64_t total_groups) override {
    if (values.size() != 1) {
      return arrow::Status::UnknownError("a DISTINCT aggregate takes one argument");
    }
    return insert(*values[0], group_ids, total_groups);
  }

  arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                            const uint32_t* group_ids, int64_t total_groups) override {
    if (states.size() != 1 || states[0]->type_id() != arrow::Type::LIST) {
      return arrow::Status::UnknownError("a DISTINCT aggregate expects one List state column");
    }
    const auto& lists = static_cast<const arrow::ListArray&>(*states[0]);
    if (lists.length() == 0) return grow(total_groups);
    const int32_t first = lists.value_offset(0);
    const int32_t last = lists.value_offset(lists.length());
    std::vector<uint32_t> element_groups;
    element_groups.reserve(static_cast<size_t>(last - first));
    for (int64_t r = 0; r < lists.length(); ++r) {
      const int32_t n = lists.IsNull(r) ? 0 : lists.value_length(r);
      // A null list row still spans its offsets; its elements are not part of any set.
      if (lists.IsNull(r)) {
        for (int32_t k = 0; k < lists.value_length(r); ++k) element_groups.push_back(UINT32_MAX);
        continue;
      }
      for (int32_t k = 0; k < n; ++k) element_groups.push_back(group_ids[r]);
    }
    auto elements = lists.values()->Slice(first, last - first);
    return insert(*elements, element_groups.data(), total_groups);
  }

  arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() override {
    ARROW_ASSIGN_OR_RAISE(auto grouped, grouped_values());
    ARROW_ASSIGN_OR_RAISE(auto list,
                          arrow::ListArray::FromArrays(*grouped.offsets, *grouped.values));
    return std::vector<std::shared_ptr<arrow::Array>>{list};
  }

  arrow::Result<std::shared_ptr<arrow::Array>> evaluate() override {
    ARROW_ASSIGN_OR_RAISE(auto grouped, grouped_values());
    ARROW_ASSIGN_OR_RAISE(auto inner, plain_());
    ARROW_RETURN_NOT_OK(inner->update_batch({grouped.values}, grouped.groups.data(),
                                            static_cast<int64_t>(sets_.size())));
    return inner->evaluate();
  }

  // Kept up to date by insert(): the aggregate asks after every batch, so this must not walk
  // the sets.
  int64_t size() const override { return bytes_; }

 private:
  struct Grouped {
    std::shared_ptr<arrow::Array> values;   // every distinct value, in group order
    std::vector<uint32_t> groups;           // the group of each value
    std::shared_ptr<arrow::Array> offsets;  // Int32 list offsets, one more than groups
  };

  arrow::Status grow(int64_t total_groups) {
    if (static_cast<int64_t>(sets_.size()) < total_groups) {
      bytes_ += (total_groups - static_cast<int64_t>(sets_.size())) *
                static_cast<int64_t>(sizeof(std::unordered_set<std::string>));
      sets_.resize(static_cast<size_t>(total_groups));
    }
    return arrow::Status::OK();
  }

  // Adds the values not yet in their group's set; group UINT32_MAX means "skip".
  arrow::Status insert(const arrow::Array& input, const uint32_t* group_ids, int64_t total_groups) {
    ARROW_RETURN_NOT_OK(grow(total_groups));
    if (input.type_id() == arrow::Type::NA) return arrow::Status::OK();
    std::shared_ptr<arrow::Array> cast;
    const arrow::Array* values = &input;
    if (!input.type()->Equals(*value_type_)) {
      ARROW_ASSIGN_OR_RAISE(arrow::Datum d, arrow::compute::Cast(input, value_type_));
      cast = d.make_array();
      values = cast.get();
    }
    ARROW_ASSIGN_OR_RAISE(ValueKey key, ValueKey::make(*values));
    arrow::Int64Builder new_rows;
    char scratch[1];
    for (int64_t i = 0; i < values->length(); ++i) {
      const uint32_t g = group_ids[i];
      if (g == UINT32_MAX || values->IsNull(i)) continue;
      auto [it, inserted] = sets_[g].emplace(key(i, scratch));
      if (inserted) {
        // The set's node, its key bytes, the kept value (about 8 bytes) and its group id.
        bytes_ += static_cast<int64_t>(sizeof(std::string) + 16 + it->capacity() + 8 + 4);
        ARROW_RETURN_NOT_OK(new_rows.Append(i));
        chunk_groups_.push_back(g);
      }
    }
    if (new_rows.length() == 0) return arrow::Status::OK();
    ARROW_ASSIGN_OR_RAISE(auto rows, new_rows.Finish());
    ARROW_ASSIGN_OR_RAISE(arrow::Datum taken,
                          arrow::compute::Take(arrow::Datum(values->data()), arrow::Datum(rows)));
    chunks_.push_back(taken.make_array());
    return arrow::Status::OK();
  }

  // Orders the kept values by group (a counting sort over group ids).
  arrow::Result<Grouped> grouped_values() {
    const size_t groups = sets_.size();
    std::vector<int32_t> offsets(groups + 1, 0);
    for (uint32_t g : chunk_groups_) ++offsets[g + 1];
    for (size_t g = 0; g < groups; ++g) offsets[g + 1] += offsets[g];
    std::shared_ptr<arrow::Array> all;
    if (chunks_.empty()) {
      ARROW_ASSIGN_OR_RAISE(all, arrow::MakeEmptyArray(value_type_));
    } else {
      ARROW_ASSIGN_OR_RAISE(all, arrow::Concatenate(chunks_));
    }
    std::vector<int64_t> order(chunk_groups_.size());
    std::vector<int32_t> next(offsets.begin(), offsets.end() - 1);
    for (size_t i = 0; i < chunk_groups_.size(); ++i) {
      order[static_cast<size_t>(next[chunk_groups_[i]]++)] = static_cast<int64_t>(i);
    }
    arrow::Int64Builder order_builder;
    ARROW_RETURN_NOT_OK(order_builder.AppendValues(order));
    ARROW_ASSIGN_OR_RAISE(auto order_array, order_builder.Finish());
    ARROW_ASSIGN_OR_RAISE(arrow::Datum sorted,
                          arrow::compute::Take(arrow::Datum(all), arrow::Datum(order_array)));
    Grouped out;
    out.values = sorted.make_array();
    out.groups.reserve(chunk_groups_.size());
    for (size_t g = 0; g < groups; ++g) {
      for (int32_t k = offsets[g]; k < offsets[g + 1]; ++k) {
        out.groups.push_back(static_cast<uint32_t>(g));
      }
    }
    arrow::Int32Builder offset_builder;
    ARROW_RETURN_NOT_OK(offset_builder.AppendValues(offsets));
    ARROW_ASSIGN_OR_RAISE(out.offsets, offset_builder.Finish());
    return out;
  }

  std::shared_ptr<arrow::DataType> value_type_;
  AccumulatorFactory plain_;
  std::vector<std::unordered_set<std::string>> sets_;
  // The distinct values in arrival order, in chunks, and the group of each.
  std::vector<std::shared_ptr<arrow::Array>> chunks_;
  std::vector<uint32_t> chunk_groups_;
  int64_t bytes_ = 0;  // approximate memory held, see size()
};

}  // namespace

arrow::Result<std::unique_ptr<GroupsAccumulator>> make_distinct_accumulator(
    std::shared_ptr<arrow::DataType> value_type, AccumulatorFactory plain) {
  return std::make_unique<DistinctAccumulator>(std::move(value_type), std::move(plain));
}

std::shared_ptr<arrow::Field> distinct_state_field(const std::shared_ptr<arrow::DataType>& type,
                                                   const std::string& display_name) {
  return arrow::field(display_name + "[distinct]", arrow::list(type));
}

}  // namespace quiver::functions
