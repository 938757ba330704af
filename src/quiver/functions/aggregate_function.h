#pragma once

#include <arrow/array.h>
#include <arrow/result.h>
#include <arrow/type.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "quiver/functions/scalar_function.h"

namespace quiver::functions {

/// The state of one aggregate for every group of a hash aggregation, updated a batch at a time
/// (vectorised over group ids). Partial states are Arrow columns (avg = sum + count; count
/// distinct = a list of distinct values) so they can be merged by PartialReduce/Final aggregates
/// and cross the network. Not thread-safe: one per aggregation partition.
class GroupsAccumulator {
 public:
  virtual ~GroupsAccumulator() = default;
  /// Adds raw input rows: `values` are the evaluated arguments; row i belongs to group
  /// `group_ids[i]`; `total_groups` is the number of groups seen so far (states grow to it).
  virtual arrow::Status update_batch(const std::vector<std::shared_ptr<arrow::Array>>& values,
                                     const uint32_t* group_ids, int64_t total_groups) = 0;
  /// Merges partial states (columns shaped as state_fields) into the groups.
  virtual arrow::Status merge_batch(const std::vector<std::shared_ptr<arrow::Array>>& states,
                                    const uint32_t* group_ids, int64_t total_groups) = 0;
  /// Returns the partial state columns for all groups, in group order.
  virtual arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> state() = 0;
  /// Returns the final values for all groups, in group order.
  virtual arrow::Result<std::shared_ptr<arrow::Array>> evaluate() = 0;
  /// Returns the approximate bytes held (for the memory pool).
  virtual int64_t size() const = 0;
  /// Returns true when convert_to_state() is implemented (a Partial aggregation that does not
  /// reduce rows can then skip grouping).
  virtual bool supports_convert_to_state() const { return false; }
  /// Returns the partial state columns of one group per input row, as if every row were its own
  /// group (raw `values` as for update_batch). The accumulator's own groups are not touched.
  virtual arrow::Result<std::vector<std::shared_ptr<arrow::Array>>> convert_to_state(
      const std::vector<std::shared_ptr<arrow::Array>>& values) {
    (void)values;
    return arrow::Status::NotImplemented("convert_to_state");
  }
};

/// An aggregate function: count, sum, avg, min, max (and count(DISTINCT ...) through `distinct`).
struct AggregateFunctionDef {
  std::string name;  ///< lower case
  /// Returns the final result type (sum(int32) -> int64, avg -> float64, ...) or a user error.
  std::function<arrow::Result<std::shared_ptr<arrow::DataType>>(const DataTypeVector& arg_types,
                                                                bool distinct)>
      return_type;
  /// Returns the partial state fields, named after `display_name` (e.g. "avg(x)[sum]").
  std::function<arrow::Result<arrow::FieldVector>(const DataTypeVector& arg_types, bool distinct,
                                                  const std::string& display_name)>
      state_fields;
  /// Creates an empty accumulator.
  std::function<arrow::Result<std::unique_ptr<GroupsAccumulator>>(const DataTypeVector& arg_types,
                                                                  bool distinct)>
      make_accumulator;
};

/// Returns the aggregate function `name` (lower case), or null.
const AggregateFunctionDef* find_aggregate_function(std::string_view name);

/// Returns the names of every aggregate function.
std::vector<std::string> aggregate_function_names();

}  // namespace quiver::functions
